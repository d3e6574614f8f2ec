-- Production figures for a period, as of a date A (metrics.md "Production").
--
-- Period: the chosen date range clipped to <= A; a missing date_from leaves the
-- start open; no range at all = the 7 days [A-6, A].
-- Rows: production reports of order lines that are not cancelled and have
-- order_date <= A. Filters (NULL = no filter) match the order line's
-- customer_code and merchandiser.
--
--   production_summary(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row: period_from, period_to, output_qty, defect_qty,
--       planned_output_qty, planned_qty, plan_attainment, defect_rate
--       plan_attainment = sum(output_qty) / sum(planned_qty) over rows with
--                         planned_qty > 0 (may exceed 1); NULL when there are none
--       defect_rate     = sum(defect_qty) / sum(output_qty + defect_qty); NULL when 0
--   production_reports(as_of, date_from, date_to, only_customer, only_merchandiser)
--       the reports production_summary counts for this period, one row each, with
--       lost_qty = planned_qty - output_qty when the plan was missed (else 0)
--
-- The figures as aggregates, so that every grouping of reports (a period, a day, a
-- workshop, a trend point) computes them one way:
--   planned_qty_total(planned_qty), planned_output_total(output_qty, planned_qty)
--       sum(planned_qty) and sum(output_qty) over the rows with planned_qty > 0
--   plan_attainment_of(output_qty, planned_qty), defect_rate_of(defect_qty, inspected_qty)

create or replace macro planned_qty_total(planned_qty) as
    coalesce(sum(planned_qty) filter (where planned_qty > 0), 0)::bigint;

create or replace macro planned_output_total(output_qty, planned_qty) as
    coalesce(sum(output_qty) filter (where planned_qty > 0), 0)::bigint;

create or replace macro plan_attainment_of(output_qty, planned_qty) as
    rate_fraction(planned_output_total(output_qty, planned_qty), planned_qty_total(planned_qty));

create or replace macro defect_rate_of(defect_qty, inspected_qty) as
    rate_fraction(coalesce(sum(defect_qty), 0)::bigint, coalesce(sum(inspected_qty), 0)::bigint);


create or replace macro production_reports(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

production as (
    select * from core_production
    where report_date <= period_end(as_of, date_to)
        and (period_start(as_of, date_from, date_to) is null
             or report_date >= period_start(as_of, date_from, date_to))
),

-- Without a filter, the lines whose reports do not count (cancelled, or ordered after
-- A) are few, and only they are joined; with one, the lines that count are joined.
-- Which branch reads anything is fixed by the filters for the whole query.
left_out_lines as (
    select order_no, line_no from core_order_lines
    where only_customer is null
        and only_merchandiser is null
        and (is_cancelled or order_date > as_of)
),

kept_lines as (
    select order_no, line_no from core_order_lines
    where (only_customer is not null or only_merchandiser is not null)
        and not is_cancelled
        and order_date <= as_of
        and filter_matches(only_customer, customer_code)
        and filter_matches(only_merchandiser, merchandiser)
),

counted as (
    select * from production
    anti join left_out_lines using (order_no, line_no)
    where only_customer is null
        and only_merchandiser is null
    union all
    select * from production
    semi join kept_lines using (order_no, line_no)
    where only_customer is not null
        or only_merchandiser is not null
),

final as (
    select
        *,
        greatest(coalesce(planned_qty, 0) - output_qty, 0)           as lost_qty
    from counted
)

select * from final;


create or replace macro production_summary(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

period as (
    select
        period_start(as_of, date_from, date_to)                      as period_from,
        period_end(as_of, date_to)                                   as period_to
),

reports as (
    select * from production_reports(as_of, date_from, date_to, only_customer, only_merchandiser)
),

totals as (
    select
        coalesce(sum(output_qty), 0)::bigint                         as output_qty,
        coalesce(sum(defect_qty), 0)::bigint                         as defect_qty,
        planned_output_total(output_qty, planned_qty)                as planned_output_qty,
        planned_qty_total(planned_qty)                               as planned_qty,
        plan_attainment_of(output_qty, planned_qty)                  as plan_attainment,
        defect_rate_of(defect_qty, inspected_qty)                    as defect_rate
    from reports
),

final as (
    select
        period.period_from,
        period.period_to,
        totals.*
    from totals, period
)

select * from final;
