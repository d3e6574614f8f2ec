-- Customer metrics as of a date A (metrics.md "Customers").
--
-- Population: order lines that are not cancelled with order_date <= A; the list
-- holds every customer with at least one. A customer's figures always cover all of
-- its lines, and ABC classes rank all customers, so a customer shows the same
-- numbers and class whatever the filter. Filters (NULL = no filter) choose rows:
-- only_customer = that customer; only_merchandiser = customers with at least one
-- such line handled by that merchandiser. The date range does not apply here.
--
--   customer_revenue(as_of)
--       per customer and currency, over lines with order_date in [A-364, A]:
--       revenue_12m (quantity x unit_price, in the currency), rate_to_base
--       (NULL = no rate), revenue_12m_base (unrounded; NULL = no rate)
--   customer_population(as_of, only_customer, only_merchandiser)
--       customer_code of every customer the list holds under these filters
--   customer_abc(as_of)
--       per customer with 12-month revenue: revenue_12m_base (rounded to 2) and abc
--       (ranked over every customer; one with no revenue is C, with 0)
--   customer_activity(as_of, only_customer, only_merchandiser)
--       one row per customer, sorted by customer_code: orders, first/last order
--       date, median_interval_days (of the gaps between distinct order dates; mean
--       of the two middle ones when even; NULL with fewer than 2 dates),
--       expected_next_order_date (last + median rounded half-up), days_since_last_order,
--       quiet, revenue_12m_base (rounded to 2), abc
--       (A: share of revenue ahead < 0.80, B: < 0.95, else C; all C when total is 0)
--   customer_activity_of(as_of, population_relation, abc_relation)
--       the same from relations named by strings holding customer_population's and
--       customer_abc's rows (the Customers page computes each once for its figures)

create or replace macro customer_revenue(as_of) as table
with

order_lines as (
    select * from core_order_lines
    where not is_cancelled
        and order_date between as_of - 364 and as_of
),

fx_rates as (
    select * from core_fx_rates
),

revenue as (
    select
        customer_code,
        currency,
        sum(line_amount)                                             as revenue_12m
    from order_lines
    group by customer_code, currency
),

final as (
    select
        revenue.customer_code,
        revenue.currency,
        revenue.revenue_12m,
        fx_rates.rate_to_base,
        revenue.revenue_12m * fx_rates.rate_to_base                  as revenue_12m_base
    from revenue
    left join fx_rates
        on revenue.currency = fx_rates.currency
)

select * from final;


create or replace macro customer_population(as_of, only_customer, only_merchandiser) as table
with

order_lines as (
    select * from core_order_lines
    where not is_cancelled
        and order_date <= as_of
        and filter_matches(only_customer, customer_code)
),

final as (
    select customer_code
    from order_lines
    group by customer_code
    having bool_or(filter_matches(only_merchandiser, merchandiser))
)

select * from final;


create or replace macro customer_abc(as_of) as table
with

revenue as (
    select * from customer_revenue(as_of)
),

customer_revenue_base as (
    select
        customer_code,
        round(coalesce(sum(revenue_12m_base), 0), 2)                 as revenue_12m_base
    from revenue
    group by customer_code
),

-- a customer without revenue comes after all of these, with the whole total before
-- it: C, as the callers default it
ranked as (
    select
        *,
        coalesce(sum(revenue_12m_base) over (
            order by revenue_12m_base desc, customer_code
            rows between unbounded preceding and 1 preceding
        ), 0)                                                        as revenue_before,
        sum(revenue_12m_base) over ()                                as revenue_total
    from customer_revenue_base
),

final as (
    select
        customer_code,
        revenue_12m_base,
        -- share ahead < 0.80 / 0.95 decided by multiplication, not division
        case
            when revenue_total = 0 then 'C'
            when revenue_before * 100 < revenue_total * 80 then 'A'
            when revenue_before * 100 < revenue_total * 95 then 'B'
            else 'C'
        end                                                          as abc
    from ranked
)

select * from final;


create or replace macro customer_activity_of(as_of, population_relation, abc_relation) as table
with

population as (
    select * from query_table(population_relation)
),

-- not materialized: each use scans the columns it needs (cheaper than a copy of all)
order_lines as not materialized (
    select * from core_order_lines
    semi join population using (customer_code)
    where not is_cancelled
        and order_date <= as_of
),

customers as (
    select * from core_customers
),

abc as (
    select * from query_table(abc_relation)
),

order_dates as (
    select distinct customer_code, order_date
    from order_lines
),

intervals as (
    select
        customer_code,
        order_date - lag(order_date) over (partition by customer_code order by order_date) as interval_days
    from order_dates
),

medians as (
    -- twice the median, kept as an integer: quantile_cont takes the middle interval,
    -- or the mean of the two middle ones when the count is even, so twice it is the
    -- sum of two whole numbers of days (exact in a double)
    select
        customer_code,
        (2 * quantile_cont(interval_days, 0.5))::bigint              as twice_median_interval
    from intervals
    where interval_days is not null
    group by customer_code
),

activity as (
    select
        customer_code,
        count(distinct order_no)                                     as orders,
        min(order_date)                                              as first_order_date,
        max(order_date)                                              as last_order_date
    from order_lines
    group by customer_code
),

final as (
    select
        activity.customer_code,
        customers.customer_name,
        customers.merchandiser,
        activity.orders,
        activity.first_order_date,
        activity.last_order_date,
        medians.twice_median_interval::decimal(18, 0) * 0.5          as median_interval_days,
        activity.last_order_date + ((medians.twice_median_interval + 1) // 2)::integer
                                                                     as expected_next_order_date,
        as_of - activity.last_order_date                             as days_since_last_order,
        -- (A - last) > 1.5 x median  <=>  4 x (A - last) > 3 x (2 x median)
        coalesce(4 * (as_of - activity.last_order_date) > 3 * medians.twice_median_interval, false)
                                                                     as quiet,
        coalesce(abc.revenue_12m_base, 0)                            as revenue_12m_base,
        coalesce(abc.abc, 'C')                                       as abc
    from activity
    left join medians
        on activity.customer_code = medians.customer_code
    left join abc
        on activity.customer_code = abc.customer_code
    left join customers
        on activity.customer_code = customers.customer_code
)

select * from final
order by customer_code;


create or replace macro customer_activity(as_of, only_customer, only_merchandiser) as table
with

population as (
    select * from customer_population(as_of, only_customer, only_merchandiser)
),

abc as (
    select * from customer_abc(as_of)
)

select * from customer_activity_of(as_of, 'population', 'abc');
