-- stg_purchase_orders: wh.purchase_orders as loaded, one row per PO line
-- (po_no, po_line); a status snapshot. Rename/cast only.
create or replace view stg_purchase_orders as
with

source as (
    select * from wh.purchase_orders
),

final as (
    select
        po_no::varchar                as po_no,
        po_line::integer              as po_line,
        supplier::varchar             as supplier,
        material::varchar             as material,
        order_no::varchar             as order_no,
        order_date::date              as order_date,
        promised_date::date           as promised_date,
        quantity::decimal(18, 4)      as quantity,
        unit::varchar                 as unit,
        received_qty::decimal(18, 4)  as received_qty,
        received_date::date           as received_date,
        status::varchar               as status,
        load_id::integer              as load_id
    from source
)

select * from final;
