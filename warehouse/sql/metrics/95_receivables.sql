-- Receivables per customer for the dashboard's Receivables page, built on
-- invoice_status (40_receivables.sql) with receivables_ageing's definition of a
-- bucket total. Filters (NULL = no filter) as in invoice_status.
--
--   receivables_by_customer(as_of, only_customer, only_merchandiser)
--       one row per customer x ageing bucket holding unpaid invoices: invoices,
--       outstanding_base (sum of unrounded outstanding x rate_to_base, rounded
--       to 2; invoices in a currency without a rate are left out, as in
--       receivables_ageing) and customer_outstanding_base (the customer's total
--       over all buckets, for sorting); sorted by that total (largest first),
--       customer_code, bucket order

create or replace macro receivables_by_customer(as_of, only_customer, only_merchandiser) as table
with

unpaid as (
    select * from invoice_status(as_of, only_customer, only_merchandiser, unpaid_only := true)
    where is_unpaid
        and outstanding_base is not null
),

customers as (
    select * from core_customers
),

customer_buckets as (
    select
        customer_code,
        bucket_order,
        bucket,
        count(*)                                                     as invoices,
        sum(outstanding_base)                                        as outstanding_base
    from unpaid
    group by customer_code, bucket_order, bucket
),

final as (
    select
        customer_buckets.customer_code,
        customers.customer_name,
        customer_buckets.bucket,
        customer_buckets.invoices,
        round(customer_buckets.outstanding_base, 2)                  as outstanding_base,
        round(sum(customer_buckets.outstanding_base) over (partition by customer_buckets.customer_code), 2)
                                                                     as customer_outstanding_base,
        customer_buckets.bucket_order
    from customer_buckets
    left join customers
        on customer_buckets.customer_code = customers.customer_code
)

select * exclude (bucket_order) from final
order by customer_outstanding_base desc, customer_code, bucket_order;
