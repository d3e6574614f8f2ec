-- stg_orders: wh.orders as loaded, one row per order line (order_no, line_no).
-- Rename/cast only: currency and merchandiser stay NULL when not given; their
-- defaults (base currency, the customer's merchandiser) are applied in core.
create or replace view stg_orders as
with

source as (
    select * from wh.orders
),

final as (
    select
        order_no::varchar             as order_no,
        line_no::integer              as line_no,
        customer_code::varchar        as customer_code,
        order_date::date              as order_date,
        style_no::varchar             as style_no,
        description::varchar          as description,
        quantity::bigint              as quantity,
        unit_price::decimal(18, 4)    as unit_price,
        currency::varchar             as currency,
        due_date::date                as due_date,
        merchandiser::varchar         as merchandiser,
        priority::varchar             as priority,
        status::varchar               as status,
        load_id::integer              as load_id
    from source
)

select * from final;
