-- Scalar helpers shared by the metric macros (defined first: a macro must exist
-- before another macro that calls it is created).
--   filter_matches(wanted, value)   a dashboard/CLI filter: NULL wanted = no filter
--   rate_fraction(part, whole)      part / whole as a fraction rounded half-up to
--                                   4 decimals, decided in integer arithmetic
--                                   (DuckDB's decimal division returns DOUBLE); NULL
--                                   when whole is 0
--   period_start(as_of, date_from, date_to), period_end(as_of, date_to)
--                                   the period of production and weekly figures: the
--                                   chosen range clipped to <= A, else [A-6, A]; NULL
--                                   start = unbounded. Scalars, so a date filter built
--                                   from them reaches the table scan
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

create or replace macro period_start(as_of, date_from, date_to) as
    case when date_from is null and date_to is null then as_of - 6 else date_from end;

create or replace macro period_end(as_of, date_to) as
    least(coalesce(date_to, as_of), as_of);

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
