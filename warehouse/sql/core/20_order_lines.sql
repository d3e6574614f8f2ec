-- core_order_lines: one row per order line (int_order_lines: loaded, with the due
-- date / priority / status changed in the app) with the defaults that depend on
-- other rows or settings applied:
--   currency     -> getvariable('base_currency') when not given
--   merchandiser -> the customer's merchandiser when not given
-- plus ref ('ORDER/LINE', as shown in the chase list and follow-up notes),
-- is_cancelled, is_rush and line_amount (quantity x unit_price, in the line's currency).
-- Not filtered by any date: the as-of population is chosen in the metric macros.
create or replace view core_order_lines as
with

orders as (
    select * from int_order_lines
),

customers as (
    select * from core_customers
),

final as (
    select
        orders.order_no,
        orders.line_no,
        orders.order_no || '/' || orders.line_no                     as ref,
        orders.customer_code,
        customers.customer_name,
        orders.order_date,
        orders.style_no,
        orders.description,
        orders.quantity,
        orders.unit_price,
        coalesce(orders.currency, getvariable('base_currency'))      as currency,
        orders.quantity * orders.unit_price                          as line_amount,
        orders.due_date,
        coalesce(orders.merchandiser, customers.merchandiser)        as merchandiser,
        orders.priority,
        orders.status,
        orders.status = 'cancelled'                                  as is_cancelled,
        orders.priority = 'rush'                                     as is_rush
    from orders
    left join customers
        on orders.customer_code = customers.customer_code
)

select * from final;
