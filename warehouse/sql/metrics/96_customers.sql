-- Ordering patterns for the dashboard's Customers page, with customer_activity's
-- definitions (50_customers.sql): the same customers (customer_population: filters
-- as there, only_customer = that customer, only_merchandiser = customers with at
-- least one line of theirs, whose figures cover all their lines), the same ABC
-- classes (customer_abc), the same order lines (not cancelled,
-- order_date <= A) and the same base-currency conversion as revenue_12m_base
-- (quantity x unit_price x rate_to_base; a currency without a rate is left out and
-- named by metric_warnings).
--
-- Span: the chosen date range clipped to <= A; without a start, as noted per macro.
--
--   customer_monthly(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row per customer x calendar month of the span (months without orders
--       included, so a heatmap has no holes): abc, orders (distinct order_no),
--       quantity, revenue_base (rounded to 2); lines outside the span are left
--       out of a partial first/last month. Default span: the 12 months up to the
--       month holding A. Sorted by customer_code, month.
--   top_styles(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row per style_no ordered in the span: description, customers, orders,
--       quantity, revenue_base (rounded to 2); default span: [A-364, A], the
--       window of revenue_12m_base (the 365 days up to the range's end when only an
--       end is chosen). Sorted by revenue_base desc, quantity desc, style_no.
--   customer_monthly_of(as_of, date_from, date_to, population_relation, abc_relation)
--   top_styles_of(as_of, date_from, date_to, population_relation)
--       the same from relations named by strings holding customer_population's
--       (and customer_abc's) rows (see customer_activity_of)

create or replace macro customer_order_lines_of(as_of, span_from, span_to, customer_relation) as table
-- the order lines ordered in [span_from, span_to] of the customers in customer_relation
-- (a relation of the caller holding customer_code: customer_population's rows), with
-- their amount in the base currency (NULL = no rate)
with

customers as (
    select customer_code from query_table(customer_relation)
),

order_lines as (
    select * from core_order_lines
    where not is_cancelled
        and order_date <= as_of
        and order_date between span_from and span_to
),

fx_rates as (
    select * from core_fx_rates
),

final as (
    select
        order_lines.*,
        order_lines.line_amount * fx_rates.rate_to_base              as line_amount_base
    from order_lines
    semi join customers
        on order_lines.customer_code = customers.customer_code
    left join fx_rates
        on order_lines.currency = fx_rates.currency
)

select * from final;


create or replace macro customer_monthly_of(as_of, date_from, date_to, population_relation, abc_relation) as table
with

span as (
    select
        coalesce(
            date_from,
            (date_trunc('month', least(coalesce(date_to, as_of), as_of)) - interval 11 month)::date
        )                                                            as span_from,
        least(coalesce(date_to, as_of), as_of)                       as span_to
),

customers as (
    select
        population.customer_code,
        coalesce(customer_abc.abc, 'C')                              as abc
    from query_table(population_relation) as population
    left join query_table(abc_relation) as customer_abc
        on population.customer_code = customer_abc.customer_code
),

order_lines as (
    select order_lines.*
    from span,
        lateral (
            select * from customer_order_lines_of(as_of, span.span_from, span.span_to, 'customers')
        ) as order_lines
),

calendar as (
    select unnest(generate_series(
        date_trunc('month', span.span_from),
        date_trunc('month', span.span_to),
        interval 1 month
    ))::date                                                         as month
    from span
),

monthly as (
    select
        customer_code,
        date_trunc('month', order_date)::date                        as month,
        count(distinct order_no)                                     as orders,
        sum(quantity)::bigint                                        as quantity,
        coalesce(sum(line_amount_base), 0)                           as revenue_base
    from order_lines
    group by customer_code, date_trunc('month', order_date)
),

final as (
    select
        customers.customer_code,
        customers.abc,
        calendar.month,
        coalesce(monthly.orders, 0)                                  as orders,
        coalesce(monthly.quantity, 0)                                as quantity,
        round(coalesce(monthly.revenue_base, 0), 2)                  as revenue_base
    from customers
    cross join calendar
    left join monthly
        on customers.customer_code = monthly.customer_code
        and calendar.month = monthly.month
)

select * from final
order by customer_code, month;


create or replace macro customer_monthly(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

population as (
    select * from customer_population(as_of, only_customer, only_merchandiser)
),

abc as (
    select * from customer_abc(as_of)
)

select * from customer_monthly_of(as_of, date_from, date_to, 'population', 'abc');


create or replace macro top_styles_of(as_of, date_from, date_to, population_relation) as table
with

customers as (
    select * from query_table(population_relation)
),

order_lines as (
    select * from customer_order_lines_of(
        as_of,
        coalesce(date_from, least(coalesce(date_to, as_of), as_of) - 364),
        least(coalesce(date_to, as_of), as_of),
        'customers'
    )
),

styles as (
    select
        style_no,
        max(description)                                             as description,
        count(distinct customer_code)                                as customers,
        count(distinct order_no)                                     as orders,
        sum(quantity)::bigint                                        as quantity,
        round(coalesce(sum(line_amount_base), 0), 2)                 as revenue_base
    from order_lines
    group by style_no
),

final as (
    select * from styles
)

select * from final
order by revenue_base desc, quantity desc, style_no;


create or replace macro top_styles(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

population as (
    select * from customer_population(as_of, only_customer, only_merchandiser)
)

select * from top_styles_of(as_of, date_from, date_to, 'population');
