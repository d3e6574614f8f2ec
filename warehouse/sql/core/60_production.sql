-- core_production: one row per production report that counts (int_production_daily:
-- loaded, plus entered in the app and not yet confirmed by a load) with the order line's
-- customer_code, merchandiser, order_date and is_cancelled (for filters and for
-- leaving cancelled lines out), is_packing (packing = the final process, whose
-- output counts as packed) and inspected_qty (output_qty + defect_qty).
create or replace view core_production as
with

production as (
    select * from int_production_daily
),

order_lines as (
    select * from core_order_lines
),

final as (
    select
        production.report_date,
        production.order_no,
        production.line_no,
        production.workshop,
        production.process,
        production.process = 'packing'                               as is_packing,
        production.planned_qty,
        production.output_qty,
        production.defect_qty,
        production.output_qty + production.defect_qty                as inspected_qty,
        production.delay_reason,
        order_lines.customer_code,
        order_lines.merchandiser,
        order_lines.order_date,
        order_lines.is_cancelled
    from production
    inner join order_lines
        on production.order_no = order_lines.order_no
        and production.line_no = order_lines.line_no
)

select * from final;
