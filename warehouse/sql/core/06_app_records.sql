-- The records entered in the app and the audit trail, for the forms and the audit page.
--
--   int_app_records            one row per shipment, payment, production report and
--                              goods receipt entered in the app, with the business
--                              record it is about (subject_kind/subject_ref, as in
--                              the audit trail) and confirmed_by_load (see 05_app_*).
--   audit_trail(only_user, only_entity, only_record, date_from, date_to)
--                              the audit trail, newest first; NULL = no filter;
--                              only_record matches record_key or subject_ref,
--                              case-insensitively, as a substring.
--   record_history(kind, ref)  every audit row of a record and of the records entered
--                              against it (subject_kind = kind and subject_ref = ref),
--                              newest first.
create or replace view int_app_records as
with

shipments as (
    select * from int_app_shipments
),

payments as (
    select * from int_app_payments
),

production as (
    select * from int_app_production_daily
),

receipts as (
    select * from int_app_po_receipts
),

final as (
    select
        'shipment'                                  as entity,
        'order_line'                                as subject_kind,
        order_no || '/' || line_no                  as subject_ref,
        shipment_no                                 as document_no,
        ship_date                                   as record_date,
        shipped_qty::decimal(18, 4)                 as quantity,
        amount,
        entered_by,
        entered_at,
        confirmed_by_load
    from shipments
    union all
    select
        'payment', 'invoice', invoice_no, payment_no, payment_date, null, amount,
        entered_by, entered_at, confirmed_by_load
    from payments
    union all
    select
        'production_report', 'order_line', order_no || '/' || line_no, workshop || ' · ' || process,
        report_date, output_qty::decimal(18, 4), null, entered_by, entered_at, confirmed_by_load
    from production
    union all
    select
        'po_receipt', 'po_line', po_no || '/' || po_line, receipt_id::varchar, receipt_date,
        accepted_qty, null, entered_by, entered_at, confirmed_by_load
    from receipts
)

select * from final;

create or replace macro audit_trail(only_user, only_entity, only_record, date_from, date_to) as table
with

audit as (
    select * from stg_app_audit_log
),

final as (
    select *
    from audit
    where (only_user is null or changed_by = only_user)
        and (only_entity is null or entity = only_entity)
        and (
            only_record is null
            or contains(lower(record_key), lower(only_record))
            or contains(lower(subject_ref), lower(only_record))
        )
        and (date_from is null or changed_at::date >= date_from)
        and (date_to is null or changed_at::date <= date_to)
)

select * from final
order by audit_id desc;

create or replace macro record_history(kind, ref) as table
with

audit as (
    select * from stg_app_audit_log
),

final as (
    select *
    from audit
    where (entity = kind and record_key = ref)
        or (subject_kind = kind and subject_ref = ref)
)

select * from final
order by audit_id desc;
