-- stg_shipments: wh.shipments as loaded, one row per (shipment_no, order_no, line_no).
-- Rename/cast only: amount and currency stay NULL when not given; their defaults
-- (shipped_qty x the line's unit_price, the line's currency) are applied in core.
create or replace view stg_shipments as
with

source as (
    select * from wh.shipments
),

final as (
    select
        shipment_no::varchar          as shipment_no,
        order_no::varchar             as order_no,
        line_no::integer              as line_no,
        ship_date::date               as ship_date,
        shipped_qty::bigint           as shipped_qty,
        invoice_no::varchar           as invoice_no,
        amount::decimal(18, 4)        as amount,
        currency::varchar             as currency,
        load_id::integer              as load_id
    from source
)

select * from final;
