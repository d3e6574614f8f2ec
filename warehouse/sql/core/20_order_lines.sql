-- The order lines, read from the warehouse's fact_order_lines (sql/facts/: the loaded
-- line with its shipment and production totals, summed once per load) except for the
-- few lines that records typed into the app change: an order-line change (due date,
-- priority, status), or a shipment or production report not yet confirmed by a load.
-- Those lines get their facts recomputed here by the same macro, from the merged rows
-- (int_*), so every metric sees the app's records exactly as before.
--
--   int_touched_order_lines   (order_no, line_no) of the lines the app's records change
--   core_order_line_facts     one row per order line: order_line_facts_of's columns
--   core_order_lines          one row per order line with the defaults that depend on
--       settings applied (currency -> getvariable('base_currency') when not given),
--       plus ref ('ORDER/LINE', as shown in the chase list and follow-up notes),
--       is_cancelled, is_rush and line_amount (quantity x unit_price, in the line's
--       currency). Not filtered by any date: the as-of population is chosen in the
--       metric macros.

create or replace view int_touched_order_lines as
select order_no, line_no from stg_app_order_line_overrides
union
select order_no, line_no from int_app_shipments where not confirmed_by_load
union
select order_no, line_no from int_app_production_daily where not confirmed_by_load;


create or replace view int_touched_orders as
select * from int_order_lines
semi join int_touched_order_lines using (order_no, line_no);


create or replace view int_touched_shipments as
select * from int_shipments
semi join int_touched_order_lines using (order_no, line_no);


create or replace view int_touched_production as
select * from int_production_daily
semi join int_touched_order_lines using (order_no, line_no);


create or replace view core_order_line_facts as
with

loaded as (
    select * from wh.fact_order_lines
),

touched as (
    select * from int_touched_order_lines
),

recomputed as (
    select * from order_line_facts_of(
        'int_touched_orders', 'core_customers', 'int_touched_shipments', 'int_touched_production'
    )
),

final as (
    select loaded.* from loaded
    anti join touched using (order_no, line_no)
    union all by name
    select * from recomputed
)

select * from final;


create or replace view core_order_lines as
with

facts as (
    select * from core_order_line_facts
),

final as (
    select
        order_no,
        line_no,
        order_no || '/' || line_no                                   as ref,
        customer_code,
        customer_name,
        order_date,
        style_no,
        description,
        quantity,
        unit_price,
        coalesce(currency, getvariable('base_currency'))             as currency,
        quantity * unit_price                                        as line_amount,
        due_date,
        merchandiser,
        priority,
        status,
        status = 'cancelled'                                         as is_cancelled,
        priority = 'rush'                                            as is_rush,
        shipped_total,
        shipped_by_due_date,
        last_ship_date,
        packed_total,
        last_packing_date,
        first_report_date,
        packed_complete_date,
        settled_date
    from facts
)

select * from final;
