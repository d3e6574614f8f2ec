-- Trends for the dashboard, built on the metric macros so each point is the same
-- number the metric gives for that period.
--
--   otd_by_week(as_of, weeks, only_customer, only_merchandiser)
--       one row per Monday-Sunday week (week_start), the last `weeks` weeks up to
--       the week holding A: on_time_delivery(A, week_start, week_end) per week,
--       i.e. the lines due in that week (and by A), on time as of A.

create or replace macro otd_by_week(as_of, weeks, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from order_line_delivery(as_of, only_customer, only_merchandiser)
),

calendar as (
    select unnest(generate_series(
        date_trunc('week', as_of)::date - 7 * (weeks - 1),
        date_trunc('week', as_of)::date,
        interval 7 day
    ))::date as week_start
),

due_lines as (
    select
        date_trunc('week', due_date)::date                           as week_start,
        is_on_time
    from order_lines
    where due_date <= as_of
),

counts as (
    select
        calendar.week_start,
        count(due_lines.week_start)                                  as due_lines,
        count(*) filter (where due_lines.is_on_time)                 as on_time_lines
    from calendar
    left join due_lines
        on calendar.week_start = due_lines.week_start
    group by calendar.week_start
),

final as (
    select
        week_start,
        week_start + 6                                               as week_end,
        due_lines,
        on_time_lines,
        rate_fraction(on_time_lines, due_lines)                      as rate
    from counts
)

select * from final
order by week_start;
