-- stg_app_follow_up_notes: follow-up notes (app.follow_up_notes), one row per
-- note_id. Rename/cast only.
create or replace view stg_app_follow_up_notes as
with

source as (
    select * from app.follow_up_notes
),

final as (
    select
        note_id::integer              as note_id,
        subject_kind::varchar         as subject_kind,
        subject_ref::varchar          as subject_ref,
        note::varchar                 as note,
        next_chase_date::date         as next_chase_date,
        status::varchar               as status,
        created_by::varchar           as created_by,
        created_at::timestamp         as created_at,
        done_by::varchar              as done_by,
        done_at::timestamp            as done_at,
        version::integer              as version
    from source
)

select * from final;
