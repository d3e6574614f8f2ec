-- What moved in a period, and which lines went late in it: the weekly review's own
-- figures (its headline KPIs are those of kpi_report for the week).
--
-- Period: the chosen date range clipped to <= A, as for production_summary; no
-- range at all = the 7 days [A-6, A].
-- Shipments count whatever became of their order line (goods shipped are shipped,
-- and owed); filters (NULL = no filter) match the order line's customer_code and
-- merchandiser. A payment belongs to its invoice's customer and merchandiser and is
-- in the invoice's currency (core_invoices as of A).
-- Base-currency values are Σ unrounded amount × rate_to_base, rounded to 2 decimals
-- at the end; an amount in a currency without a rate is left out of the total and
-- its currency listed in unrated_currencies (as the ageing does).
--
--   shipments_in_period(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row per shipment row shipped in the period: amount (its currency),
--       rate_to_base and amount_base (rounded to 2; NULL = no rate);
--       sorted by (ship_date, shipment_no, order_no, line_no)
--   payments_in_period(as_of, date_from, date_to, only_customer, only_merchandiser)
--       one row per payment received in the period: amount (the invoice's
--       currency), rate_to_base and amount_base; sorted by (payment_date, payment_no)
--   period_flows(as_of, date_from, date_to, only_customer, only_merchandiser)
--       two rows, flow = 'shipments' then 'collections': documents (distinct
--       shipment_no / payment_no), quantity (shipped pieces; NULL for collections),
--       amount_base (from the unrounded amounts), unrated_currencies (sorted list)
--   period_flows_of(shipment_relation, payment_relation)
--       the same from relations named by strings holding the period's
--       shipments_in_period and payments_in_period rows (the weekly review shows
--       the lists and their totals, and computes each list once)
--   new_late_lines(as_of, date_from, date_to, only_customer, only_merchandiser)
--       lines late at A that were not late at the end of the day before the period
--       (date_from - 1; A - 7 without a range), with delay_reasons: the distinct
--       delay_reason codes reported for the line up to A, sorted; by (order_no, line_no)
--   new_late_lines_of(as_of, date_from, line_relation)
--       the same, with the lines late at A read from a relation named by a string
--       holding at least the late order_line_shipping (or _status) rows at A, for the
--       filters wanted (the lines late the day before are told from their dates)

create or replace macro shipments_in_period(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

shipments as (
    select shipments.*
    from core_shipments as shipments
    where shipments.ship_date <= period_end(as_of, date_to)
        and (period_start(as_of, date_from, date_to) is null
             or shipments.ship_date >= period_start(as_of, date_from, date_to))
        and filter_matches(only_customer, shipments.customer_code)
        and filter_matches(only_merchandiser, shipments.merchandiser)
),

fx_rates as (
    select * from core_fx_rates
),

final as (
    select
        shipments.shipment_no,
        shipments.order_no,
        shipments.line_no,
        shipments.customer_code,
        shipments.merchandiser,
        shipments.ship_date,
        shipments.shipped_qty,
        shipments.invoice_no,
        shipments.amount,
        shipments.currency,
        fx_rates.rate_to_base,
        round(shipments.amount * fx_rates.rate_to_base, 2)           as amount_base
    from shipments
    left join fx_rates
        on shipments.currency = fx_rates.currency
)

select * from final
order by ship_date, shipment_no, order_no, line_no;


create or replace macro payments_in_period(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

payments as (
    select payments.*
    from int_payments as payments
    where payments.payment_date <= period_end(as_of, date_to)
        and (period_start(as_of, date_from, date_to) is null
             or payments.payment_date >= period_start(as_of, date_from, date_to))
),

invoices as (
    select * from core_invoices(as_of)
),

fx_rates as (
    select * from core_fx_rates
),

final as (
    select
        payments.payment_no,
        payments.invoice_no,
        invoices.customer_code,
        invoices.merchandiser,
        payments.payment_date,
        payments.amount,
        invoices.currency,
        fx_rates.rate_to_base,
        round(payments.amount * fx_rates.rate_to_base, 2)            as amount_base
    from payments
    left join invoices
        on payments.invoice_no = invoices.invoice_no
    left join fx_rates
        on invoices.currency = fx_rates.currency
    where filter_matches(only_customer, invoices.customer_code)
        and filter_matches(only_merchandiser, invoices.merchandiser)
)

select * from final
order by payment_date, payment_no;


create or replace macro period_flows_of(shipment_relation, payment_relation) as table
with

shipments as (
    select * from query_table(shipment_relation)
),

payments as (
    select * from query_table(payment_relation)
),

shipment_totals as (
    select
        1                                                            as flow_order,
        'shipments'                                                  as flow,
        count(distinct shipment_no)                                  as documents,
        coalesce(sum(shipped_qty), 0)::bigint                        as quantity,
        round(coalesce(sum(amount * rate_to_base), 0), 2)::decimal(18, 2)
                                                                     as amount_base,
        coalesce(list_sort(list(distinct coalesce(currency, '?')) filter (where rate_to_base is null)), [])
                                                                     as unrated_currencies
    from shipments
),

collection_totals as (
    select
        2                                                            as flow_order,
        'collections'                                                as flow,
        count(distinct payment_no)                                   as documents,
        null::bigint                                                 as quantity,
        round(coalesce(sum(amount * rate_to_base), 0), 2)::decimal(18, 2)
                                                                     as amount_base,
        coalesce(list_sort(list(distinct coalesce(currency, '?')) filter (where rate_to_base is null)), [])
                                                                     as unrated_currencies
    from payments
),

final as (
    select * from shipment_totals
    union all
    select * from collection_totals
)

select flow, documents, quantity, amount_base, unrated_currencies
from final
order by flow_order;


create or replace macro period_flows(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

shipments as (
    select * from shipments_in_period(as_of, date_from, date_to, only_customer, only_merchandiser)
),

payments as (
    select * from payments_in_period(as_of, date_from, date_to, only_customer, only_merchandiser)
)

select * from period_flows_of('shipments', 'payments');


create or replace macro new_late_lines_of(as_of, date_from, line_relation) as table
with

lines as (
    select * from query_table(line_relation)
),

-- A line late at A was late at the day before the period (B) too, unless it was
-- ordered after B or falls due on or after B: not complete by A, it was not complete
-- by B <= A either (the running shipped total never decreases), and its status, due
-- date, customer and merchandiser are the same at both dates. So the lines late at B
-- need no computing of their own. A period starting after A leaves nothing.
new_lines as (
    select
        *,
        days_past_due                                                as days_late
    from lines
    where is_late
        and (order_date > coalesce(date_from - 1, as_of - 7)
             or due_date >= coalesce(date_from - 1, as_of - 7))
),

-- the reports of the new late lines only
delay_reports as (
    select * from core_production
    semi join new_lines using (order_no, line_no)
    where report_date <= as_of
        and delay_reason is not null
),

line_delay_reasons as (
    select
        order_no,
        line_no,
        list_sort(list(distinct delay_reason))                       as delay_reasons
    from delay_reports
    group by order_no, line_no
),

final as (
    select
        new_lines.order_no,
        new_lines.line_no,
        new_lines.ref,
        new_lines.customer_code,
        new_lines.merchandiser,
        new_lines.style_no,
        new_lines.priority,
        new_lines.due_date,
        new_lines.days_late,
        new_lines.open_qty,
        coalesce(line_delay_reasons.delay_reasons, [])               as delay_reasons
    from new_lines
    left join line_delay_reasons
        on new_lines.order_no = line_delay_reasons.order_no
        and new_lines.line_no = line_delay_reasons.line_no
)

select * from final
order by order_no, line_no;


create or replace macro new_late_lines(as_of, date_from, date_to, only_customer, only_merchandiser) as table
with

line_shipping as (
    select * from order_line_shipping(as_of, only_customer, only_merchandiser, open_only := true)
)

select * from new_late_lines_of(as_of, date_from, 'line_shipping');
