-- order_line_facts_of(order_relation, customer_relation, shipment_relation, production_relation)
--
-- One row per order line of order_relation: the line as core shows it (merchandiser
-- defaulted to the customer's, customer_name) plus what every as-of metric needs
-- from its shipments and production reports, summed over all their dates:
--   shipped_total         sum of shipped_qty
--   shipped_by_due_date   sum of shipped_qty with ship_date <= due_date
--   last_ship_date        the latest ship_date
--   packed_total          sum of packing output_qty
--   last_packing_date     the latest report_date of packing output
--   first_report_date     the first report_date of any process
--   packed_complete_date  the first report_date on which the running packing total
--                         reached quantity (NULL: never)
--   settled_date          last_ship_date when the shipments add up to the quantity
--                         (NULL: not yet): as of any A on or after it the line is
--                         complete, whatever the ship tolerance
-- None of these depends on the as-of date A or on a setting: a metric as of A takes
-- the totals and subtracts the few rows dated after A (see metrics/10_order_lines.sql).
-- The relations are named by strings, so the same definition builds the warehouse's
-- fact_order_lines table from the loaded rows (warehouse/facts.py) and, in a reader,
-- the rows of the few lines that records typed into the app change
-- (core/20_order_lines.sql).

create or replace macro order_line_facts_of(
    order_relation, customer_relation, shipment_relation, production_relation
) as table
with

-- line_id numbers the lines for this query only: the shipments and packing days are
-- matched to their line once, by its strings, and grouped, windowed and joined back
-- by the integer (cheaper than by the two strings at every step); materialized, so
-- every use sees the same numbers
orders as materialized (
    select *, row_number() over () as line_id from query_table(order_relation)
),

customers as (
    select * from query_table(customer_relation)
),

shipments as (
    select * from query_table(shipment_relation)
),

production as not materialized (
    select * from query_table(production_relation)
),

line_shipments as (
    select
        orders.line_id,
        sum(shipments.shipped_qty)::bigint                           as shipped_total,
        coalesce(sum(shipments.shipped_qty) filter (where shipments.ship_date <= orders.due_date), 0)::bigint
                                                                     as shipped_by_due_date,
        max(shipments.ship_date)                                     as last_ship_date
    from shipments
    inner join orders
        on shipments.order_no = orders.order_no
        and shipments.line_no = orders.line_no
    group by all
),

line_reports as (
    select
        order_no,
        line_no,
        min(report_date)                                             as first_report_date
    from production
    group by all
),

packed_by_day as (
    select
        orders.line_id,
        -- one value per line: carried along for the completion date below
        any_value(orders.quantity)                                   as quantity,
        production.report_date,
        sum(production.output_qty)                                   as packed_qty
    from production
    inner join orders
        on production.order_no = orders.order_no
        and production.line_no = orders.line_no
    where production.process = 'packing'
    group by orders.line_id, production.report_date
),

packed_to_date as (
    select
        *,
        sum(packed_qty) over (partition by line_id order by report_date) as cumulative_qty
    from packed_by_day
),

line_packing as (
    select
        line_id,
        sum(packed_qty)::bigint                                      as packed_total,
        max(report_date)                                             as last_packing_date,
        min(report_date) filter (where cumulative_qty >= quantity)   as packed_complete_date
    from packed_to_date
    group by all
),

final as (
    select
        orders.order_no,
        orders.line_no,
        orders.customer_code,
        customers.customer_name,
        orders.order_date,
        orders.style_no,
        orders.description,
        orders.quantity,
        orders.unit_price,
        orders.currency,
        orders.due_date,
        coalesce(orders.merchandiser, customers.merchandiser)        as merchandiser,
        orders.priority,
        orders.status,
        coalesce(line_shipments.shipped_total, 0)                    as shipped_total,
        coalesce(line_shipments.shipped_by_due_date, 0)              as shipped_by_due_date,
        line_shipments.last_ship_date,
        coalesce(line_packing.packed_total, 0)                       as packed_total,
        line_packing.last_packing_date,
        line_reports.first_report_date,
        line_packing.packed_complete_date,
        case
            when coalesce(line_shipments.shipped_total, 0) >= orders.quantity then line_shipments.last_ship_date
        end                                                          as settled_date
    from orders
    left join customers
        on orders.customer_code = customers.customer_code
    left join line_shipments
        on orders.line_id = line_shipments.line_id
    left join line_reports
        on orders.order_no = line_reports.order_no
        and orders.line_no = line_reports.line_no
    left join line_packing
        on orders.line_id = line_packing.line_id
)

select * from final;
