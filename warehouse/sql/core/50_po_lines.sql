-- core_po_lines: one row per PO line (a status snapshot, used as it is, with the
-- receipts entered in the app added: int_purchase_orders) with
-- ref ('PO/LINE'), open_qty (quantity - received_qty), is_cancelled, and the
-- customer_code and merchandiser it is attributed to: those of the lowest
-- line_no of its sales order (order_no). A PO line without a known sales order
-- has no customer or merchandiser, so any customer/merchandiser filter leaves it out.
create or replace view core_po_lines as
with

purchase_orders as (
    select * from int_purchase_orders
),

-- sql/facts/15_order_owner_facts.sql: the app changes neither column of a line
order_owners as (
    select * from wh.fact_order_owners
),

final as (
    select
        purchase_orders.po_no,
        purchase_orders.po_line,
        purchase_orders.po_no || '/' || purchase_orders.po_line     as ref,
        purchase_orders.supplier,
        purchase_orders.material,
        purchase_orders.order_no,
        purchase_orders.order_date,
        purchase_orders.promised_date,
        purchase_orders.quantity,
        purchase_orders.unit,
        purchase_orders.received_qty,
        purchase_orders.received_date,
        purchase_orders.quantity - purchase_orders.received_qty     as open_qty,
        purchase_orders.status,
        purchase_orders.status = 'cancelled'                         as is_cancelled,
        order_owners.customer_code,
        order_owners.merchandiser
    from purchase_orders
    left join order_owners
        on purchase_orders.order_no = order_owners.order_no
)

select * from final;
