-- The Orders page's figures, built on the order-line macros (10_order_lines.sql) so
-- every number agrees with the headline metrics.
--
--   order_book(as_of, date_from, date_to, only_customer, only_merchandiser)
--       the lines open at A (order_line_status.is_open), and when a date range is
--       chosen only those due inside it; with shipped_pct = shipped_qty / quantity,
--       packed_pct = packed_qty / quantity (fractions rounded half-up to 4
--       decimals; packing may exceed the quantity), days_behind = projected_finish
--       - due_date (NULL without a projection), and line_state: late | at_risk |
--       on_track (late and at_risk exactly as late_order_lines and
--       at_risk_order_lines). Sorted by (due_date, order_no, line_no).
--   otd_breakdown(as_of, date_from, date_to, only_customer, only_merchandiser)
--       on-time delivery per customer, per merchandiser and per style: one row per
--       (dimension, value), dimension = customer | merchandiser | style. The
--       population and the on-time flag are on_time_delivery's (lines due <= A and
--       in the date range, is_on_time of order_line_completion), so within each
--       dimension due_lines and on_time_lines add up to the headline figure.
--       Sorted by (dimension, value).

create or replace macro order_book(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_status(as_of, only_customer, only_merchandiser, open_only := true)
),

open_lines as (
    select * from order_lines
    where is_open
        and (date_from is null or due_date >= date_from)
        and (date_to is null or due_date <= date_to)
),

final as (
    select
        order_no,
        line_no,
        ref,
        customer_code,
        merchandiser,
        style_no,
        description,
        priority,
        is_rush,
        order_date,
        due_date,
        days_past_due,
        quantity,
        shipped_qty,
        rate_fraction(shipped_qty, quantity)                         as shipped_pct,
        packed_qty,
        rate_fraction(packed_qty, quantity)                          as packed_pct,
        remaining_qty,
        open_qty,
        window_packed_qty,
        is_started,
        projected_finish,
        projected_finish - due_date                                  as days_behind,
        is_late,
        is_at_risk,
        risk_reason,
        case
            when is_late then 'late'
            when is_at_risk then 'at_risk'
            else 'on_track'
        end                                                          as line_state
    from open_lines
)

select * from final
order by due_date, order_no, line_no;


create or replace macro otd_breakdown(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_delivery(as_of, only_customer, only_merchandiser)
),

-- the population of on_time_delivery
due_lines as (
    select * from order_lines
    where due_date <= as_of
        and (date_from is null or due_date >= date_from)
        and (date_to is null or due_date <= date_to)
),

counts as (
    select
        case
            when grouping(customer_code) = 0 then 'customer'
            when grouping(merchandiser) = 0 then 'merchandiser'
            else 'style'
        end                                                          as dimension,
        case
            when grouping(customer_code) = 0 then customer_code
            when grouping(merchandiser) = 0 then merchandiser
            else style_no
        end                                                          as value,
        count(*)                                                     as due_lines,
        count(*) filter (where is_on_time)                           as on_time_lines
    from due_lines
    group by grouping sets ((customer_code), (merchandiser), (style_no))
),

final as (
    select
        dimension,
        value,
        due_lines,
        on_time_lines,
        due_lines - on_time_lines                                    as not_on_time_lines,
        rate_fraction(on_time_lines, due_lines)                      as rate
    from counts
)

select * from final
order by dimension, value;
