-- stg_production_daily: wh.production_daily as loaded, one row per
-- (report_date, order_no, line_no, workshop, process). Rename/cast only.
create or replace view stg_production_daily as
with

source as (
    select * from wh.production_daily
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
        load_id::integer              as load_id
    from source
)

select * from final;
