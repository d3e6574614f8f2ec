-- core_invoices(as_of): one row per invoice as of the date as_of.
-- An invoice at A is the shipment rows sharing an invoice_no with ship_date <= A:
--   invoice_date = the latest ship_date among them, amount = sum of their amounts,
--   due_date     = invoice_date + the customer's payment_terms_days,
--   paid_amount  = sum of payments with payment_date <= A (int_payments: loaded,
--                  plus entered in the app and not yet confirmed by a load),
--   outstanding  = amount - paid_amount (unrounded, in the invoice's currency).
-- customer_code, merchandiser and currency are those of the invoice's first row
-- (by order_no, line_no, shipment_no), so each invoice belongs to exactly one
-- customer and one merchandiser; has_mixed_currencies flags rows in several currencies.
create or replace macro core_invoices(as_of) as table
with

shipments as (
    select * from core_shipments
    where ship_date <= as_of
),

payments as (
    select * from int_payments
    where payment_date <= as_of
),

customers as (
    select * from core_customers
),

invoice_totals as (
    select
        invoice_no,
        max(ship_date)                                                   as invoice_date,
        sum(amount)::decimal(18, 4)                                      as amount,
        -- the first row as a whole (arg_min skips NULL values, a struct is never NULL)
        arg_min(
            {'currency': currency, 'customer_code': customer_code, 'merchandiser': merchandiser},
            (order_no, line_no, shipment_no)
        )                                                                as first_row,
        min(currency) <> max(currency)                                   as has_mixed_currencies
    from shipments
    group by invoice_no
),

paid as (
    select
        invoice_no,
        sum(amount)::decimal(18, 4) as paid_amount
    from payments
    group by invoice_no
),

final as (
    select
        invoice_totals.invoice_no,
        invoice_totals.first_row.customer_code                             as customer_code,
        invoice_totals.first_row.merchandiser                              as merchandiser,
        invoice_totals.first_row.currency                                  as currency,
        invoice_totals.has_mixed_currencies,
        invoice_totals.invoice_date,
        invoice_totals.invoice_date + customers.payment_terms_days         as due_date,
        invoice_totals.amount,
        coalesce(paid.paid_amount, 0)::decimal(18, 4)                      as paid_amount,
        (invoice_totals.amount - coalesce(paid.paid_amount, 0))::decimal(18, 4)
                                                                           as outstanding
    from invoice_totals
    left join paid
        on invoice_totals.invoice_no = paid.invoice_no
    left join customers
        on invoice_totals.first_row.customer_code = customers.customer_code
)

select * from final;
