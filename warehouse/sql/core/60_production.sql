-- core_production: one row per production report that counts (int_production_daily:
-- loaded, plus entered in the app and not yet confirmed by a load) with inspected_qty
-- (output_qty + defect_qty). Every report's order line exists (the loader checks the
-- reference, and so do the app's forms), so the line's attributes are not joined
-- here: production_reports (metrics/20_production.sql) leaves out the reports of
-- lines outside its population, which are few, instead of joining every line.
create or replace view core_production as
with

production as (
    select * from int_production_daily
),

final as (
    select
        report_date,
        order_no,
        line_no,
        workshop,
        process,
        planned_qty,
        output_qty,
        defect_qty,
        output_qty + defect_qty                                      as inspected_qty,
        delay_reason
    from production
)

select * from final;
