-- stg_app_production_daily: production daily reports entered in the app
-- (app.production_daily), one row per (report_date, order_no, line_no, workshop,
-- process), the contract's key. Rename/cast only.
create or replace view stg_app_production_daily as
with

source as (
    select * from app.production_daily
),

final as (
    select
        report_date::date             as report_date,
        order_no::varchar             as order_no,
        line_no::integer              as line_no,
        workshop::varchar             as workshop,
        process::varchar              as process,
        planned_qty::bigint           as planned_qty,
        output_qty::bigint            as output_qty,
        defect_qty::bigint            as defect_qty,
        delay_reason::varchar         as delay_reason,
        entered_by::varchar           as entered_by,
        entered_at::timestamp         as entered_at
    from source
)

select * from final;
