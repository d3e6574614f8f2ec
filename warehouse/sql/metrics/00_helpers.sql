-- Scalar helpers shared by the metric macros (defined first: a macro must exist
-- before another macro that calls it is created).
--   filter_matches(wanted, value)   a dashboard/CLI filter: NULL wanted = no filter
--   rate_fraction(part, whole)      part / whole as a fraction rounded half-up to
--                                   4 decimals, decided in integer arithmetic
--                                   (DuckDB's decimal division returns DOUBLE); NULL
--                                   when whole is 0
--   days_text(n), due_text(n), qty_text(q), money_text(currency, amount)
--                                   the pieces of the chase list's English reasons

create or replace macro filter_matches(wanted, value) as
    wanted is null or value = wanted;

create or replace macro rate_fraction(part, whole) as
    case
        when whole = 0 then null
        -- floor((part / whole) * 10000 + 1/2) in integers = round half-up to 4 decimals
        else ((part::hugeint * 20000 + whole) // (2 * whole::hugeint))::decimal(18, 0) * 0.0001
    end;

create or replace macro days_text(n) as
    format('{} {}', n, case when n = 1 then 'day' else 'days' end);

create or replace macro due_text(days_until) as
    case
        when days_until = 0 then 'due today'
        else format('due in {}', days_text(days_until))
    end;

-- whole quantities without decimals (PO quantities are DECIMAL: 100.0000 -> "100")
create or replace macro qty_text(q) as
    case when q = trunc(q) then format('{:,}', q::hugeint) else format('{:,}', q) end;

create or replace macro money_text(currency, amount) as
    format('{} {:,.2f}', currency, round(amount, 2));
