-- Order-line metrics as of a date A (metrics.md "Orders", and "Production" per line).
--
-- Population: order lines that are not cancelled and have order_date <= A;
-- shipments and production reports dated after A are ignored.
-- Filters (NULL = no filter): only_customer matches the line's customer_code,
-- only_merchandiser the line's merchandiser (after the customer default).
-- The date range (date_from, date_to) applies only to on_time_delivery, by due_date.
--
-- A line is complete on the first day its running shipped total reaches
-- complete_qty = quantity x (1 - ship_tolerance). The running total never
-- decreases, so "complete by day D" is "shipped by D >= complete_qty": whether a
-- line is open needs only its total by A, which is cheap; complete_date itself and
-- on-time delivery (shipped by the due date) need each shipment next to its line,
-- so they live in a macro of their own.
--
--   order_line_population(as_of, only_customer, only_merchandiser)
--       the lines above, with complete_qty
--   order_line_shipping(as_of, only_customer, only_merchandiser)
--       one row per line: shipped_qty, is_open, open_qty, days_past_due
--       (A - due_date, negative before the due date), is_late
--   order_line_completion(as_of, only_customer, only_merchandiser)
--       one row per line: shipped_by_due_date, complete_date (NULL = open at A),
--       is_on_time (due by A, complete by the due date)
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

create or replace macro order_line_population(as_of, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from core_order_lines
    where not is_cancelled
        and order_date <= as_of
        and filter_matches(only_customer, customer_code)
        and filter_matches(only_merchandiser, merchandiser)
),

final as (
    select
        *,
        quantity * (1 - getvariable('ship_tolerance')::decimal(18, 6)) as complete_qty
    from order_lines
)

select * from final;


create or replace macro order_line_shipping(as_of, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_population(as_of, only_customer, only_merchandiser)
),

-- quantities and dates need no defaults: read before core, sparing core_shipments'
-- join with every order line
shipments as (
    select * from int_shipments
    where ship_date <= as_of
),

line_shipments as (
    select
        order_no,
        line_no,
        sum(shipped_qty)::bigint                                     as shipped_qty
    from shipments
    group by order_no, line_no
),

final as (
    select
        order_lines.* exclude (complete_qty),
        coalesce(line_shipments.shipped_qty, 0)                      as shipped_qty,
        coalesce(line_shipments.shipped_qty, 0) < order_lines.complete_qty
                                                                     as is_open,
        order_lines.quantity - coalesce(line_shipments.shipped_qty, 0) as open_qty,
        as_of - order_lines.due_date                                 as days_past_due,
        coalesce(line_shipments.shipped_qty, 0) < order_lines.complete_qty
            and order_lines.due_date < as_of                         as is_late
    from order_lines
    left join line_shipments
        on order_lines.order_no = line_shipments.order_no
        and order_lines.line_no = line_shipments.line_no
)

select * from final;


create or replace macro order_line_completion(as_of, only_customer, only_merchandiser) as table
with

-- not materialized: read twice, each time only the columns needed
order_lines as not materialized (
    select * from order_line_population(as_of, only_customer, only_merchandiser)
),

shipments as (
    select * from int_shipments
    where ship_date <= as_of
),

shipped_to_date as (
    select
        shipments.order_no,
        shipments.line_no,
        shipments.ship_date,
        shipments.shipped_qty,
        order_lines.due_date,
        order_lines.complete_qty,
        -- the default RANGE frame counts every row of the same day: a running total per date
        sum(shipments.shipped_qty) over (
            partition by shipments.order_no, shipments.line_no order by shipments.ship_date
        )                                                            as cumulative_qty
    from shipments
    inner join order_lines
        on shipments.order_no = order_lines.order_no
        and shipments.line_no = order_lines.line_no
),

-- a query that does not read complete_date skips the running totals (DuckDB prunes
-- the unused window)
line_completion as (
    select
        order_no,
        line_no,
        coalesce(sum(shipped_qty) filter (where ship_date <= due_date), 0)::bigint
                                                                     as shipped_by_due_date,
        min(ship_date) filter (where cumulative_qty >= complete_qty) as complete_date
    from shipped_to_date
    group by order_no, line_no
),

final as (
    select
        order_lines.* exclude (complete_qty),
        coalesce(line_completion.shipped_by_due_date, 0)             as shipped_by_due_date,
        line_completion.complete_date,
        -- complete by A and by the due date
        coalesce(line_completion.shipped_by_due_date, 0) >= order_lines.complete_qty
            and order_lines.due_date <= as_of                        as is_on_time
    from order_lines
    left join line_completion
        on order_lines.order_no = line_completion.order_no
        and order_lines.line_no = line_completion.line_no
)

select * from final;


create or replace macro order_line_status(as_of, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_shipping(as_of, only_customer, only_merchandiser)
),

-- read before core like the shipments above: no defaults involved; not materialized,
-- so each use below scans only the columns and rows it needs
production as not materialized (
    select * from int_production_daily
    where report_date <= as_of
),

line_production as (
    select
        order_no,
        line_no,
        coalesce(sum(output_qty) filter (where process = 'packing'), 0)::bigint
                                                                     as packed_qty,
        coalesce(sum(output_qty) filter (
            where process = 'packing' and report_date >= as_of - 6
        ), 0)::bigint                                                as window_packed_qty
    from production
    group by order_no, line_no
),

progress as (
    select
        order_lines.*,
        coalesce(line_production.packed_qty, 0)                      as packed_qty,
        greatest(order_lines.quantity - coalesce(line_production.packed_qty, 0), 0)
                                                                     as remaining_qty,
        coalesce(line_production.window_packed_qty, 0)               as window_packed_qty,
        -- any report of any process by A
        line_production.order_no is not null                         as is_started
    from order_lines
    left join line_production
        on order_lines.order_no = line_production.order_no
        and order_lines.line_no = line_production.line_no
),

-- The day packing reached the quantity is the projected finish of a line with
-- nothing left to pack. Worked out for open lines only (a line complete at A has
-- nothing to project), which keeps the running totals off the whole history.
fully_packed_lines as (
    select order_no, line_no, quantity
    from progress
    where is_open
        and remaining_qty = 0
),

packed_by_day as (
    select
        production.order_no,
        production.line_no,
        production.report_date,
        sum(production.output_qty)                                   as packed_qty
    from production
    semi join fully_packed_lines
        on production.order_no = fully_packed_lines.order_no
        and production.line_no = fully_packed_lines.line_no
    where production.process = 'packing'
    group by all
),

packed_to_date as (
    select
        *,
        sum(packed_qty) over (partition by order_no, line_no order by report_date) as cumulative_qty
    from packed_by_day
),

packing_complete as (
    select
        packed_to_date.order_no,
        packed_to_date.line_no,
        min(packed_to_date.report_date) filter (
            where packed_to_date.cumulative_qty >= fully_packed_lines.quantity
        )                                                            as packed_complete_date
    from packed_to_date
    inner join fully_packed_lines
        on packed_to_date.order_no = fully_packed_lines.order_no
        and packed_to_date.line_no = fully_packed_lines.line_no
    group by all
),

projected as (
    select
        progress.*,
        case
            when progress.remaining_qty = 0 then packing_complete.packed_complete_date
            -- A + ceil(remaining / (window / 7)) days, in integers
            when progress.window_packed_qty > 0
                then as_of + ((progress.remaining_qty * 7 + progress.window_packed_qty - 1)
                              // progress.window_packed_qty)::integer
        end                                                          as projected_finish,
        progress.is_started and progress.remaining_qty > 0 and progress.window_packed_qty = 0
                                                                     as is_stalled
    from progress
    left join packing_complete
        on progress.order_no = packing_complete.order_no
        and progress.line_no = packing_complete.line_no
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
    select * from order_line_completion(as_of, only_customer, only_merchandiser)
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
    select * from order_line_shipping(as_of, only_customer, only_merchandiser)
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
    select * from order_line_status(as_of, only_customer, only_merchandiser)
)

select * from at_risk_order_lines_of('line_status');
