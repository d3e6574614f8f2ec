-- core_fx_rates: one row per currency with a known rate to the base currency.
-- The base currency (getvariable('base_currency')) always has rate 1, whatever a
-- loaded file says. A currency absent here has no rate: its amounts are left out
-- of base-currency totals and named in warnings (see metrics/70_warnings.sql).
create or replace view core_fx_rates as
with

loaded_rates as (
    select * from stg_fx_rates
),

base_currency as (
    select
        getvariable('base_currency')::varchar as currency,
        1::decimal(18, 8)                     as rate_to_base
),

final as (
    select currency, rate_to_base
    from loaded_rates
    where currency <> getvariable('base_currency')
    union all
    select currency, rate_to_base
    from base_currency
)

select * from final;
