-- int_order_lines: stg_orders with the order line changes made in the app applied.
-- Precedence (docs/updates.md): a value changed in the app (due date, priority,
-- status) replaces the loaded value, and a later load does not undo it; a value not
-- changed in the app (NULL in the override) is the loaded one. Same columns as
-- stg_orders, plus the loaded values and who changed the line last, for the forms:
--   loaded_due_date, loaded_priority, loaded_status, app_version (0 = never changed
--   in the app), due_date_reason, status_reason, changed_by, changed_at.
create or replace view int_order_lines as
with

orders as (
    select * from stg_orders
),

overrides as (
    select * from stg_app_order_line_overrides
),

final as (
    select
        orders.order_no,
        orders.line_no,
        orders.customer_code,
        orders.order_date,
        orders.style_no,
        orders.description,
        orders.quantity,
        orders.unit_price,
        orders.currency,
        coalesce(overrides.due_date, orders.due_date)                as due_date,
        orders.merchandiser,
        coalesce(overrides.priority, orders.priority)                as priority,
        coalesce(overrides.status, orders.status)                    as status,
        orders.load_id,
        orders.due_date                                              as loaded_due_date,
        orders.priority                                              as loaded_priority,
        orders.status                                                as loaded_status,
        coalesce(overrides.version, 0)                               as app_version,
        overrides.due_date_reason,
        overrides.status_reason,
        overrides.changed_by,
        overrides.changed_at
    from orders
    left join overrides
        on orders.order_no = overrides.order_no
        and orders.line_no = overrides.line_no
)

select * from final;
