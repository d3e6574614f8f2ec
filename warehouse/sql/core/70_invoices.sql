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
-- unpaid_only := true leaves out invoices settled by A (fact_invoices.settled_date),
-- which cannot be unpaid at A: for the metrics that read only unpaid invoices;
-- with keep_noted := true it keeps those a follow-up note is about (the chase list
-- finds a note's owner among them).
--
-- Read from the warehouse's fact_invoices (sql/facts/), which sums every invoice's
-- rows once per load. An invoice whose rows all shipped by A is that same invoice at
-- A, with the payments dated after A taken off and the app's payments by A added.
-- The rest are recomputed here from their rows by the same macro: invoices with a
-- row shipped after A (few, for a recent A) and those a shipment typed into the app
-- and not yet confirmed by a load adds to.
create or replace macro core_invoices(as_of, unpaid_only := false, keep_noted := false) as table
with

-- not materialized: each use scans the columns and rows it needs (cheaper than a copy of all)
loaded as not materialized (
    select * from wh.fact_invoices
),

customers as (
    select * from core_customers
),

recomputed_invoices as (
    select invoice_no from loaded
    where invoice_date > as_of
        and first_ship_date <= as_of
    union
    select invoice_no from int_app_shipments
    where not confirmed_by_load
        and ship_date <= as_of
),

kept_rows as not materialized (
    select * from loaded
    anti join recomputed_invoices using (invoice_no)
    where invoice_date <= as_of
),

noted_invoices as (
    select subject_ref as invoice_no from stg_app_follow_up_notes
    where keep_noted
        and subject_kind = 'invoice'
),

-- two branches, so that the settled-date filter of the first reaches the table scan
-- (which then skips the row groups settled by A) and the second reads only what a note names
kept as (
    select * from kept_rows
    -- paid in full by A stays paid: the app's payments only add to it
    where not unpaid_only or settled_date is null or settled_date > as_of
    union all
    select * from kept_rows
    semi join noted_invoices using (invoice_no)
    where unpaid_only
        and settled_date <= as_of
),

-- loaded payments after A come off, the app's payments by A are added
payment_changes as (
    select
        invoice_no,
        sum(case when source = 'app' then amount else -amount end)  as change
    from int_payments
    where (source = 'app' and payment_date <= as_of)
        or (source = 'load' and payment_date > as_of)
    group by invoice_no
),

kept_at_as_of as (
    select
        kept.* exclude (paid_total),
        (kept.paid_total + coalesce(payment_changes.change, 0))::decimal(18, 4) as paid_total
    from kept
    left join payment_changes
        on kept.invoice_no = payment_changes.invoice_no
),

recomputed_shipments as (
    select * from int_shipments
    semi join recomputed_invoices using (invoice_no)
    where ship_date <= as_of
),

recomputed_payments as (
    select * from int_payments
    semi join recomputed_invoices using (invoice_no)
    where payment_date <= as_of
),

recomputed as (
    select * from invoice_facts_of('recomputed_shipments', 'core_order_lines', 'recomputed_payments')
),

invoices as (
    select * from kept_at_as_of
    union all by name
    select * from recomputed
),

final as (
    select
        invoices.invoice_no,
        invoices.customer_code,
        invoices.merchandiser,
        coalesce(invoices.currency, getvariable('base_currency'))          as currency,
        -- the rows' currencies, with the base currency for those that name none
        invoices.min_currency is distinct from invoices.max_currency
            or (invoices.has_default_currency and coalesce(invoices.min_currency <> getvariable('base_currency'), false))
                                                                           as has_mixed_currencies,
        invoices.invoice_date,
        invoices.invoice_date + customers.payment_terms_days               as due_date,
        invoices.amount,
        invoices.paid_total                                                as paid_amount,
        (invoices.amount - invoices.paid_total)::decimal(18, 4)            as outstanding
    from invoices
    left join customers
        on invoices.customer_code = customers.customer_code
)

select * from final;
