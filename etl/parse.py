"""Typing and checking a file's text cells against the contract, one column at a time.

Everything is a Polars expression over whole columns (no Python loop over rows). Each
contract column yields its typed value and, where the cell is wrong, the code of a reason;
a row is rejected with its first reason in column order, then for repeating a key. Only
rejected rows get their reason in words: an English sentence and the detail that lets
the interface say it in another language.
A file is checked a batch of records at a time (`check_batch`); repeated keys, which
span batches, are found once all its batches are checked (`repeated_keys`).

Whether a cell is acceptable is decided by the reason checks alone (patterns, ranges),
never by whether a value came out; so values may be computed the quick way, and only
a column where the quick way leaves a good cell without a value is computed in full.
Likewise a column whose every cell of the batch is written plainly (see `_plain`) is
neither trimmed nor checked against the patterns its cells are known to match.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from etl.contract import Column, Entity, Kind
from etl.read import LINE, SURPLUS

# The kinds of reject. Each reject stores its kind's code, by which the interface words the
# reason in its language, beside the English sentence the load report prints.
MISSING = "missing"
NOT_A_DATE = "not_a_date"
NO_SUCH_DAY = "no_such_day"
NOT_A_NUMBER = "not_a_number"
NOT_WHOLE = "not_whole"
TOO_LARGE = "too_large"
NOT_A_CURRENCY = "not_a_currency"
SURPLUS_VALUES = "surplus_values"
DUE_BEFORE_ORDER = "due_before_order"
RECEIVED_WITHOUT_DATE = "received_without_date"
# The kinds whose sentence needs more than the rejected value, which the reject gives as its reason_detail:
#   "unknown <column> code '<cell>' (expected <detail: the accepted spellings>)"
#   "must be <detail: the bound with its operator, "> 0" or ">= 1">"
#   "repeats the key of line <detail: the first line with the key>"
#   "<detail: what is referenced, "customer", "order line" or "invoice"> '<value>' is not in this load or the store"
UNKNOWN_CODE = "unknown_code"
BELOW_MINIMUM = "below_minimum"
REPEATED_KEY = "repeated_key"
UNKNOWN_REFERENCE = "unknown_reference"

# The English sentence of each kind that reads the same whatever the row.
SENTENCES = {
    MISSING: "missing required value",
    NOT_A_DATE: "not a date (expected YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)",
    NO_SUCH_DAY: "no such day in the calendar",
    NOT_A_NUMBER: "not a number",
    NOT_WHOLE: "not a whole number",
    TOO_LARGE: "number too large",
    NOT_A_CURRENCY: "not a currency code (expected 3 letters, e.g. USD)",
    SURPLUS_VALUES: "has more values than the header has columns",
    DUE_BEFORE_ORDER: "due_date is before order_date",
    RECEIVED_WITHOUT_DATE: "received_qty > 0 but received_date is empty",
}
REASON_CODES = (*SENTENCES, UNKNOWN_CODE, BELOW_MINIMUM, REPEATED_KEY, UNKNOWN_REFERENCE)

# One alternative per accepted form, so that separators cannot be mixed ("2026/1.5").
DATE_PATTERN = r"^\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|\.\d{1,2}\.\d{1,2}|年\d{1,2}月\d{1,2}日)$"
# Thousands separators only in groups of three, so a European "1,5" is not read as 15.
NUMBER_PATTERN = r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?$"
FRACTION_OF_ZEROS = r"\.0*$"
NON_ZERO_FRACTION = r"\.\d*[1-9]"
CURRENCY_PATTERN = r"^[A-Z]{3}$"
DECIMAL_TYPES = {Kind.NUMBER: pl.Decimal(18, 4), Kind.MONEY: pl.Decimal(18, 4), Kind.RATE: pl.Decimal(18, 8)}
QUICK_KINDS = (Kind.DATE, Kind.INT)  # kinds whose usual spelling has a quick parse
AS_WRITTEN_KINDS = (Kind.INT, Kind.CODE)  # kinds parsed from the raw cell to tell plain columns


@dataclass(frozen=True)
class RowRule:
    """A check across columns, reported at `column` (the later of the two) as `reason_code`."""

    column: str
    broken: Callable[[], pl.Expr]
    reason_code: str


ROW_RULES: dict[str, tuple[RowRule, ...]] = {
    "orders": (
        RowRule("due_date", lambda: pl.col("due_date") < pl.col("order_date"), DUE_BEFORE_ORDER),
    ),
    "purchase_orders": (
        RowRule(
            "received_date",
            lambda: (pl.col("received_qty") > 0) & pl.col("received_date").is_null(),
            RECEIVED_WITHOUT_DATE,
        ),
    ),
}

REJECT_SCHEMA = {
    LINE: pl.Int64,
    "column": pl.String,
    "value": pl.String,
    "reason": pl.String,
    "reason_code": pl.String,
    "reason_detail": pl.String,
}


@dataclass(frozen=True)
class CheckedBatch:
    """`accepted`: typed contract columns plus `LINE` of the rows without a problem;
    `problem_keys`: key and `LINE` of rows with a problem but a valid key (each can still
    be the first of its key); `rejects`: `LINE`, column, value, reason, reason_code, reason_detail."""

    accepted: pl.DataFrame
    problem_keys: pl.DataFrame
    rejects: pl.DataFrame


def raw_name(column: str) -> str:
    return f"__raw_{column}"


def cell_name(column: str) -> str:
    return f"__cell_{column}"


def error_name(column: str) -> str:
    return f"__error_{column}"


def check_batch(cells: pl.DataFrame, entity: Entity) -> CheckedBatch:
    """Type and check `cells` (String columns named by contract column, plus `LINE` and `SURPLUS`).

    Each stage is its own `with_columns`, so that what later stages reuse is computed
    once; stages run as lazy queries because Polars runs those on every core (eager
    `with_columns` uses one).
    """
    columns = [column.name for column in entity.columns]
    raw = cells.rename({name: raw_name(name) for name in cells.columns if name not in (LINE, SURPLUS)})
    absent = [name for name in columns if raw_name(name) not in raw.columns]
    raw = (
        raw.lazy()
        .with_columns(pl.lit(None, pl.String).alias(raw_name(name)) for name in absent)
        .with_columns(_as_written(column) for column in entity.columns if column.kind in AS_WRITTEN_KINDS)
        .collect()
    )
    plain = _plain_columns(raw, entity)
    trimmed = (
        raw.lazy()
        .with_columns(_cell(column, plain=column.name in plain) for column in entity.columns)
        .with_columns(_empty_is_missing(cell_name(name)) for name in columns if name not in plain)
    )
    has_problem = pl.any_horizontal(
        pl.col(SURPLUS) > 0, *(pl.col(error_name(column.name)).is_not_null() for column in entity.columns)
    )
    judged = (
        _values(trimmed, entity, plain)
        .lazy()
        .with_columns(_error(column, plain=column.name in plain) for column in entity.columns)
        .with_columns(_with_row_rules(entity))
        .with_columns(has_problem.alias("__has_problem"))
        .collect()
    )
    # Rows with a problem are few: build their reject records from them alone.
    problem = pl.coalesce(_surplus_problem(), *map(_column_problem, entity.columns))
    with_problem = judged.lazy().filter("__has_problem")
    rejects = with_problem.select(LINE, problem.alias("problem")).unnest("problem").collect().cast(REJECT_SCHEMA)
    if rejects.is_empty():  # the usual case: keep every row without copying it
        return CheckedBatch(judged.select(*columns, LINE), judged.select(*entity.key, LINE).clear(), rejects)
    return CheckedBatch(
        accepted=judged.lazy().filter(~pl.col("__has_problem")).select(*columns, LINE).collect(),
        problem_keys=with_problem.filter(_key_is_valid(entity)).select(*entity.key, LINE).collect(),
        rejects=rejects,
    )


def repeated_keys(accepted: pl.DataFrame, problem_keys: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """The "repeats the key of line N" rejects of a whole file: accepted rows after the first row with their key.

    The first may have been rejected itself. Rows are compared by a hash of their key
    first, so that only the few rows whose hash repeats are compared in full.
    """
    key = list(entity.key)
    keyed = pl.concat(
        [
            accepted.select(*key, LINE, pl.lit(False).alias("__has_problem")),
            problem_keys.select(*key, LINE, pl.lit(True).alias("__has_problem")),
        ]
    )
    hashes = keyed.select(pl.struct(key).hash()).to_series()
    if hashes.n_unique() == hashes.len():
        return pl.DataFrame(schema=REJECT_SCHEMA)
    candidates = keyed.filter(hashes.is_duplicated()).sort(LINE)
    repeat = ~pl.struct(key).is_first_distinct()
    firsts = candidates.filter(~repeat).select(*key, pl.col(LINE).alias("first"))
    return (
        candidates.filter(repeat & ~pl.col("__has_problem"))
        .join(firsts, on=key, how="left")
        .select(
            LINE,
            pl.lit(", ".join(key)).alias("column"),
            pl.concat_str([pl.col(name).cast(pl.String) for name in key], separator="/").alias("value"),
            pl.format("repeats the key of line {}", pl.col("first")).alias("reason"),
            pl.lit(REPEATED_KEY).alias("reason_code"),
            pl.col("first").cast(pl.String).alias("reason_detail"),
        )
        .cast(REJECT_SCHEMA)
        .sort(LINE)
    )


def _as_written(column: Column) -> pl.Expr:
    """The value of an INT or CODE cell written plainly (see `_plain`), else null: read from the raw cell."""
    raw = pl.col(raw_name(column.name))
    if column.kind == Kind.INT:  # the cast reads only ASCII digits with an optional sign
        return raw.cast(pl.Int64, strict=False).alias(column.name)
    return raw.replace_strict(column.codes, default=None, return_dtype=pl.String).alias(column.name)


def _plain(column: Column) -> pl.Expr | None:
    """True where the raw cell is written the usual way for its kind: nothing to trim, and no pattern to break.

    None for text, which has no usual way.
    """
    raw = pl.col(raw_name(column.name))
    match column.kind:
        case Kind.INT | Kind.CODE:
            return pl.col(column.name).is_not_null()  # see `_as_written`
        case Kind.DATE:
            return raw.str.contains(DATE_PATTERN)
        case Kind.CURRENCY:
            return raw.str.contains(CURRENCY_PATTERN)
        case Kind.NUMBER | Kind.MONEY | Kind.RATE:
            return raw.str.contains(NUMBER_PATTERN)
    return None


def _plain_columns(raw: pl.DataFrame, entity: Entity) -> set[str]:
    """The columns whose every cell in this batch is empty or plain (see `_plain`)."""
    tests = {column.name: test for column in entity.columns if (test := _plain(column)) is not None}
    if not tests:
        return set()
    found = raw.select((pl.col(raw_name(name)).is_null() | test).all().alias(name) for name, test in tests.items())
    return {name for name, plain in found.row(0, named=True).items() if plain}


def _cell(column: Column, *, plain: bool) -> pl.Expr:
    """The cell as the checks see it: the raw text, trimmed unless the column is plain."""
    raw = pl.col(raw_name(column.name))
    return (raw if plain else raw.str.strip_chars()).alias(cell_name(column.name))


def _empty_is_missing(name: str) -> pl.Expr:
    """A cell left empty by trimming is missing (null)."""
    return pl.when(pl.col(name) != "").then(pl.col(name)).alias(name)


def _values(trimmed: pl.LazyFrame, entity: Entity, plain: set[str]) -> pl.DataFrame:
    """Every column's typed value: the quick way first, in full for columns the quick way cannot do."""
    valued = trimmed.with_columns(_value(column, quick=True, plain=column.name in plain) for column in entity.columns)
    valued = valued.collect()
    quick = [column for column in entity.columns if column.kind in QUICK_KINDS]
    unparsed = valued.select(
        (pl.col(cell_name(column.name)).is_not_null() & pl.col(column.name).is_null()).any().alias(column.name)
        for column in quick
    )
    redo = [column for column in quick if unparsed.get_column(column.name).item()]
    if redo:
        valued = valued.lazy().with_columns(_value(column, quick=False, plain=False) for column in redo).collect()
    return valued


def _value(column: Column, *, quick: bool, plain: bool) -> pl.Expr:
    """The typed value, or the column's default.

    `quick` parses only the usual spelling (2026-01-05, 1200) and leaves others null;
    in a `plain` column (see `_plain`) numbers and codes are parsed already, currencies in capitals.
    """
    cell = pl.col(cell_name(column.name))
    match column.kind:
        case Kind.INT | Kind.CODE if plain:
            value = pl.col(column.name)  # see `_as_written`
        case Kind.CODE:
            value = cell.str.to_lowercase().replace_strict(column.codes, default=None, return_dtype=pl.String)
        case Kind.CURRENCY:
            value = cell if plain else cell.str.to_uppercase()
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
        # Decimal values are still text here, and the default is cast with them.
        default = pl.lit(str(column.default) if column.kind in DECIMAL_TYPES else column.default)
        value = pl.when(cell.is_null()).then(default).otherwise(value)
    if column.kind in DECIMAL_TYPES:
        value = _decimal(value, DECIMAL_TYPES[column.kind].scale)
    return value.alias(column.name)


def _decimal(text: pl.Expr, scale: int) -> pl.Expr:
    """Decimal text rounded half away from zero to `scale` places (as DuckDB casts it); null if it does not fit.

    Only the first dropped digit decides that rounding, so the text is cut after it:
    the cast then has nothing to round, and the one rounding is the right kind.
    """
    return (
        text.str.replace(rf"(\.\d{{{scale + 1}}})\d+$", "${1}")
        .cast(pl.Decimal(38, scale + 1), strict=False)
        .round(scale, mode="half_away_from_zero")
        .cast(pl.Decimal(18, scale), strict=False)
    )


def _error(column: Column, *, plain: bool) -> pl.Expr:
    """The code of the first reason the column's cell is wrong, or null; this alone decides acceptance.

    Only the code is kept for every row: the words of a reason are made for the rows
    with a problem alone (see `_column_problem`). In a `plain` column (see `_plain`)
    no cell can break its kind's pattern.
    """
    cell, value = pl.col(cell_name(column.name)), pl.col(column.name)
    present = cell.is_not_null()
    reasons = [pl.when(cell.is_null()).then(pl.lit(MISSING))] if column.required else []
    match column.kind:
        case Kind.CODE if not plain:
            reasons.append(pl.when(present & value.is_null()).then(pl.lit(UNKNOWN_CODE)))
        case Kind.CURRENCY if not plain:
            reasons.append(pl.when(present & ~value.str.contains(CURRENCY_PATTERN)).then(pl.lit(NOT_A_CURRENCY)))
        case Kind.DATE:
            if not plain:
                reasons.append(pl.when(present & ~cell.str.contains(DATE_PATTERN)).then(pl.lit(NOT_A_DATE)))
            reasons.append(pl.when(present & value.is_null()).then(pl.lit(NO_SUCH_DAY)))
        case Kind.INT | Kind.NUMBER | Kind.MONEY | Kind.RATE if not plain:
            reasons.append(pl.when(present & ~cell.str.contains(NUMBER_PATTERN)).then(pl.lit(NOT_A_NUMBER)))
            if column.kind == Kind.INT:
                reasons.append(pl.when(present & cell.str.contains(NON_ZERO_FRACTION)).then(pl.lit(NOT_WHOLE)))
            reasons.append(pl.when(present & value.is_null()).then(pl.lit(TOO_LARGE)))
        case Kind.NUMBER | Kind.MONEY | Kind.RATE:  # plain, but it may not fit; a plain INT cell always has a value
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


def _bound(column: Column) -> str:
    """The column's lower bound with its operator, e.g. "> 0" or ">= 1"."""
    return f"{'>' if column.exclusive_minimum else '>='} {column.minimum}"


def _below_minimum(column: Column, value: pl.Expr) -> pl.Expr:
    below = value <= column.minimum if column.exclusive_minimum else value < column.minimum
    return pl.when(below).then(pl.lit(BELOW_MINIMUM))


def _with_row_rules(entity: Entity) -> list[pl.Expr]:
    """Fold each cross-column rule into the error of the column it is reported at."""
    return [
        pl.coalesce(pl.col(error_name(rule.column)), pl.when(rule.broken()).then(pl.lit(rule.reason_code))).alias(
            error_name(rule.column)
        )
        for rule in ROW_RULES.get(entity.name, ())
    ]


def _problem(column: pl.Expr, value: pl.Expr, reason: pl.Expr, code: pl.Expr, detail: pl.Expr) -> pl.Expr:
    return pl.struct(
        column.alias("column"),
        value.alias("value"),
        reason.alias("reason"),
        code.alias("reason_code"),
        detail.alias("reason_detail"),
    )


def _surplus_problem() -> pl.Expr:
    return pl.when(pl.col(SURPLUS) > 0).then(
        _problem(
            pl.lit(None, pl.String),
            pl.lit(None, pl.String),
            pl.lit(SENTENCES[SURPLUS_VALUES]),
            pl.lit(SURPLUS_VALUES),
            pl.lit(None, pl.String),
        )
    )


def _column_problem(column: Column) -> pl.Expr:
    """The reject record of a column whose cell is wrong: its error code, with the English sentence and detail."""
    code = pl.col(error_name(column.name))
    reason, detail = code.replace_strict(SENTENCES, default=None, return_dtype=pl.String), pl.lit(None, pl.String)
    if column.kind == Kind.CODE:
        spellings, unknown = _spellings(column), code == UNKNOWN_CODE
        template = f"unknown {column.name.replace('_', ' ')} code '{{}}' (expected {spellings})"
        reason = pl.when(unknown).then(pl.format(template, pl.col(cell_name(column.name)))).otherwise(reason)
        detail = pl.when(unknown).then(pl.lit(spellings)).otherwise(detail)
    if column.minimum is not None:
        bound, below = _bound(column), code == BELOW_MINIMUM
        reason = pl.when(below).then(pl.lit(f"must be {bound}")).otherwise(reason)
        detail = pl.when(below).then(pl.lit(bound)).otherwise(detail)
    return pl.when(code.is_not_null()).then(
        _problem(pl.lit(column.name), pl.col(raw_name(column.name)), reason, code, detail)
    )


def _key_is_valid(entity: Entity) -> pl.Expr:
    return pl.all_horizontal(pl.col(error_name(name)).is_null() for name in entity.key)
