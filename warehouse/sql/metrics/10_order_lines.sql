-- Order-line metrics as of a date A (metrics.md "Orders", and "Production" per line).
--
-- Population: order lines that are not cancelled and have order_date <= A;
-- shipments and production reports dated after A are ignored.
-- Filters (NULL = no filter): only_customer matches the line's customer_code,
-- only_merchandiser the line's merchandiser (after the customer default).
-- The date range (date_from, date_to) applies only to on_time_delivery, by due_date.
--
-- Each line's totals over all dates come from core_order_lines (the warehouse's
-- fact_order_lines, see sql/facts/); a figure as of A is that total minus the rows
-- dated after A, which are few when A is recent, so no query sums a line's whole
-- history. The running totals behind the dates work the same way: the running total
-- never decreases, so the first day it reaches a quantity is the same whether or not
-- rows after A are counted, as long as it is <= A.
--
-- A line is complete on the first day its running shipped total reaches
-- complete_qty = quantity x (1 - ship_tolerance). So "complete by day D" is
-- "shipped by D >= complete_qty", and on time is "shipped by the due date >=
-- complete_qty" for a line due by A.
--
--   order_line_population(as_of, only_customer, only_merchandiser, open_only := false)
--       the lines above, with complete_qty. open_only := true keeps only the lines
--       that can be open at A: it leaves out those settled by A (settled_date <= A:
--       their shipments, all dated by A, add up to the quantity, so they are
--       complete whatever the ship tolerance), and lists of open, late or at-risk
--       lines skip the settled history in the table scan;
--       order_line_shipping and order_line_status pass it on
--   order_line_shipping(as_of, only_customer, only_merchandiser)
--       one row per line: shipped_qty, is_open, open_qty, days_past_due
--       (A - due_date, negative before the due date), is_late
--   order_line_delivery(as_of, only_customer, only_merchandiser)
--       one row per line: shipped_by_due_date (shipped by the earlier of the due
--       date and A), is_on_time (due by A, complete by the due date)
--   order_line_completion(as_of, only_customer, only_merchandiser)
--       order_line_delivery plus complete_date (NULL = open at A); the date needs
--       every shipment's running total, so only this macro pays for it
--   order_line_status(as_of, only_customer, only_merchandiser)
--       order_line_shipping plus production: packed_qty, remaining_qty,
--       window_packed_qty (packing output in [A-6, A], run rate = it / 7),
--       is_started, projected_finish (NULL for lines complete at A), is_stalled,
--       is_at_risk, risk_reason (stalled | behind | not_started)
--   on_time_delivery(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row: due_lines, on_time_lines, rate
--   late_order_lines(as_of, only_customer, only_merchandiser)
--   at_risk_order_lines(as_of, only_customer, only_merchandiser)
--       the lists, sorted by (order_no, line_no)
--   late_order_lines_of(line_relation), at_risk_order_lines_of(line_relation)
--       the same lists from a relation named by a string (a CTE of the calling
--       query, or a temp table) holding order_line_status rows: kpi_report computes
--       the status once and reads every list from it (see warehouse/metrics.py)

create or replace macro order_line_population(as_of, only_customer, only_merchandiser, open_only := false) as table
with

order_lines as (
    select * from core_order_lines
    where not is_cancelled
        and order_date <= as_of
        and filter_matches(only_customer, customer_code)
        and filter_matches(only_merchandiser, merchandiser)
        and (not open_only or settled_date is null or settled_date > as_of)
),

final as (
    select
        *,
        quantity * (1 - getvariable('ship_tolerance')::decimal(18, 6)) as complete_qty
    from order_lines
)

select * from final;


create or replace macro order_line_shipping(as_of, only_customer, only_merchandiser, open_only := false) as table
with

-- not materialized: each branch below scans the lines it needs (cheaper than a copy of all)
order_lines as not materialized (
    select * from order_line_population(as_of, only_customer, only_merchandiser, open_only := open_only)
),

-- quantities and dates need no defaults: read before core
shipped_after as (
    select
        order_no,
        line_no,
        sum(shipped_qty)::bigint                                     as shipped_qty
    from int_shipments
    where ship_date > as_of
    group by order_no, line_no
),

-- only lines with a shipment after A need the correction: joining every line with it
-- would cost more than the rest of the query
shipped as (
    select *, shipped_total as shipped_qty
    from order_lines
    where not coalesce(last_ship_date > as_of, false)
    union all by name
    select
        order_lines.*,
        order_lines.shipped_total - coalesce(shipped_after.shipped_qty, 0) as shipped_qty
    from order_lines
    left join shipped_after
        on order_lines.order_no = shipped_after.order_no
        and order_lines.line_no = shipped_after.line_no
    where order_lines.last_ship_date > as_of
),

final as (
    select
        * exclude (complete_qty, shipped_total, shipped_by_due_date, last_ship_date, packed_total,
                   last_packing_date, first_report_date, packed_complete_date, settled_date, shipped_qty),
        shipped_qty,
        shipped_qty < complete_qty                                   as is_open,
        quantity - shipped_qty                                       as open_qty,
        as_of - due_date                                             as days_past_due,
        shipped_qty < complete_qty and due_date < as_of              as is_late,
        -- for order_line_status, which drops them
        packed_total,
        last_packing_date,
        first_report_date,
        packed_complete_date
    from shipped
)

select * from final;


create or replace macro order_line_delivery(as_of, only_customer, only_merchandiser) as table
with

-- not materialized: each branch below scans the lines it needs (cheaper than a copy of all)
order_lines as not materialized (
    select * from order_line_population(as_of, only_customer, only_merchandiser)
),

-- lines with a shipment after A (as in order_line_shipping, only they are joined)
shipped_later as (
    select * from order_lines
    where last_ship_date > as_of
),

-- their shipments after A but by the due date: only lines due after A have any
shipped_after as (
    select
        int_shipments.order_no,
        int_shipments.line_no,
        sum(int_shipments.shipped_qty)::bigint                       as shipped_qty
    from int_shipments
    inner join shipped_later
        on int_shipments.order_no = shipped_later.order_no
        and int_shipments.line_no = shipped_later.line_no
    where int_shipments.ship_date > as_of
        and int_shipments.ship_date <= shipped_later.due_date
    group by all
),

delivery as (
    select *, shipped_by_due_date as shipped_by_due_date_at
    from order_lines
    where not coalesce(last_ship_date > as_of, false)
    union all by name
    select
        shipped_later.*,
        shipped_later.shipped_by_due_date - coalesce(shipped_after.shipped_qty, 0) as shipped_by_due_date_at
    from shipped_later
    left join shipped_after
        on shipped_later.order_no = shipped_after.order_no
        and shipped_later.line_no = shipped_after.line_no
),

final as (
    select
        * exclude (complete_qty, shipped_total, shipped_by_due_date, last_ship_date, packed_total,
                   last_packing_date, first_report_date, packed_complete_date, settled_date,
                   shipped_by_due_date_at),
        shipped_by_due_date_at                                       as shipped_by_due_date,
        -- complete by A and by the due date
        shipped_by_due_date_at >= complete_qty and due_date <= as_of as is_on_time
    from delivery
)

select * from final;


create or replace macro order_line_completion(as_of, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_population(as_of, only_customer, only_merchandiser)
),

delivery as (
    select * from order_line_delivery(as_of, only_customer, only_merchandiser)
),

shipped_to_date as (
    select
        int_shipments.order_no,
        int_shipments.line_no,
        int_shipments.ship_date,
        order_lines.complete_qty,
        -- the default RANGE frame counts every row of the same day: a running total per date
        sum(int_shipments.shipped_qty) over (
            partition by int_shipments.order_no, int_shipments.line_no order by int_shipments.ship_date
        )                                                            as cumulative_qty
    from int_shipments
    inner join order_lines
        on int_shipments.order_no = order_lines.order_no
        and int_shipments.line_no = order_lines.line_no
    where int_shipments.ship_date <= as_of
),

line_completion as (
    select
        order_no,
        line_no,
        min(ship_date) filter (where cumulative_qty >= complete_qty) as complete_date
    from shipped_to_date
    group by order_no, line_no
),

final as (
    select
        delivery.*,
        line_completion.complete_date
    from delivery
    left join line_completion
        on delivery.order_no = line_completion.order_no
        and delivery.line_no = line_completion.line_no
)

select * from final;


create or replace macro order_line_status(as_of, only_customer, only_merchandiser, open_only := false) as table
with

-- not materialized: each branch below scans the lines it needs (cheaper than a copy of all)
order_lines as not materialized (
    select * from order_line_shipping(as_of, only_customer, only_merchandiser, open_only := open_only)
),

-- read before core like the shipments: no defaults involved; not materialized, so
-- each use below scans only the columns and rows it needs
production as not materialized (
    select * from int_production_daily
    where process = 'packing'
        and report_date >= as_of - 6
),

packed_after as (
    select
        order_no,
        line_no,
        sum(output_qty)::bigint                                      as packed_qty
    from production
    where report_date > as_of
    group by order_no, line_no
),

packed_in_window as (
    select
        order_no,
        line_no,
        sum(output_qty)::bigint                                      as packed_qty
    from production
    where report_date <= as_of
    group by order_no, line_no
),

-- Only lines that packed in [A-6, A] or later have a window total or packing after A:
-- the others take their totals as they are, and are not joined with either.
packed as (
    select *, packed_total as packed_qty, 0::bigint as window_packed_qty
    from order_lines
    where not coalesce(last_packing_date >= as_of - 6, false)
    union all by name
    select
        order_lines.*,
        order_lines.packed_total - coalesce(packed_after.packed_qty, 0) as packed_qty,
        coalesce(packed_in_window.packed_qty, 0)                     as window_packed_qty
    from order_lines
    left join packed_after
        on order_lines.order_no = packed_after.order_no
        and order_lines.line_no = packed_after.line_no
    left join packed_in_window
        on order_lines.order_no = packed_in_window.order_no
        and order_lines.line_no = packed_in_window.line_no
    where order_lines.last_packing_date >= as_of - 6
),

progress as (
    select
        * exclude (packed_total, last_packing_date, first_report_date, packed_complete_date),
        greatest(quantity - packed_qty, 0)                           as remaining_qty,
        -- any report of any process by A
        coalesce(first_report_date <= as_of, false)                  as is_started,
        packed_complete_date
    from packed
),

projected as (
    select
        * exclude (packed_complete_date),
        case
            -- the day packing reached the quantity; a line complete at A has nothing to project
            when remaining_qty = 0 then case when is_open then packed_complete_date end
            -- A + ceil(remaining / (window / 7)) days, in integers
            when window_packed_qty > 0
                then as_of + ((remaining_qty * 7 + window_packed_qty - 1) // window_packed_qty)::integer
        end                                                          as projected_finish,
        is_started and remaining_qty > 0 and window_packed_qty = 0   as is_stalled
    from progress
),

final as (
    select
        *,
        case
            when not is_open or due_date < as_of or remaining_qty = 0 then null
            when is_stalled then 'stalled'
            when is_started and projected_finish > due_date then 'behind'
            when not is_started and due_date <= as_of + 14 then 'not_started'
        end                                                          as risk_reason,
        risk_reason is not null                                      as is_at_risk
    from projected
)

select * from final;


create or replace macro on_time_delivery(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_delivery(as_of, only_customer, only_merchandiser)
),

due_lines as (
    select * from order_lines
    where due_date <= as_of
        and (date_from is null or due_date >= date_from)
        and (date_to is null or due_date <= date_to)
),

counts as (
    select
        count(*)                                                     as due_lines,
        count(*) filter (where is_on_time)                           as on_time_lines
    from due_lines
),

final as (
    select
        due_lines,
        on_time_lines,
        rate_fraction(on_time_lines, due_lines) as rate
    from counts
)

select * from final;


create or replace macro late_order_lines_of(line_relation) as table
with

source as (
    select * from query_table(line_relation)
),

final as (
    select
        order_no,
        line_no,
        ref,
        customer_code,
        merchandiser,
        style_no,
        priority,
        is_rush,
        due_date,
        days_past_due                                                as days_late,
        quantity,
        shipped_qty,
        open_qty
    from source
    where is_late
)

select * from final
order by order_no, line_no;


create or replace macro late_order_lines(as_of, only_customer, only_merchandiser) as table
with

line_shipping as (
    select * from order_line_shipping(as_of, only_customer, only_merchandiser, open_only := true)
)

select * from late_order_lines_of('line_shipping');


create or replace macro at_risk_order_lines_of(line_relation) as table
with

source as (
    select * from query_table(line_relation)
),

final as (
    select
        order_no,
        line_no,
        ref,
        customer_code,
        merchandiser,
        style_no,
        priority,
        is_rush,
        due_date,
        -days_past_due                                               as days_until_due,
        projected_finish,
        quantity,
        packed_qty,
        remaining_qty,
        window_packed_qty,
        is_started,
        risk_reason
    from source
    where is_at_risk
)

select * from final
order by order_no, line_no;


create or replace macro at_risk_order_lines(as_of, only_customer, only_merchandiser) as table
with

line_status as (
    select * from order_line_status(as_of, only_customer, only_merchandiser, open_only := true)
)

select * from at_risk_order_lines_of('line_status');
