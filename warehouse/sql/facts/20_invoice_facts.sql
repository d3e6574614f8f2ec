-- invoice_facts_of(shipment_relation, order_line_relation, payment_relation)
--
-- One row per invoice_no of shipment_relation, over all its rows (metrics.md
-- "Receivables": an invoice is the shipment rows sharing an invoice_no):
--   first_ship_date, invoice_date   the first and the latest ship_date
--   amount                          sum of amount (shipped_qty x the line's unit_price
--                                   when not given)
--   customer_code, merchandiser, currency
--                                   of its first row by (order_no, line_no,
--                                   shipment_no); currency NULL = the base currency
--   min_currency, max_currency, has_default_currency
--                                   enough to tell, once the base currency is known,
--                                   whether its rows mix currencies
--   paid_total                      sum of payment_relation's amounts for it
--   settled_date                    when paid_total covers the amount (to within 0.01,
--                                   the unpaid threshold): the later of invoice_date
--                                   and the last payment; as of any A on or after it
--                                   the invoice is not unpaid (NULL: not yet)
-- order_line_relation supplies unit_price, currency, customer_code and merchandiser
-- (fact_order_lines, or core_order_lines in a reader). An invoice whose rows all
-- shipped by A is the same invoice at A; core/70_invoices.sql recomputes the others,
-- and those the app's records change, with this same macro.

create or replace macro invoice_facts_of(shipment_relation, order_line_relation, payment_relation) as table
with

invoice_rows as (
    select * from shipment_rows_of(shipment_relation, order_line_relation)
),

payments as (
    select * from query_table(payment_relation)
),

invoice_totals as (
    select
        invoice_no,
        min(ship_date)                                               as first_ship_date,
        max(ship_date)                                               as invoice_date,
        sum(amount)::decimal(18, 4)                                  as amount,
        -- the first row as a whole: structs compare field by field, and (order_no, line_no,
        -- shipment_no) is a shipment row's key, so the least struct is the first row's
        -- (half the work of arg_min with a struct key and value)
        min({
            'order_no': order_no, 'line_no': line_no, 'shipment_no': shipment_no,
            'currency': currency, 'customer_code': customer_code, 'merchandiser': merchandiser
        })                                                           as first_row,
        min(currency)                                                as min_currency,
        max(currency)                                                as max_currency,
        bool_or(currency is null)                                    as has_default_currency
    from invoice_rows
    group by invoice_no
),

paid as (
    select
        invoice_no,
        sum(amount)::decimal(18, 4)                                  as paid_total,
        max(payment_date)                                            as last_payment_date
    from payments
    group by invoice_no
),

final as (
    select
        invoice_totals.invoice_no,
        invoice_totals.first_row.customer_code                       as customer_code,
        invoice_totals.first_row.merchandiser                        as merchandiser,
        invoice_totals.first_row.currency                            as currency,
        invoice_totals.min_currency,
        invoice_totals.max_currency,
        invoice_totals.has_default_currency,
        invoice_totals.first_ship_date,
        invoice_totals.invoice_date,
        invoice_totals.amount,
        coalesce(paid.paid_total, 0)::decimal(18, 4)                 as paid_total,
        -- paid (to within 0.01) by the later of the invoice date and the last payment
        case
            when coalesce(paid.paid_total, 0) >= invoice_totals.amount - 0.01
                then greatest(invoice_totals.invoice_date, paid.last_payment_date)
        end                                                          as settled_date
    from invoice_totals
    left join paid
        on invoice_totals.invoice_no = paid.invoice_no
)

select * from final;
