-- int_app_payments: every payment entered in the app, with confirmed_by_load = a
-- load has since brought a payment with the same payment_no. The app row is kept
-- (shown as "confirmed by load") but no longer counts.
--
-- int_payments: the payments that count = every loaded payment, plus the app
-- payments not confirmed by a load. Same columns as stg_payments (load_id NULL for
-- app rows) plus source ('load' | 'app').
create or replace view int_app_payments as
with

app_payments as (
    select * from stg_app_payments
),

loaded as (
    select * from stg_payments
),

final as (
    select
        app_payments.*,
        loaded.payment_no is not null                                as confirmed_by_load
    from app_payments
    left join loaded
        on app_payments.payment_no = loaded.payment_no
)

select * from final;

create or replace view int_payments as
with

loaded as (
    select * from stg_payments
),

app_payments as (
    select * from int_app_payments
    where not confirmed_by_load
),

final as (
    select payment_no, invoice_no, payment_date, amount, load_id, 'load' as source
    from loaded
    union all
    select payment_no, invoice_no, payment_date, amount, null, 'app' as source
    from app_payments
)

select * from final;
