-- The headline figures of the Overview and the weekly review, in one row, each the
-- count or total of the metric it stands for (the same macros `kpi` lists), so a tile
-- never needs the lists themselves.
--
--   kpi_headlines(as_of, date_from, date_to, only_customer, only_merchandiser)
--       base_currency; due_lines, on_time_lines, otd_rate (on_time_delivery);
--       late_lines, at_risk_lines (order_line_status); overdue_po_lines,
--       po_lines_due_soon (po_line_status); unpaid_receivables_base and
--       past_due_receivables_base (receivables_ageing: the rounded bucket totals,
--       all of them / all but not_due, summed); plan_attainment, defect_rate
--       (production_summary)
--   kpi_headlines_of(as_of, date_from, date_to, only_customer, only_merchandiser,
--                    line_relation, po_relation, invoice_relation)
--       the same from relations named by strings holding at least the late and
--       at-risk order_line_status rows, the overdue and due-soon po_line_status
--       rows and the unpaid invoice_status rows for the same as-of date and
--       filters (the weekly review computes each status once for several figures)

create or replace macro kpi_headlines_of(
    as_of, date_from, date_to, only_customer, only_merchandiser, line_relation, po_relation, invoice_relation
) as table
with

delivery as (
    select * from on_time_delivery(as_of, date_from, date_to, only_customer, only_merchandiser)
),

line_status as (
    select * from query_table(line_relation)
),

po_status as (
    select * from query_table(po_relation)
),

ageing as (
    select * from receivables_ageing_of(invoice_relation)
),

production as (
    select * from production_summary(as_of, date_from, date_to, only_customer, only_merchandiser)
),

line_counts as (
    select
        count(*) filter (where is_late)                              as late_lines,
        count(*) filter (where is_at_risk)                           as at_risk_lines
    from line_status
),

po_counts as (
    select
        count(*) filter (where is_overdue)                           as overdue_po_lines,
        count(*) filter (where is_due_soon)                          as po_lines_due_soon
    from po_status
),

receivables as (
    select
        sum(outstanding_base)                                        as unpaid_receivables_base,
        sum(outstanding_base) filter (where bucket <> 'not_due')     as past_due_receivables_base
    from ageing
),

final as (
    select
        getvariable('base_currency')                                 as base_currency,
        delivery.due_lines,
        delivery.on_time_lines,
        delivery.rate                                                as otd_rate,
        line_counts.late_lines,
        line_counts.at_risk_lines,
        po_counts.overdue_po_lines,
        po_counts.po_lines_due_soon,
        receivables.unpaid_receivables_base,
        receivables.past_due_receivables_base,
        production.plan_attainment,
        production.defect_rate
    from delivery, line_counts, po_counts, receivables, production
)

select * from final;


create or replace macro kpi_headlines(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

line_status as (
    select * from order_line_status(as_of, only_customer, only_merchandiser, open_only := true)
),

po_status as (
    select * from po_line_status(as_of, only_customer, only_merchandiser, open_only := true)
),

invoice_rows as (
    select * from invoice_status(as_of, only_customer, only_merchandiser, unpaid_only := true)
)

select * from kpi_headlines_of(
    as_of, date_from, date_to, only_customer, only_merchandiser, 'line_status', 'po_status', 'invoice_rows'
);
