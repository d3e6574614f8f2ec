-- Warnings that go with the figures as of a date A (metrics.md: "An amount in a
-- currency with no rate is left out of every base-currency total, and the
-- output's warnings list names that currency").
--
--   metric_warnings(as_of, only_customer, only_merchandiser)
--   metric_warnings_of(as_of, invoice_relation)   (invoice_status rows, see 10_order_lines.sql)
--       one row per warning, sorted by its text:
--       missing_fx_rate     a currency without a rate among the unpaid invoices
--                           (filtered) or the 12-month revenue of any customer (ABC
--                           ranks all customers, so every customer's revenue counts)
--       mixed_currency      an unpaid invoice whose rows are in several currencies;
--                           its amount adds them up as the first row's currency

create or replace macro metric_warnings_of(as_of, invoice_relation) as table
with

unpaid as (
    select * from query_table(invoice_relation)
    where is_unpaid
),

revenue as (
    select * from customer_revenue(as_of)
),

unrated_uses as (
    select distinct currency, 'receivables ageing' as used_in
    from unpaid
    where rate_to_base is null
    union all
    select distinct currency, 'customer revenue' as used_in
    from revenue
    where rate_to_base is null
),

missing_rates as (
    select
        'missing_fx_rate'                                            as warning_code,
        currency                                                     as subject,
        format('no exchange rate for {}: its amounts are left out of base-currency totals ({})',
            currency, string_agg(used_in, ', ' order by used_in desc)) as warning
    from unrated_uses
    group by currency
),

mixed_currencies as (
    select
        'mixed_currency'                                             as warning_code,
        invoice_no                                                   as subject,
        format('invoice {} has rows in several currencies; its amount adds them up as {}',
            invoice_no, currency)                                    as warning
    from unpaid
    where has_mixed_currencies
),

final as (
    select * from missing_rates
    union all
    select * from mixed_currencies
)

select * from final
order by warning;


create or replace macro metric_warnings(as_of, only_customer, only_merchandiser) as table
with

-- only the invoices that can warn: passing the other hundred thousand unpaid ones
-- through metric_warnings_of would cost more than the rest of the query
invoice_rows as (
    select * from invoice_status(as_of, only_customer, only_merchandiser, unpaid_only := true)
    where rate_to_base is null
        or has_mixed_currencies
)

select * from metric_warnings_of(as_of, 'invoice_rows');
