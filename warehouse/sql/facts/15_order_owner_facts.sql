-- order_owners_of(order_line_relation, po_relation)
--
-- One row per order_no of order_line_relation that a PO line of po_relation names:
-- the customer_code and merchandiser (after the customer default) of its lowest
-- line_no, the owner a purchase order line of that sales order is attributed to
-- (metrics.md "Purchasing"; see core/50_po_lines.sql). Neither column can be
-- changed in the app, nor can the app add a PO line, so the warehouse's
-- fact_order_owners, built from fact_order_lines and purchase_orders, serves every
-- reader as it is: no PO query groups a million order lines again, and each joins
-- only the orders that have POs.

create or replace macro order_owners_of(order_line_relation, po_relation) as table
with

order_lines as (
    select * from query_table(order_line_relation)
),

purchase_orders as (
    select * from query_table(po_relation)
),

owners as (
    select
        order_no,
        -- the lowest line as a whole: structs compare field by field and line_no is unique
        -- within an order, so the least struct is the lowest line's (as invoice_facts_of
        -- finds an invoice's first row)
        min({'line_no': line_no, 'customer_code': customer_code, 'merchandiser': merchandiser}) as first_line
    from order_lines
    semi join purchase_orders using (order_no)
    group by order_no
)

select
    order_no,
    first_line.customer_code                                         as customer_code,
    first_line.merchandiser                                          as merchandiser
from owners;
