-- shipment_rows_of(shipment_relation, order_line_relation)
--
-- One row per shipment row of shipment_relation with the defaults that depend on
-- its order line applied:
--   amount   -> shipped_qty x the line's unit_price when not given
--   currency -> the line's currency when not given (NULL when neither names one:
--               the base currency, applied by whoever reads it)
-- plus the line's customer_code and merchandiser. A shipment of a line missing from
-- order_line_relation keeps its row, without these.
-- Used by core_shipments (a reader's core_order_lines) and by invoice_facts_of
-- (the writer's fact_order_lines, or a reader's core_order_lines).

create or replace macro shipment_rows_of(shipment_relation, order_line_relation) as table
with

shipments as (
    select * from query_table(shipment_relation)
),

order_lines as (
    select * from query_table(order_line_relation)
),

final as (
    select
        shipments.shipment_no,
        shipments.order_no,
        shipments.line_no,
        shipments.ship_date,
        shipments.shipped_qty,
        shipments.invoice_no,
        coalesce(shipments.amount, shipments.shipped_qty * order_lines.unit_price)::decimal(18, 4)
                                                                     as amount,
        coalesce(shipments.currency, order_lines.currency)           as currency,
        order_lines.customer_code,
        order_lines.merchandiser
    from shipments
    left join order_lines
        on shipments.order_no = order_lines.order_no
        and shipments.line_no = order_lines.line_no
)

select * from final;
