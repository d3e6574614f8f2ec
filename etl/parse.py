"""Typing and checking a file's text cells against the contract, one column at a time.

Everything is a Polars expression over whole columns (no Python loop over rows). Each
contract column yields its typed value and, where the cell is wrong, a readable reason;
a row is rejected with its first reason in column order, then for repeating a key.
Money is the one thing Polars cannot round half-up, so decimal text is cast in DuckDB.

Whether a cell is acceptable is decided by the reason checks alone (patterns, ranges),
never by whether a value came out; so values may be computed the quick way, and only
a column where the quick way leaves a good cell without a value is computed in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import polars as pl

from etl.contract import Column, Entity, Kind
from etl.read import LINE, SURPLUS

MISSING = "missing required value"
NOT_A_DATE = "not a date (expected YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)"
NO_SUCH_DAY = "no such day in the calendar"
NOT_A_NUMBER = "not a number"
NOT_WHOLE = "not a whole number"
TOO_LARGE = "number too large"
NOT_A_CURRENCY = "not a currency code (expected 3 letters, e.g. USD)"
SURPLUS_VALUES = "has more values than the header has columns"

# One alternative per accepted form, so that separators cannot be mixed ("2026/1.5").
DATE_PATTERN = r"^\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日)$"
# Thousands separators only in groups of three, so a European "1,5" is not read as 15.
NUMBER_PATTERN = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?$"
FRACTION_OF_ZEROS = r"\.0*$"
NON_ZERO_FRACTION = r"\.\d*[1-9]"
DECIMAL_TYPES = {Kind.NUMBER: pl.Decimal(18, 4), Kind.MONEY: pl.Decimal(18, 4), Kind.RATE: pl.Decimal(18, 8)}
QUICK_KINDS = (Kind.DATE, Kind.INT)  # kinds whose usual spelling has a quick parse


@dataclass(frozen=True)
class RowRule:
    """A check across columns, reported at `column` (the later of the two)."""

    column: str
    broken: Callable[[], pl.Expr]
    reason: str


ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "orders": (
        RowRule("due_date", lambda: pl.col("due_date") < pl.col("order_date"), "due_date is before order_date"),
    ),
    "purchase_orders": (
        RowRule(
            "received_date",
            lambda: (pl.col("received_qty") > 0) & pl.col("received_date").is_null(),
            "received_qty > 0 but received_date is empty",
        ),
    ),
}

REJECT_SCHEMA = {LINE: pl.Int64, "column": pl.String, "value": pl.String, "reason": pl.String}


@dataclass(frozen=True)
class ParsedTable:
    """`accepted`: typed contract columns plus `LINE`; `rejects`: `LINE`, column, value, reason."""

    accepted: pl.DataFrame
    rejects: pl.DataFrame


def raw_name(column: str) -> str:
    return f"__raw_{column}"


def cell_name(column: str) -> str:
    return f"__cell_{column}"


def error_name(column: str) -> str:
    return f"__error_{column}"


def parse_table(cells: pl.DataFrame, entity: Entity, con: duckdb.DuckDBPyConnection) -> ParsedTable:
    """Type and check `cells` (String columns named by contract column, plus `LINE` and `SURPLUS`).

    `con` is any DuckDB connection, used only to cast decimals. Each stage is its own
    `with_columns`, so that what later stages reuse is computed once; stages run as lazy
    queries because Polars runs those on every core (eager `with_columns` uses one).
    """
    raw = cells.rename({name: raw_name(name) for name in cells.columns if name not in (LINE, SURPLUS)})
    absent = [column.name for column in entity.columns if raw_name(column.name) not in raw.columns]
    trimmed = (
        raw.lazy()
        .with_columns(pl.lit(None, pl.String).alias(raw_name(name)) for name in absent)
        .with_columns(
            pl.col(raw_name(column.name)).str.strip_chars().alias(cell_name(column.name)) for column in entity.columns
        )
        .with_columns(_empty_is_missing(cell_name(column.name)) for column in entity.columns)
    )
    has_problem = pl.any_horizontal(
        pl.col(SURPLUS) > 0, *(pl.col(error_name(column.name)).is_not_null() for column in entity.columns)
    )
    judged = (
        _values(trimmed, entity, con)
        .lazy()
        .with_columns(_error(column) for column in entity.columns)
        .with_columns(_with_row_rules(entity))
        .with_columns(
            has_problem.alias("__has_problem"),
            _repeats_key(entity).alias("__repeat"),
            _key_is_valid(entity).alias("__key_valid"),
        )
        .collect()
    )
    # Rows with a problem are few: build their reject records from them alone.
    problem = pl.coalesce(_surplus_problem(), *map(_column_problem, entity.columns))
    # Lazy, so that each filter copies only the columns it keeps.
    value_rejects = judged.lazy().filter("__has_problem").select(LINE, problem.alias("problem")).unnest("problem")
    accepted = judged.lazy().filter(~pl.col("__has_problem") & ~pl.col("__repeat"))
    rejects = pl.concat([value_rejects.collect().cast(REJECT_SCHEMA), _repeated_key_rejects(judged, entity)])
    return ParsedTable(
        accepted=accepted.select(*(column.name for column in entity.columns), LINE).collect(),
        rejects=rejects.sort(LINE),
    )


def _empty_is_missing(name: str) -> pl.Expr:
    """A cell left empty by trimming is missing (null)."""
    return pl.when(pl.col(name) != "").then(pl.col(name)).alias(name)


def _values(trimmed: pl.LazyFrame, entity: Entity, con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every column's typed value: the quick way first, in full for columns the quick way cannot do."""
    valued = trimmed.with_columns(_value(column, quick=True) for column in entity.columns).collect()
    quick = [column for column in entity.columns if column.kind in QUICK_KINDS]
    unparsed = valued.select(
        (pl.col(cell_name(column.name)).is_not_null() & pl.col(column.name).is_null()).any().alias(column.name)
        for column in quick
    )
    redo = [column for column in quick if unparsed.get_column(column.name).item()]
    if redo:
        valued = valued.lazy().with_columns(_value(column, quick=False) for column in redo).collect()
    return _cast_decimals(valued, [column for column in entity.columns if column.kind in DECIMAL_TYPES], con)


def _value(column: Column, *, quick: bool) -> pl.Expr:
    """The typed value (decimal kinds: the text `_cast_decimals` casts), or the column's default.

    `quick` parses only the usual spelling (2026-01-05, 1200) and leaves others null.
    """
    cell = pl.col(cell_name(column.name))
    match column.kind:
        case Kind.CODE:
            value = cell.str.to_lowercase().replace_strict(column.codes, default=None, return_dtype=pl.String)
        case Kind.CURRENCY:
            value = cell.str.to_uppercase()
        case Kind.DATE if quick:
            value = cell.str.to_date("%Y-%m-%d", strict=False)
        case Kind.DATE:
            iso = (
                cell.str.replace_all("/", "-", literal=True)
                .str.replace_all(".", "-", literal=True)
                .str.replace_all("年", "-", literal=True)
                .str.replace_all("月", "-", literal=True)
                .str.strip_suffix("日")
            )
            value = iso.str.to_date("%Y-%m-%d", strict=False)
        case Kind.INT if quick:
            value = cell.cast(pl.Int64, strict=False)
        case Kind.INT:
            digits = cell.str.replace_all(",", "", literal=True).str.replace(FRACTION_OF_ZEROS, "")
            value = digits.cast(pl.Int64, strict=False)
        case Kind.NUMBER | Kind.MONEY | Kind.RATE:
            value = cell.str.replace_all(",", "", literal=True)
        case _:
            value = cell
    if column.default is not None:
        # Only an empty cell takes the default; a wrong one stays null, to be reported.
        # Decimal values are still text here; DuckDB casts the default with them.
        default = pl.lit(str(column.default) if column.kind in DECIMAL_TYPES else column.default)
        value = pl.when(cell.is_null()).then(default).otherwise(value)
    return value.alias(column.name)


def _cast_decimals(frame: pl.DataFrame, columns: list[Column], con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Cast decimal text in DuckDB, which rounds half away from zero (Polars would round half to even)."""
    if not columns:
        return frame
    casts = ", ".join(
        f'try_cast("{column.name}" as decimal(18, {DECIMAL_TYPES[column.kind].scale})) as "{column.name}"'
        for column in columns
    )
    with registered(con, "decimal_text", frame.select(column.name for column in columns)):
        decimals = con.sql(f"select {casts} from decimal_text").pl()
    return frame.with_columns(decimals)


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` visible to SQL on `con` as `name`, for the duration of the block."""
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


def _error(column: Column) -> pl.Expr:
    """The first reason the column's cell is wrong, or null; this alone decides acceptance."""
    cell, value = pl.col(cell_name(column.name)), pl.col(column.name)
    present = cell.is_not_null()
    reasons = [pl.when(cell.is_null()).then(pl.lit(MISSING))] if column.required else []
    match column.kind:
        case Kind.CODE:
            template = f"unknown {column.name.replace('_', ' ')} code '{{}}' (expected {_spellings(column)})"
            reasons.append(pl.when(present & value.is_null()).then(pl.format(template, cell)))
        case Kind.CURRENCY:
            reasons.append(pl.when(present & ~value.str.contains(r"^[A-Z]{3}$")).then(pl.lit(NOT_A_CURRENCY)))
        case Kind.DATE:
            reasons.append(pl.when(present & ~cell.str.contains(DATE_PATTERN)).then(pl.lit(NOT_A_DATE)))
            reasons.append(pl.when(present & value.is_null()).then(pl.lit(NO_SUCH_DAY)))
        case Kind.INT | Kind.NUMBER | Kind.MONEY | Kind.RATE:
            reasons.append(pl.when(present & ~cell.str.contains(NUMBER_PATTERN)).then(pl.lit(NOT_A_NUMBER)))
            if column.kind == Kind.INT:
                reasons.append(pl.when(present & cell.str.contains(NON_ZERO_FRACTION)).then(pl.lit(NOT_WHOLE)))
            reasons.append(pl.when(present & value.is_null()).then(pl.lit(TOO_LARGE)))
    if column.minimum is not None:
        reasons.append(_below_minimum(column, value))
    error = pl.coalesce(reasons) if reasons else pl.lit(None, pl.String)
    return error.alias(error_name(column.name))


def _spellings(column: Column) -> str:
    """The accepted spellings of a code column, e.g. "normal/普通, rush/加急"."""
    by_code: dict[str, list[str]] = {}
    for spelling, code in column.codes.items():
        by_code.setdefault(code, [])
        if spelling != code.lower():
            by_code[code].append(spelling)
    return ", ".join("/".join([code, *others]) for code, others in by_code.items())


def _below_minimum(column: Column, value: pl.Expr) -> pl.Expr:
    if column.exclusive_minimum:
        return pl.when(value <= column.minimum).then(pl.lit(f"must be > {column.minimum}"))
    return pl.when(value < column.minimum).then(pl.lit(f"must be >= {column.minimum}"))


def _with_row_rules(entity: Entity) -> list[pl.Expr]:
    """Fold each cross-column rule into the error of the column it is reported at."""
    return [
        pl.coalesce(pl.col(error_name(rule.column)), pl.when(rule.broken()).then(pl.lit(rule.reason))).alias(
            error_name(rule.column)
        )
        for rule in ROW_RULES.get(entity.name, ())
    ]


def _problem(column: pl.Expr, value: pl.Expr, reason: pl.Expr) -> pl.Expr:
    return pl.struct(column.alias("column"), value.alias("value"), reason.alias("reason"))


def _surplus_problem() -> pl.Expr:
    return pl.when(pl.col(SURPLUS) > 0).then(
        _problem(pl.lit(None, pl.String), pl.lit(None, pl.String), pl.lit(SURPLUS_VALUES))
    )


def _column_problem(column: Column) -> pl.Expr:
    error = pl.col(error_name(column.name))
    return pl.when(error.is_not_null()).then(_problem(pl.lit(column.name), pl.col(raw_name(column.name)), error))


def _key_is_valid(entity: Entity) -> pl.Expr:
    return pl.all_horizontal(pl.col(error_name(name)).is_null() for name in entity.key)


def _repeats_key(entity: Entity) -> pl.Expr:
    """True for every row after the first with the same valid key, whether or not the first was accepted."""
    # A row whose key is invalid gets its own line as an extra key part, so it repeats nothing.
    own = pl.when(~_key_is_valid(entity)).then(pl.col(LINE)).alias("__own")
    return ~pl.struct(*entity.key, own).is_first_distinct()


def _repeated_key_rejects(judged: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """The "repeats the key of line N" rejects: repeating rows that have no earlier problem."""
    key = list(entity.key)
    repeats = judged.lazy().filter(pl.col("__repeat") & ~pl.col("__has_problem")).select(LINE, *key)
    if repeats.select(pl.len()).collect().item() == 0:
        return pl.DataFrame(schema=REJECT_SCHEMA)
    firsts = judged.lazy().filter(~pl.col("__repeat") & pl.col("__key_valid")).select(*key, pl.col(LINE).alias("first"))
    return (
        repeats.join(firsts, on=key, how="left")
        .select(
            LINE,
            pl.lit(", ".join(key)).alias("column"),
            pl.concat_str([pl.col(name).cast(pl.String) for name in key], separator="/").alias("value"),
            pl.format("repeats the key of line {}", pl.col("first")).alias("reason"),
        )
        .cast(REJECT_SCHEMA)
        .collect()
    )
