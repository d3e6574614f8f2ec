-- stg_payments: wh.payments as loaded, one row per payment_no; amounts are in
-- the invoice's currency. Rename/cast only.
create or replace view stg_payments as
with

source as (
    select * from wh.payments
),

final as (
    select
        payment_no::varchar           as payment_no,
        invoice_no::varchar           as invoice_no,
        payment_date::date            as payment_date,
        amount::decimal(18, 4)        as amount,
        load_id::integer              as load_id
    from source
)

select * from final;
