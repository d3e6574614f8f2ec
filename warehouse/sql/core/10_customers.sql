-- core_customers: one row per customer, the home of customer-level attributes
-- (payment terms for invoice due dates, default merchandiser for order lines).
create or replace view core_customers as
with

customers as (
    select * from stg_customers
),

final as (
    select
        customer_code,
        customer_name,
        country,
        payment_terms_days,
        tier,
        merchandiser
    from customers
)

select * from final;
