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

create or replace macro production_summary(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

period as (
    select
        period_start(as_of, date_from, date_to)                      as period_from,
        period_end(as_of, date_to)                                   as period_to
),

production as (
    select production.*
    from core_production as production
    where not production.is_cancelled
        and production.order_date <= as_of
        and production.report_date <= period_end(as_of, date_to)
        and (period_start(as_of, date_from, date_to) is null
             or production.report_date >= period_start(as_of, date_from, date_to))
        and filter_matches(only_customer, production.customer_code)
        and filter_matches(only_merchandiser, production.merchandiser)
),

totals as (
    select
        coalesce(sum(output_qty), 0)::bigint                         as output_qty,
        coalesce(sum(defect_qty), 0)::bigint                         as defect_qty,
        coalesce(sum(inspected_qty), 0)::bigint                      as inspected_qty,
        coalesce(sum(output_qty) filter (where planned_qty > 0), 0)::bigint
                                                                     as planned_output_qty,
        coalesce(sum(planned_qty) filter (where planned_qty > 0), 0)::bigint
                                                                     as planned_qty
    from production
),

final as (
    select
        period.period_from,
        period.period_to,
        totals.output_qty,
        totals.defect_qty,
        totals.planned_output_qty,
        totals.planned_qty,
        rate_fraction(totals.planned_output_qty, totals.planned_qty) as plan_attainment,
        rate_fraction(totals.defect_qty, totals.inspected_qty)       as defect_rate
    from totals, period
)

select * from final;
