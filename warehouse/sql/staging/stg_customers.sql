-- stg_customers: wh.customers as loaded, one row per customer_code. Rename/cast only.
create or replace view stg_customers as
with

source as (
    select * from wh.customers
),

final as (
    select
        customer_code::varchar        as customer_code,
        customer_name::varchar        as customer_name,
        country::varchar              as country,
        payment_terms_days::integer   as payment_terms_days,
        tier::varchar                 as tier,
        merchandiser::varchar         as merchandiser,
        load_id::integer              as load_id
    from source
)

select * from final;
