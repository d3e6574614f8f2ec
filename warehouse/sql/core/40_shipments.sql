-- core_shipments: one row per shipment row that counts (int_shipments: loaded, plus
-- entered in the app and not yet confirmed by a load) with the defaults that depend
-- on the order line applied:
--   amount   -> shipped_qty x the line's unit_price when not given
--   currency -> the line's currency when not given
-- plus the line's customer_code and merchandiser. Shipments of cancelled lines
-- are kept: goods shipped are owed whatever became of the line.
create or replace view core_shipments as
with

shipments as (
    select * from int_shipments
),

order_lines as (
    select * from core_order_lines
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
