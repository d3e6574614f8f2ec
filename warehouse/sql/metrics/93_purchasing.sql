-- The Purchasing page's figures, built on the purchasing and order-line macros
-- (30_purchasing.sql, 10_order_lines.sql) so every number agrees with the
-- headline metrics. Filters as in 30_purchasing.sql; the date range does not apply.
--
--   late_po_order_lines(as_of, only_customer, only_merchandiser)
--       which sales orders each overdue PO line puts at risk: one row per overdue
--       PO line (overdue_po_lines) and open line (order_line_shipping.is_open) of
--       its sales order (PO order_no), with that line's customer, merchandiser,
--       due date, days_until_due (due_date - A, negative = already late) and open
--       quantity. An overdue PO line whose sales order has no open line is not
--       listed. Sorted by (due_date, order_no, line_no, po_no, po_line).
--   supplier_scorecard(as_of, only_customer, only_merchandiser)
--       one row per supplier with a PO line that is not cancelled:
--         po_lines, open_lines (status open, not fully received), overdue_lines,
--         quantity_by_unit (ordered quantity per unit, e.g. "1,200 m · 300 kg":
--         units differ, so they are not added up);
--         due_lines, on_time_lines, rate: supplier_otd's (NULL when nothing is due);
--         late_lines = due_lines - on_time_lines, and over those late lines
--         avg_days_late (rounded half-up to 1 decimal) and max_days_late, where a
--         line's days late = received_date - promised_date once fully received
--         (or closed), A - promised_date while still open.
--       Sorted by supplier.

create or replace macro late_po_order_lines(as_of, only_customer, only_merchandiser) as table
with

po_lines as (
    select * from overdue_po_lines(as_of, only_customer, only_merchandiser)
),

order_lines as (
    select * from order_line_shipping(as_of, only_customer, only_merchandiser, open_only := true)
    where is_open
),

final as (
    select
        po_lines.po_no,
        po_lines.po_line,
        po_lines.ref                                                 as po_ref,
        po_lines.supplier,
        po_lines.material,
        po_lines.promised_date,
        po_lines.days_overdue,
        po_lines.open_qty                                            as po_open_qty,
        po_lines.unit,
        order_lines.order_no,
        order_lines.line_no,
        order_lines.ref                                              as order_line_ref,
        order_lines.customer_code,
        order_lines.merchandiser,
        order_lines.style_no,
        order_lines.is_rush,
        order_lines.due_date,
        -order_lines.days_past_due                                   as days_until_due,
        order_lines.open_qty
    from po_lines
    inner join order_lines
        on po_lines.order_no = order_lines.order_no
)

select * from final
order by due_date, order_no, line_no, po_no, po_line;


create or replace macro supplier_scorecard(as_of, only_customer, only_merchandiser) as table
with

po_lines as (
    select * from po_line_status(as_of, only_customer, only_merchandiser)
),

supplier_rates as (
    select * from supplier_otd(as_of, only_customer, only_merchandiser)
),

-- supplier_otd's due lines and on-time rule, with how late each line is
due_lines as (
    select
        supplier,
        received_qty >= quantity and received_date <= promised_date  as is_on_time,
        case
            when status = 'open' and received_qty < quantity then as_of - promised_date
            else greatest(coalesce(received_date, promised_date) - promised_date, 0)
        end                                                          as days_late
    from po_lines
    where promised_date <= as_of
),

lateness as (
    select
        supplier,
        sum(days_late) filter (where not is_on_time)                 as total_days_late,
        count(*) filter (where not is_on_time)                       as late_lines,
        max(days_late) filter (where not is_on_time)                 as max_days_late
    from due_lines
    group by supplier
),

unit_totals as (
    select
        supplier,
        unit,
        sum(quantity)                                                as quantity
    from po_lines
    group by supplier, unit
),

volume as (
    select
        supplier,
        string_agg(qty_text(quantity) || coalesce(' ' || unit, ''), ' · ' order by unit)
                                                                     as quantity_by_unit
    from unit_totals
    group by supplier
),

line_counts as (
    select
        supplier,
        count(*)                                                     as po_lines,
        count(*) filter (where status = 'open' and received_qty < quantity)
                                                                     as open_lines,
        count(*) filter (where is_overdue)                           as overdue_lines
    from po_lines
    group by supplier
),

final as (
    select
        line_counts.supplier,
        line_counts.po_lines,
        line_counts.open_lines,
        line_counts.overdue_lines,
        volume.quantity_by_unit,
        coalesce(supplier_rates.due_lines, 0)                        as due_lines,
        coalesce(supplier_rates.on_time_lines, 0)                    as on_time_lines,
        supplier_rates.rate,
        coalesce(lateness.late_lines, 0)                             as late_lines,
        -- total / lines rounded half-up to 1 decimal, in integers (days late are >= 0)
        case
            when lateness.late_lines > 0
                then ((lateness.total_days_late * 20 + lateness.late_lines)
                      // (2 * lateness.late_lines))::decimal(18, 0) * 0.1
        end                                                          as avg_days_late,
        lateness.max_days_late
    from line_counts
    left join volume
        on line_counts.supplier = volume.supplier
    left join supplier_rates
        on line_counts.supplier = supplier_rates.supplier
    left join lateness
        on line_counts.supplier = lateness.supplier
)

select * from final
order by supplier;
