-- What the dashboard's filters offer, and whether there is anything to show.
--
--   has_order_data()       one row: has_orders (any order line loaded)
--   customer_codes()       every customer_code, sorted
--   merchandiser_names()   every merchandiser named on a customer or an order line
--                          (after defaults), sorted

create or replace macro has_order_data() as table
select exists (select 1 from core_order_lines) as has_orders;


create or replace macro customer_codes() as table
with

customers as (
    select * from core_customers
),

final as (
    select customer_code
    from customers
)

select * from final
order by customer_code;


create or replace macro merchandiser_names() as table
with

customers as (
    select * from core_customers
),

order_lines as (
    select * from core_order_lines
),

named as (
    select merchandiser from customers
    union
    select merchandiser from order_lines
),

final as (
    select merchandiser
    from named
    where merchandiser is not null
)

select * from final
order by merchandiser;
