-- stg_fx_rates: wh.fx_rates as loaded, one row per currency
-- (1 unit of currency = rate_to_base units of the base currency). Rename/cast only.
create or replace view stg_fx_rates as
with

source as (
    select * from wh.fx_rates
),

final as (
    select
        currency::varchar             as currency,
        rate_to_base::decimal(18, 8)  as rate_to_base,
        load_id::integer              as load_id
    from source
)

select * from final;
