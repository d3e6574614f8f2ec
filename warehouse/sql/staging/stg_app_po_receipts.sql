-- stg_app_po_receipts: goods receipts entered in the app (app.po_receipts), one row
-- per receipt_id. Rename/cast only; precedence over loads is applied in core/05_app_*.
create or replace view stg_app_po_receipts as
with

source as (
    select * from app.po_receipts
),

final as (
    select
        receipt_id::integer           as receipt_id,
        po_no::varchar                as po_no,
        po_line::integer              as po_line,
        receipt_date::date            as receipt_date,
        received_qty::decimal(18, 4)  as received_qty,
        rejected_qty::decimal(18, 4)  as rejected_qty,
        entered_by::varchar           as entered_by,
        entered_at::timestamp         as entered_at
    from source
)

select * from final;
