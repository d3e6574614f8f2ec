-- Receivables metrics as of a date A (metrics.md "Receivables"). Receivables follow
-- the shipments: shipments of cancelled order lines are still owed.
-- Filters (NULL = no filter) match the customer_code / merchandiser an invoice is
-- attributed to: those of its first shipment row's order line (core/70_invoices.sql).
-- The date range does not apply here.
--
--   ageing_buckets()
--       the buckets by days_past_due: not_due (<= 0), 1-30, 31-60, 61-90, 90+ (> 90)
--   invoice_status(as_of, only_customer, only_merchandiser)
--       one row per invoice at A: outstanding (unrounded, invoice currency),
--       days_past_due (A - due_date), bucket, is_unpaid (outstanding > 0.01),
--       rate_to_base (NULL = no rate), outstanding_base (unrounded; NULL = no rate);
--       unpaid_only := true may leave out invoices that are not unpaid at A (those
--       settled by A), for callers that keep only is_unpaid rows; keep_noted := true
--       keeps those a follow-up note is about among them (see core/70_invoices.sql)
--   unpaid_invoices(as_of, only_customer, only_merchandiser)
--       the unpaid ones, money rounded half-up to 2 decimals; sorted by invoice_no
--   receivables_ageing(as_of, only_customer, only_merchandiser)
--       one row per bucket (all five, in order): invoices, outstanding_base =
--       sum of unrounded outstanding x rate_to_base, then rounded to 2 decimals;
--       invoices in a currency without a rate are left out (see 70_warnings.sql)
--   unpaid_invoices_of(invoice_relation), receivables_ageing_of(invoice_relation)
--       the same from a relation named by a string holding invoice_status rows
--       (see 10_order_lines.sql: computed once by kpi_report)

create or replace macro ageing_buckets() as table
select * from (
    values
        (1, 'not_due', null, 0),
        (2, '1-30', 1, 30),
        (3, '31-60', 31, 60),
        (4, '61-90', 61, 90),
        (5, '90+', 91, null)
) as buckets (bucket_order, bucket, min_days_past_due, max_days_past_due);


create or replace macro invoice_status(
    as_of, only_customer, only_merchandiser, unpaid_only := false, keep_noted := false
) as table
with

invoices as (
    select * from core_invoices(as_of, unpaid_only := unpaid_only, keep_noted := keep_noted)
    where filter_matches(only_customer, customer_code)
        and filter_matches(only_merchandiser, merchandiser)
),

fx_rates as (
    select * from core_fx_rates
),

buckets as (
    select * from ageing_buckets()
),

aged as (
    select
        invoices.*,
        as_of - invoices.due_date                                    as days_past_due
    from invoices
),

final as (
    select
        aged.*,
        buckets.bucket,
        buckets.bucket_order,
        aged.outstanding > 0.01                                      as is_unpaid,
        fx_rates.rate_to_base,
        aged.outstanding * fx_rates.rate_to_base                     as outstanding_base
    from aged
    left join buckets
        on (buckets.min_days_past_due is null or aged.days_past_due >= buckets.min_days_past_due)
        and (buckets.max_days_past_due is null or aged.days_past_due <= buckets.max_days_past_due)
    left join fx_rates
        on aged.currency = fx_rates.currency
)

select * from final;


create or replace macro unpaid_invoices_of(invoice_relation) as table
with

source as (
    select * from query_table(invoice_relation)
),

final as (
    select
        invoice_no,
        customer_code,
        merchandiser,
        currency,
        invoice_date,
        due_date,
        round(amount, 2)                                             as amount,
        round(paid_amount, 2)                                        as paid_amount,
        round(outstanding, 2)                                        as outstanding,
        round(outstanding_base, 2)                                   as outstanding_base,
        days_past_due,
        bucket
    from source
    where is_unpaid
)

select * from final
order by invoice_no;


create or replace macro unpaid_invoices(as_of, only_customer, only_merchandiser) as table
with

invoice_rows as (
    select * from invoice_status(as_of, only_customer, only_merchandiser, unpaid_only := true)
)

select * from unpaid_invoices_of('invoice_rows');


create or replace macro receivables_ageing_of(invoice_relation) as table
with

source as (
    select * from query_table(invoice_relation)
),

unpaid as (
    select * from source
    where is_unpaid
        and outstanding_base is not null
),

buckets as (
    select * from ageing_buckets()
),

bucket_totals as (
    select
        bucket,
        count(*)                                                     as invoices,
        sum(outstanding_base)                                        as outstanding_base
    from unpaid
    group by bucket
),

final as (
    select
        buckets.bucket_order,
        buckets.bucket,
        coalesce(bucket_totals.invoices, 0)                          as invoices,
        round(coalesce(bucket_totals.outstanding_base, 0), 2)        as outstanding_base
    from buckets
    left join bucket_totals
        on buckets.bucket = bucket_totals.bucket
)

select * from final
order by bucket_order;


create or replace macro receivables_ageing(as_of, only_customer, only_merchandiser) as table
with

invoice_rows as (
    select * from invoice_status(as_of, only_customer, only_merchandiser, unpaid_only := true)
)

select * from receivables_ageing_of('invoice_rows');
