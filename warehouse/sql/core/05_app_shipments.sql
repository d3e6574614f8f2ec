-- int_app_shipments: every shipment entered in the app, with confirmed_by_load =
-- a load has since brought a shipment with the same key (shipment_no, order_no,
-- line_no). The app row is kept (and shown as "confirmed by load") but no longer counts.
--
-- int_shipments: the shipments that count = every loaded shipment, plus the app
-- shipments not confirmed by a load; never the same key twice. Same columns as
-- stg_shipments (load_id NULL for app rows) plus source ('load' | 'app').
create or replace view int_app_shipments as
with

app_shipments as (
    select * from stg_app_shipments
),

loaded as (
    select * from stg_shipments
),

final as (
    select
        app_shipments.*,
        loaded.shipment_no is not null                               as confirmed_by_load
    from app_shipments
    left join loaded
        on app_shipments.shipment_no = loaded.shipment_no
        and app_shipments.order_no = loaded.order_no
        and app_shipments.line_no = loaded.line_no
)

select * from final;

create or replace view int_shipments as
with

loaded as (
    select * from stg_shipments
),

app_shipments as (
    select * from int_app_shipments
    where not confirmed_by_load
),

final as (
    select
        shipment_no, order_no, line_no, ship_date, shipped_qty, invoice_no, amount, currency, load_id,
        'load' as source
    from loaded
    union all
    select
        shipment_no, order_no, line_no, ship_date, shipped_qty, invoice_no, amount, currency, null,
        'app' as source
    from app_shipments
)

select * from final;
