-- stg_app_audit_log: the audit trail (app.audit_log), one row per changed field.
-- Rename/cast only.
create or replace view stg_app_audit_log as
with

source as (
    select * from app.audit_log
),

final as (
    select
        audit_id::bigint              as audit_id,
        change_id::bigint             as change_id,
        changed_at::timestamp         as changed_at,
        changed_by::varchar           as changed_by,
        action::varchar               as action,
        entity::varchar               as entity,
        record_key::varchar           as record_key,
        subject_kind::varchar         as subject_kind,
        subject_ref::varchar          as subject_ref,
        field::varchar                as field,
        old_value::varchar            as old_value,
        new_value::varchar            as new_value
    from source
)

select * from final;
