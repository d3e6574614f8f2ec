-- Purchasing metrics as of a date A (metrics.md "Purchasing"). purchase_orders is
-- a status snapshot, used as it is; cancelled PO lines count nowhere.
-- Filters (NULL = no filter) match the customer_code / merchandiser a PO line is
-- attributed to through its sales order (see core/50_po_lines.sql); PO lines
-- without a sales order appear only when no such filter is set.
-- The date range does not apply here.
--
--   po_line_status(as_of, only_customer, only_merchandiser, open_only := false)
--       one row per PO line not cancelled: open_qty, days_past_promised
--       (A - promised_date), is_overdue, is_due_soon, is_received_on_time.
--       open_only := true keeps only the lines still open (status 'open', less
--       received than ordered), the only ones that can be overdue or due soon: the
--       lists and counts of those skip the received history before joining the
--       lines with their sales orders' owners
--   overdue_po_lines(as_of, only_customer, only_merchandiser)
--       open, not fully received, promised_date < A; sorted by (po_no, po_line)
--   po_lines_due_soon(as_of, only_customer, only_merchandiser)
--       open, not fully received, A <= promised_date <= A + 3; sorted by (po_no, po_line)
--   supplier_otd(as_of, only_customer, only_merchandiser)
--       per supplier with a PO line promised <= A: due_lines, on_time_lines, rate
--       (on time = received_qty >= quantity and received_date <= promised_date)
--   overdue_po_lines_of(po_relation), po_lines_due_soon_of(po_relation),
--   supplier_otd_of(as_of, po_relation)
--       the same from a relation named by a string holding po_line_status rows
--       (see 10_order_lines.sql: computed once by kpi_report)

create or replace macro po_line_status(as_of, only_customer, only_merchandiser, open_only := false) as table
with

po_lines as (
    select * from core_po_lines
    where not is_cancelled
        and (not open_only or (status = 'open' and received_qty < quantity))
        and filter_matches(only_customer, customer_code)
        and filter_matches(only_merchandiser, merchandiser)
),

final as (
    select
        *,
        as_of - promised_date                                        as days_past_promised,
        status = 'open' and received_qty < quantity and promised_date < as_of
                                                                     as is_overdue,
        status = 'open' and received_qty < quantity
            and promised_date between as_of and as_of + 3            as is_due_soon,
        -- supplier on-time delivery: received in full by the promised date
        coalesce(received_qty >= quantity and received_date <= promised_date, false)
                                                                     as is_received_on_time
    from po_lines
)

select * from final;


create or replace macro overdue_po_lines_of(po_relation) as table
with

source as (
    select * from query_table(po_relation)
),

final as (
    select
        po_no,
        po_line,
        ref,
        supplier,
        material,
        order_no,
        customer_code,
        merchandiser,
        promised_date,
        days_past_promised                                           as days_overdue,
        quantity,
        received_qty,
        open_qty,
        unit
    from source
    where is_overdue
)

select * from final
order by po_no, po_line;


create or replace macro overdue_po_lines(as_of, only_customer, only_merchandiser) as table
with

po_status as (
    select * from po_line_status(as_of, only_customer, only_merchandiser, open_only := true)
)

select * from overdue_po_lines_of('po_status');


create or replace macro po_lines_due_soon_of(po_relation) as table
with

source as (
    select * from query_table(po_relation)
),

final as (
    select
        po_no,
        po_line,
        ref,
        supplier,
        material,
        order_no,
        customer_code,
        merchandiser,
        promised_date,
        -days_past_promised                                          as days_until_promised,
        quantity,
        received_qty,
        open_qty,
        unit
    from source
    where is_due_soon
)

select * from final
order by po_no, po_line;


create or replace macro po_lines_due_soon(as_of, only_customer, only_merchandiser) as table
with

po_status as (
    select * from po_line_status(as_of, only_customer, only_merchandiser, open_only := true)
)

select * from po_lines_due_soon_of('po_status');


create or replace macro supplier_otd_of(as_of, po_relation) as table
with

source as (
    select * from query_table(po_relation)
),

due_lines as (
    select * from source
    where promised_date <= as_of
),

counts as (
    select
        supplier,
        count(*)                                                     as due_lines,
        count(*) filter (where is_received_on_time)                  as on_time_lines
    from due_lines
    group by supplier
),

final as (
    select
        supplier,
        due_lines,
        on_time_lines,
        rate_fraction(on_time_lines, due_lines) as rate
    from counts
)

select * from final
order by supplier;


create or replace macro supplier_otd(as_of, only_customer, only_merchandiser) as table
with

po_status as (
    select * from po_line_status(as_of, only_customer, only_merchandiser)
)

select * from supplier_otd_of(as_of, 'po_status');
