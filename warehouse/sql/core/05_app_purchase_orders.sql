-- int_app_po_receipts: every goods receipt entered in the app, with
--   accepted_qty      = received_qty - rejected_qty (what counts towards the PO line)
--   confirmed_by_load = the loaded PO line's received_date is on or after the
--                       receipt_date: that export is taken to include the receipt.
-- A confirmed receipt is kept (shown as "confirmed by load") but no longer counts.
--
-- int_purchase_orders: stg_purchase_orders with the receipts not confirmed by a load
-- added: received_qty + their accepted_qty, received_date = the latest of the loaded
-- date and theirs. Same columns as stg_purchase_orders plus loaded_received_qty,
-- loaded_received_date and app_received_qty.
create or replace view int_app_po_receipts as
with

receipts as (
    select * from stg_app_po_receipts
),

loaded as (
    select * from stg_purchase_orders
),

final as (
    select
        receipts.*,
        receipts.received_qty - receipts.rejected_qty                as accepted_qty,
        coalesce(loaded.received_date >= receipts.receipt_date, false)
                                                                     as confirmed_by_load
    from receipts
    left join loaded
        on receipts.po_no = loaded.po_no
        and receipts.po_line = loaded.po_line
)

select * from final;

create or replace view int_purchase_orders as
with

purchase_orders as (
    select * from stg_purchase_orders
),

receipts as (
    select * from int_app_po_receipts
    where not confirmed_by_load
),

app_received as (
    select
        po_no,
        po_line,
        sum(accepted_qty)::decimal(18, 4)                            as app_received_qty,
        max(receipt_date)                                            as app_received_date
    from receipts
    group by po_no, po_line
),

final as (
    select
        purchase_orders.po_no,
        purchase_orders.po_line,
        purchase_orders.supplier,
        purchase_orders.material,
        purchase_orders.order_no,
        purchase_orders.order_date,
        purchase_orders.promised_date,
        purchase_orders.quantity,
        purchase_orders.unit,
        (purchase_orders.received_qty + coalesce(app_received.app_received_qty, 0))::decimal(18, 4)
                                                                     as received_qty,
        -- greatest() skips NULLs: either date alone is the date
        greatest(purchase_orders.received_date, app_received.app_received_date)
                                                                     as received_date,
        purchase_orders.status,
        purchase_orders.load_id,
        purchase_orders.received_qty                                 as loaded_received_qty,
        purchase_orders.received_date                                as loaded_received_date,
        coalesce(app_received.app_received_qty, 0)::decimal(18, 4)   as app_received_qty
    from purchase_orders
    left join app_received
        on purchase_orders.po_no = app_received.po_no
        and purchase_orders.po_line = app_received.po_line
)

select * from final;
