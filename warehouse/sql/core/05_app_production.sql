-- int_app_production_daily: every production report entered in the app, with
-- confirmed_by_load = a load has since brought a report with the same key
-- (report_date, order_no, line_no, workshop, process). The app row is kept (shown
-- as "confirmed by load") but no longer counts.
--
-- int_production_daily: the reports that count = every loaded report, plus the app
-- reports not confirmed by a load. Same columns as stg_production_daily (load_id
-- NULL for app rows) plus source ('load' | 'app').
create or replace view int_app_production_daily as
with

app_reports as (
    select * from stg_app_production_daily
),

loaded as (
    select * from stg_production_daily
),

final as (
    select
        app_reports.*,
        loaded.report_date is not null                               as confirmed_by_load
    from app_reports
    left join loaded
        on app_reports.report_date = loaded.report_date
        and app_reports.order_no = loaded.order_no
        and app_reports.line_no = loaded.line_no
        and app_reports.workshop = loaded.workshop
        and app_reports.process = loaded.process
)

select * from final;

create or replace view int_production_daily as
with

loaded as (
    select * from stg_production_daily
),

app_reports as (
    select * from int_app_production_daily
    where not confirmed_by_load
),

final as (
    select
        report_date, order_no, line_no, workshop, process, planned_qty, output_qty, defect_qty,
        delay_reason, load_id, 'load' as source
    from loaded
    union all
    select
        report_date, order_no, line_no, workshop, process, planned_qty, output_qty, defect_qty,
        delay_reason, null, 'app' as source
    from app_reports
)

select * from final;
