-- Production breakdowns for the dashboard's Production page, built on
-- production_reports and the figures of 20_production.sql, so that they cover the
-- same reports as production_summary and each trend point is production_summary
-- over that point's days.
-- Filters (NULL = no filter) match the order line's customer_code / merchandiser,
-- as in production_summary.
--
--   production_by_day(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row per report_date x workshop x process in the period: planned_qty
--       (rows with a plan > 0), output_qty (all rows), defect_qty,
--       plan_attainment and defect_rate with production_summary's definitions
--   production_by_workshop(as_of, date_from, date_to, only_customer, only_merchandiser)
--       the same per workshop x process over the whole period, plus reports and
--       delay_reports (reports giving a delay reason); sorted by process order, workshop
--   production_trend(as_of, date_from, date_to, grain, weeks, only_customer, only_merchandiser)
--       one row per day (grain = 'day') or Monday-Sunday week (grain = 'week'):
--       production_summary(A, point_from, point_to). Span: the chosen date range
--       (clipped to <= A); without one, the `weeks` weeks up to the week holding A.
--       The first and last point are clipped to the span. Computed in one pass over
--       the span's reports (production_reports), each report summed into its point;
--       trend_start(as_of, date_from, date_to, weeks) is the span's first day.
--   delay_reason_pareto(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row per delay reason given in the period: reports, lost_qty, and each
--       measure's cumulative share when reasons are sorted by it (largest first,
--       ties by reason code)

create or replace macro production_by_day(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

reports as (
    select * from production_reports(as_of, date_from, date_to, only_customer, only_merchandiser)
),

totals as (
    select
        report_date,
        workshop,
        process,
        planned_qty_total(planned_qty)                               as planned_qty,
        sum(output_qty)::bigint                                      as output_qty,
        sum(defect_qty)::bigint                                      as defect_qty,
        plan_attainment_of(output_qty, planned_qty)                  as plan_attainment,
        defect_rate_of(defect_qty, inspected_qty)                    as defect_rate
    from reports
    group by report_date, workshop, process
),

final as (
    select * from totals
)

select * from final
order by report_date, process, workshop;


create or replace macro production_by_workshop(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

reports as (
    select * from production_reports(as_of, date_from, date_to, only_customer, only_merchandiser)
),

-- the order garments go through, for sorting
process_order as (
    select * from (
        values (1, 'cutting'), (2, 'sewing'), (3, 'finishing'), (4, 'packing')
    ) as processes (process_position, process)
),

totals as (
    select
        workshop,
        process,
        count(*)                                                     as reports,
        count(delay_reason)                                          as delay_reports,
        planned_qty_total(planned_qty)                               as planned_qty,
        sum(output_qty)::bigint                                      as output_qty,
        sum(defect_qty)::bigint                                      as defect_qty,
        plan_attainment_of(output_qty, planned_qty)                  as plan_attainment,
        defect_rate_of(defect_qty, inspected_qty)                    as defect_rate
    from reports
    group by workshop, process
),

final as (
    select
        totals.workshop,
        totals.process,
        totals.reports,
        totals.planned_qty,
        totals.output_qty,
        totals.defect_qty,
        totals.plan_attainment,
        totals.defect_rate,
        totals.delay_reports,
        coalesce(process_order.process_position, 99)                 as process_position
    from totals
    left join process_order
        on totals.process = process_order.process
)

select * exclude (process_position) from final
order by process_position, process, workshop;


-- the first day of production_trend's span (a scalar, so the date filter reaches the scan)
create or replace macro trend_start(as_of, date_from, date_to, weeks) as
    coalesce(
        date_from,
        case when date_to is null then date_trunc('week', as_of)::date - 7 * (weeks - 1) end,
        date_trunc('week', least(date_to, as_of))::date - 7 * (weeks - 1)
    );


create or replace macro production_trend(as_of, date_from, date_to, grain, weeks, only_customer, only_merchandiser) as table
with

span as (
    select
        trend_start(as_of, date_from, date_to, weeks)                as span_from,
        period_end(as_of, date_to)                                   as span_to
),

points as (
    select
        greatest(point_start::date, span.span_from)                  as point_from,
        least(
            case when grain = 'week' then point_start::date + 6 else point_start::date end,
            span.span_to
        )                                                            as point_to
    from span,
        unnest(generate_series(
            case when grain = 'week' then date_trunc('week', span.span_from) else span.span_from end,
            span.span_to,
            case when grain = 'week' then interval 7 day else interval 1 day end
        )) as calendar (point_start)
),

-- production_summary's reports over the whole span, read once; each falls in the
-- point that starts on its day or week start (clipped to the span's start)
production as (
    select
        production.*,
        greatest(
            case when grain = 'week' then date_trunc('week', production.report_date)::date
                 else production.report_date end,
            span.span_from
        )                                                            as point_from
    from production_reports(as_of, trend_start(as_of, date_from, date_to, weeks), period_end(as_of, date_to),
                            only_customer, only_merchandiser) as production,
        span
),

point_totals as (
    select
        point_from,
        sum(output_qty)::bigint                                      as output_qty,
        sum(defect_qty)::bigint                                      as defect_qty,
        planned_qty_total(planned_qty)                               as planned_qty,
        plan_attainment_of(output_qty, planned_qty)                  as plan_attainment,
        defect_rate_of(defect_qty, inspected_qty)                    as defect_rate
    from production
    group by point_from
),

-- production_summary's figures per point (a point without reports has no rates)
final as (
    select
        points.point_from,
        points.point_to,
        coalesce(point_totals.output_qty, 0)                         as output_qty,
        coalesce(point_totals.defect_qty, 0)                         as defect_qty,
        coalesce(point_totals.planned_qty, 0)                        as planned_qty,
        point_totals.plan_attainment,
        point_totals.defect_rate
    from points
    left join point_totals
        on points.point_from = point_totals.point_from
)

select * from final
order by point_from;


create or replace macro delay_reason_pareto(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

reports as (
    select * from production_reports(as_of, date_from, date_to, only_customer, only_merchandiser)
    where delay_reason is not null
),

reasons as (
    select
        delay_reason,
        count(*)                                                     as reports,
        sum(lost_qty)::bigint                                        as lost_qty
    from reports
    group by delay_reason
),

final as (
    select
        delay_reason,
        reports,
        rate_fraction(
            sum(reports) over (order by reports desc, delay_reason rows unbounded preceding),
            sum(reports) over ()
        )                                                            as reports_cumulative_share,
        lost_qty,
        rate_fraction(
            sum(lost_qty) over (order by lost_qty desc, delay_reason rows unbounded preceding),
            sum(lost_qty) over ()
        )                                                            as lost_cumulative_share
    from reasons
)

select * from final
order by reports desc, delay_reason;
