-- stg_app_payments: payments entered in the app (app.payments), one row per
-- payment_no; amounts are in the invoice's currency. Rename/cast only.
create or replace view stg_app_payments as
with

source as (
    select * from app.payments
),

final as (
    select
        payment_no::varchar           as payment_no,
        invoice_no::varchar           as invoice_no,
        payment_date::date            as payment_date,
        amount::decimal(18, 4)        as amount,
        entered_by::varchar           as entered_by,
        entered_at::timestamp         as entered_at
    from source
)

select * from final;
