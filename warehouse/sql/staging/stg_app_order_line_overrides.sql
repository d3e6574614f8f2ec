-- stg_app_order_line_overrides: order line values changed in the app
-- (app.order_line_overrides), one row per (order_no, line_no); NULL = not changed
-- in the app. Rename/cast only.
create or replace view stg_app_order_line_overrides as
with

source as (
    select * from app.order_line_overrides
),

final as (
    select
        order_no::varchar             as order_no,
        line_no::integer              as line_no,
        due_date::date                as due_date,
        due_date_reason::varchar      as due_date_reason,
        priority::varchar             as priority,
        status::varchar               as status,
        status_reason::varchar        as status_reason,
        version::integer              as version,
        changed_by::varchar           as changed_by,
        changed_at::timestamp         as changed_at
    from source
)

select * from final;
