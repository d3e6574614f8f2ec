-- stg_app_shipments: shipments entered in the app (app.shipments), one row per
-- (shipment_no, order_no, line_no), the contract's key. Rename/cast only: amount and
-- currency stay NULL when not given, as in stg_shipments.
create or replace view stg_app_shipments as
with

source as (
    select * from app.shipments
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
        entered_by::varchar           as entered_by,
        entered_at::timestamp         as entered_at
    from source
)

select * from final;
