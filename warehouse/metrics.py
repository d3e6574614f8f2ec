"""The metric layer, from Python: one function per metric macro, and the KPI report.

Every number is defined once, in the SQL macros of ``warehouse/sql/metrics`` (see
../shared/spec/metrics.md). The functions here only bind the filters, run a macro and
return a Polars frame; `kpi_report` assembles the `gendan kpi` JSON from them. The
dashboard, the exports and the command line all call these, so one question gets
one number everywhere.

Filters: ``customer`` and ``merchandiser`` choose rows (None = all); the date range
applies to on-time delivery (by due date) and to the production period only; every
list is the state as of ``as_of``. How each filter reaches each metric is documented
at the top of each SQL file.
"""

from __future__ import annotations

import datetime as dt
import sys
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

import duckdb
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator, model_validator
from typing_extensions import TypedDict  # pydantic validates this one on Python < 3.12

from gendan.settings import Settings
from warehouse.store import configure_cursor, sibling_cursor


def _whole_or_fraction(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# Exact decimals in Python, plain JSON numbers in the report (pydantic would write
# strings). Money and rates arrive rounded from SQL (2 and 4 decimals), so a float
# prints them exactly; quantities and day counts print whole when they are whole.
Fraction = Annotated[Decimal, PlainSerializer(float, when_used="json")]
Quantity = Annotated[Decimal, PlainSerializer(_whole_or_fraction, when_used="json")]


class MetricFilters(BaseModel):
    """What every metric is computed for: the as-of date and the dashboard/CLI filters."""

    model_config = ConfigDict(frozen=True)

    as_of: dt.date
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    customer: str | None = None
    merchandiser: str | None = None

    @field_validator("customer", "merchandiser")
    @classmethod
    def _blank_is_all(cls, value: str | None) -> str | None:
        return (value.strip() or None) if value is not None else None

    @model_validator(mode="after")
    def _range_in_order(self) -> MetricFilters:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"the date range starts ({self.date_from}) after it ends ({self.date_to})")
        return self

    def params(self, names: tuple[str, ...]) -> dict[str, object]:
        """The filters a macro takes, by argument name (``_AS_OF_ARGS``, ``_RANGE_ARGS``)."""
        return {name: getattr(self, name) for name in names}


# Macro arguments, always bound as parameters: most macros take the as-of date and
# the two row filters; the ones that use the date range take it too.
_AS_OF_ARGS = ("as_of", "customer", "merchandiser")
_RANGE_ARGS = ("as_of", "date_from", "date_to", "customer", "merchandiser")
_SQL_TYPES = {
    "as_of": "date",
    "date_from": "date",
    "date_to": "date",
    "customer": "varchar",
    "merchandiser": "varchar",
    "weeks": "integer",
    "order_no": "varchar",
    "line_no": "integer",
    "po_no": "varchar",
    "po_line": "integer",
    "invoice_no": "varchar",
    "grain": "varchar",
    "load_id": "integer",
    "file": "varchar",
    "column": "varchar",
    "reason_code": "varchar",
}


# _frame reads a statement's result as Arrow, which DuckDB warns copies the rows: the
# copy costs less than binding the query a second time (see _frame). Silenced once, for
# this module only: warnings.catch_warnings around each call would change the global
# filters from the dashboard's concurrent script threads.
warnings.filterwarnings(
    "ignore", "Arrow output on a DB-API result makes an extra copy", UserWarning, module=__name__
)


def _frame(con: duckdb.DuckDBPyConnection, query: str, params: dict) -> pl.DataFrame:
    """The query's rows as a Polars frame.

    Run as a statement rather than through ``con.sql(...).pl()``: a relation binds its
    query once to describe it and again to run it, and binding the nested metric
    macros costs 10-25 ms a query, more than the copy of the rows that reading a
    statement's result as Arrow makes (measured at a million order lines).
    """
    con.execute(query, params)
    return pl.from_arrow(con.to_arrow_table())


def _placeholders(params: dict) -> list[str]:
    """A typed, bound placeholder per parameter: ``$as_of::date``, ..."""
    return [f"${name}::{_SQL_TYPES[name]}" for name in params]


def _run(con: duckdb.DuckDBPyConnection, macro: str, params: dict) -> pl.DataFrame:
    # The macro name is one of this module's constants; every value is bound.
    return _frame(con, f"select * from {macro}({', '.join(_placeholders(params))})", params)


def _metric(macro: str, args: tuple[str, ...], doc: str) -> Callable[..., pl.DataFrame]:
    """A function ``f(con, as_of, date_from=None, date_to=None, customer=None, merchandiser=None)``
    that runs the table macro ``macro`` and returns its rows as a Polars frame.

    Every metric function takes the same filters, so a caller can pass one set to
    all of them; the date range reaches only the macros whose ``args`` hold it.
    """

    def run(
        con: duckdb.DuckDBPyConnection,
        as_of: dt.date,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        customer: str | None = None,
        merchandiser: str | None = None,
    ) -> pl.DataFrame:
        filters = MetricFilters(
            as_of=as_of, date_from=date_from, date_to=date_to, customer=customer, merchandiser=merchandiser
        )
        return _run(con, macro, filters.params(args))

    run.__name__ = run.__qualname__ = macro
    run.__doc__ = doc
    return run


order_line_status = _metric(
    "order_line_status", _AS_OF_ARGS,
    "Every order line in the population at A, with its shipping and production status.",
)
order_line_completion = _metric(
    "order_line_completion", _AS_OF_ARGS,
    "Every order line in the population at A with complete_date and is_on_time.",
)
on_time_delivery = _metric(
    "on_time_delivery", _RANGE_ARGS,
    "One row: due_lines, on_time_lines, rate (lines due <= A, and in the date range if one is chosen).",
)
late_order_lines = _metric(
    "late_order_lines", _AS_OF_ARGS, "Open lines past their due date, sorted by (order_no, line_no)."
)
at_risk_order_lines = _metric(
    "at_risk_order_lines", _AS_OF_ARGS,
    "Open lines not yet due that production will not finish in time, sorted by (order_no, line_no).",
)
production_summary = _metric(
    "production_summary", _RANGE_ARGS,
    "One row: the production period, its totals, plan_attainment and defect_rate.",
)
po_line_status = _metric(
    "po_line_status", _AS_OF_ARGS, "Every PO line that is not cancelled, with is_overdue and is_due_soon at A."
)
overdue_po_lines = _metric(
    "overdue_po_lines", _AS_OF_ARGS, "Open PO lines past their promised date, sorted by (po_no, po_line)."
)
po_lines_due_soon = _metric(
    "po_lines_due_soon", _AS_OF_ARGS, "Open PO lines promised within [A, A+3], sorted by (po_no, po_line)."
)
supplier_otd = _metric(
    "supplier_otd", _AS_OF_ARGS, "Per supplier with a PO line promised <= A: due_lines, on_time_lines, rate."
)
invoice_status = _metric(
    "invoice_status", _AS_OF_ARGS,
    "Every invoice at A: unrounded outstanding, days_past_due, bucket, base-currency value.",
)
unpaid_invoices = _metric(
    "unpaid_invoices", _AS_OF_ARGS,
    "Invoices with more than 0.01 outstanding, money rounded to 2; sorted by invoice_no.",
)
receivables_ageing = _metric(
    "receivables_ageing", _AS_OF_ARGS,
    "Five rows, one per bucket in order: invoices and outstanding_base (in the base currency).",
)
customer_activity = _metric(
    "customer_activity", _AS_OF_ARGS,
    "One row per customer: order rhythm, quiet flag, 12-month revenue and ABC class.",
)
chase_today = _metric(
    "chase_today", _AS_OF_ARGS,
    "What to chase at A, most urgent first (chase_rank 1), with reason and reason_code.",
)
metric_warnings = _metric(
    "metric_warnings", _AS_OF_ARGS,
    "Warnings that go with the figures: currencies without a rate, mixed-currency invoices.",
)


# kind of chase row -> the macro reading its record, and the names of its key's parts
_CHASE_RECORDS = {
    "order_line": ("order_line_record", ("order_no", "line_no")),
    "po_line": ("po_line_record", ("po_no", "po_line")),
    "invoice": ("invoice_record", ("invoice_no",)),
}


def chase_record(con: duckdb.DuckDBPyConnection, kind: str, ref: str, as_of: dt.date, **filters) -> dict | None:
    """The record behind a chase row: its order line, PO line or invoice status at A (``kind``, ``ref``
    as chase_today gives them), under the same filters (those every metric function takes); None
    when there is none.
    """
    macro, key_names = _CHASE_RECORDS[kind]
    if len(key_names) == 1:
        key = (ref,)
    else:  # ORDER/LINE, PO/LINE: the document number may hold a slash, the line number cannot
        number, _, line = ref.rpartition("/")
        if not (number and line.isdigit()):
            return None
        key = (number, int(line))
    params = {**MetricFilters(as_of=as_of, **filters).params(_AS_OF_ARGS), **dict(zip(key_names, key, strict=True))}
    rows = _run(con, macro, params)
    return rows.row(0, named=True) if rows.height else None


def otd_by_week(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    customer: str | None = None,
    merchandiser: str | None = None,
    weeks: int = 26,
) -> pl.DataFrame:
    """On-time delivery per week of due date (Monday-Sunday), the ``weeks`` weeks up to A.

    The date range is not applied: ``weeks`` chooses the span. Columns: week_start,
    week_end, due_lines, on_time_lines, rate (None for a week with nothing due).
    """
    filters = MetricFilters(
        as_of=as_of, date_from=date_from, date_to=date_to, customer=customer, merchandiser=merchandiser
    )
    params = {"as_of": filters.as_of, "weeks": weeks, "customer": filters.customer,
              "merchandiser": filters.merchandiser}
    return _run(con, "otd_by_week", params)


def has_order_data(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any order line is loaded (the dashboard shows its empty state otherwise)."""
    return bool(_run(con, "has_order_data", {})["has_orders"][0])


def customer_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every customer code, sorted: the choices of the customer filter."""
    return _run(con, "customer_codes", {})["customer_code"].to_list()


def merchandiser_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every merchandiser named on a customer or an order line, sorted: the merchandiser filter's choices."""
    return _run(con, "merchandiser_names", {})["merchandiser"].to_list()


# --- The `gendan kpi` report (metrics.md "Command-line output") --------------------


class _Row(TypedDict):
    """A row of the report: a macro's row, keeping only the report's keys. Plain dicts, not
    models: a report holds hundreds of thousands of rows, and dicts validate several times faster."""


class OnTimeDelivery(_Row):
    due_lines: int
    on_time_lines: int
    rate: Fraction | None


class LateOrderLine(_Row):
    order_no: str
    line_no: int
    customer_code: str
    due_date: dt.date
    days_late: int
    open_qty: int


class AtRiskOrderLine(_Row):
    order_no: str
    line_no: int
    due_date: dt.date
    projected_finish: dt.date | None
    remaining_qty: int


class OverduePoLine(_Row):
    po_no: str
    po_line: int
    supplier: str
    promised_date: dt.date
    days_overdue: int
    open_qty: Quantity


class SupplierOtd(_Row):
    supplier: str
    due_lines: int
    on_time_lines: int
    rate: Fraction | None


class UnpaidInvoice(_Row):
    invoice_no: str
    customer_code: str | None
    currency: str | None
    due_date: dt.date | None
    outstanding: Fraction
    days_past_due: int | None
    bucket: str | None


class ReceivablesAgeing(BaseModel):
    """Base-currency totals per bucket; the keys are the bucket names."""

    model_config = ConfigDict(populate_by_name=True)

    not_due: Fraction
    days_1_30: Fraction = Field(alias="1-30")
    days_31_60: Fraction = Field(alias="31-60")
    days_61_90: Fraction = Field(alias="61-90")
    days_90_plus: Fraction = Field(alias="90+")


class CustomerSummary(_Row):
    customer_code: str
    orders: int
    last_order_date: dt.date
    median_interval_days: Quantity | None
    expected_next_order_date: dt.date | None
    quiet: bool
    revenue_12m_base: Fraction
    abc: str


class ProductionFigures(_Row):
    plan_attainment: Fraction | None
    defect_rate: Fraction | None


class ChaseItem(_Row):
    kind: str
    ref: str
    reason: str
    reason_code: str


class KpiReport(BaseModel):
    as_of: dt.date
    base_currency: str
    warnings: list[str]
    on_time_delivery: OnTimeDelivery
    late_order_lines: list[LateOrderLine]
    at_risk_order_lines: list[AtRiskOrderLine]
    overdue_po_lines: list[OverduePoLine]
    supplier_otd: list[SupplierOtd]
    unpaid_invoices: list[UnpaidInvoice]
    receivables_ageing: ReceivablesAgeing
    customers: list[CustomerSummary]
    production: ProductionFigures
    chase_today: list[ChaseItem]


# kpi_report and review_figures compute each as-of status once, into a temp table of
# their connection, and read every list from it through the *_of macros (one status
# feeds several lists and the chase list; computing it per list would repeat the
# heaviest queries). Each table keeps only the rows those macros read: late or at-risk
# lines, unpaid invoices and those a follow-up note is about (the chase list finds a
# note's owner there), the PO lines the chase list and counts read (every one for
# kpi_report's supplier OTD). period_figures does the same with a period's lists, and
# customer_figures with the customers and ABC classes its three lists share.
LINE_STATUS, PO_STATUS, INVOICE_STATUS = "as_of_line_status", "as_of_po_status", "as_of_invoice_status"
PERIOD_SHIPMENTS, PERIOD_PAYMENTS = "period_shipments", "period_payments"
CUSTOMER_POPULATION, CUSTOMER_ABC = "customer_population_rows", "customer_abc_rows"


@dataclass(frozen=True)
class _TempTable:
    """``select * from <macro>(<the filters named by args><options>) where <kept>``, kept in a temp table."""

    macro: str
    kept: str = "true"
    options: str = ""
    args: tuple[str, ...] = _AS_OF_ARGS


_LINE_STATUS = _TempTable("order_line_status", "is_late or is_at_risk", ", open_only := true")
_INVOICE_STATUS = _TempTable(
    "invoice_status",
    "is_unpaid or invoice_no in (select subject_ref from stg_app_follow_up_notes where subject_kind = 'invoice')",
    ", unpaid_only := true, keep_noted := true",
)
_KPI_STATUSES = {
    LINE_STATUS: _LINE_STATUS,
    PO_STATUS: _TempTable("po_line_status"),
    INVOICE_STATUS: _INVOICE_STATUS,
}
_REVIEW_STATUSES = {
    LINE_STATUS: _LINE_STATUS,
    PO_STATUS: _TempTable("po_line_status", "is_overdue or is_due_soon", ", open_only := true"),
    INVOICE_STATUS: _INVOICE_STATUS,
}
_CUSTOMER_TABLES = {
    CUSTOMER_POPULATION: _TempTable("customer_population"),
    CUSTOMER_ABC: _TempTable("customer_abc", args=("as_of",)),
}
_PERIOD_LISTS = {
    PERIOD_SHIPMENTS: _TempTable("shipments_in_period", args=_RANGE_ARGS),
    PERIOD_PAYMENTS: _TempTable("payments_in_period", args=_RANGE_ARGS),
}


@contextmanager
def _temp_tables(
    con: duckdb.DuckDBPyConnection, filters: MetricFilters, tables: dict[str, _TempTable]
) -> Iterator[None]:
    try:
        for name, table in tables.items():
            params = filters.params(table.args)
            con.execute(
                f"create or replace temp table {name} as "
                f"select * from {table.macro}({', '.join(_placeholders(params))}{table.options}) where {table.kept}",
                params,
            )
        yield
    finally:
        for name in tables:
            con.execute(f"drop table if exists {name}")


def _rows(model: type[_Row], frame: pl.DataFrame) -> list[dict]:
    """The frame's rows with only the model's fields (converting the others would be wasted)."""
    return frame.select(list(model.__annotations__)).to_dicts()


def _from_tables(con: duckdb.DuckDBPyConnection, macro: str, *relations: str, **params) -> pl.DataFrame:
    """Rows of a ``*_of`` macro: its bound parameters first, then the temp tables it reads."""
    arguments = _placeholders(params) + [f"'{relation}'" for relation in relations]
    return _frame(con, f"select * from {macro}({', '.join(arguments)})", params)


def kpi_report_model(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    customer: str | None = None,
    merchandiser: str | None = None,
    settings: Settings | None = None,
) -> KpiReport:
    """Every KPI as of ``as_of``: metrics.md "Command-line output" (``model_dump_json`` prints it).

    ``settings``, when given, override the connection's base currency and ship
    tolerance (on a cursor of its own, so ``con`` is left as it was).
    Raises ``pydantic.ValidationError`` when the date range starts after it ends.
    """
    filters = MetricFilters(
        as_of=as_of, date_from=date_from, date_to=date_to, customer=customer, merchandiser=merchandiser
    )
    if settings is not None:
        con = configure_cursor(con.cursor(), settings)
    all_filters = filters.model_dump()
    row_filters = filters.params(_AS_OF_ARGS)
    with _temp_tables(con, filters, _KPI_STATUSES):
        ageing = _from_tables(con, "receivables_ageing_of", INVOICE_STATUS)
        warnings = _from_tables(con, "metric_warnings_of", INVOICE_STATUS, as_of=filters.as_of)
        report = KpiReport(
            as_of=filters.as_of,
            base_currency=base_currency(con),
            warnings=warnings["warning"].to_list(),
            on_time_delivery=on_time_delivery(con, **all_filters).row(0, named=True),
            late_order_lines=_rows(LateOrderLine, _from_tables(con, "late_order_lines_of", LINE_STATUS)),
            at_risk_order_lines=_rows(AtRiskOrderLine, _from_tables(con, "at_risk_order_lines_of", LINE_STATUS)),
            overdue_po_lines=_rows(OverduePoLine, _from_tables(con, "overdue_po_lines_of", PO_STATUS)),
            supplier_otd=_rows(SupplierOtd, _from_tables(con, "supplier_otd_of", PO_STATUS, as_of=filters.as_of)),
            unpaid_invoices=_rows(UnpaidInvoice, _from_tables(con, "unpaid_invoices_of", INVOICE_STATUS)),
            receivables_ageing=dict(zip(ageing["bucket"], ageing["outstanding_base"], strict=True)),
            customers=_rows(CustomerSummary, customer_activity(con, **all_filters)),
            production=production_summary(con, **all_filters).row(0, named=True),
            chase_today=_rows(
                ChaseItem, _from_tables(con, "chase_today_of", LINE_STATUS, PO_STATUS, INVOICE_STATUS, **row_filters)
            ),
        )
    return report


def kpi_report(con: duckdb.DuckDBPyConnection, as_of: dt.date, **filters) -> dict:
    """`kpi_report_model` as the JSON-ready dict (the dashboard's and the tests' form)."""
    return kpi_report_model(con, as_of, **filters).model_dump(mode="json", by_alias=True)


def base_currency(con: duckdb.DuckDBPyConnection) -> str:
    """The currency every base-currency total is in (the connection's setting)."""
    return con.execute("select getvariable('base_currency')").fetchall()[0][0]


class Headlines(BaseModel):
    """The headline figures of sql/metrics/90_headlines.sql, JSON-ready (rates and money as floats)."""

    base_currency: str
    due_lines: int
    on_time_lines: int
    otd_rate: Fraction | None
    late_lines: int
    at_risk_lines: int
    overdue_po_lines: int
    po_lines_due_soon: int
    unpaid_receivables_base: Fraction
    past_due_receivables_base: Fraction
    plan_attainment: Fraction | None
    defect_rate: Fraction | None


_headline_rows = _metric(
    "kpi_headlines", _RANGE_ARGS, "One row: the Overview's and the weekly review's headline figures."
)


def kpi_headlines(con: duckdb.DuckDBPyConnection, as_of: dt.date, **filters) -> dict:
    """The headline figures (counts and totals of kpi_report's metrics) without computing the lists.

    Takes the filters every metric function takes (date_from, date_to, customer, merchandiser).
    """
    row = _headline_rows(con, as_of, **filters).row(0, named=True)
    return Headlines.model_validate(row).model_dump(mode="json")


@dataclass(frozen=True)
class ReviewFigures:
    """The weekly review's figures as of its A that read the as-of statuses (warehouse/review.py)."""

    headlines: dict  # kpi_headlines
    warnings: list[str]  # metric_warnings
    chase: pl.DataFrame  # chase_today
    new_late_lines: pl.DataFrame  # new_late_lines


def review_figures(con: duckdb.DuckDBPyConnection, as_of: dt.date, **filters) -> ReviewFigures:
    """kpi_headlines, metric_warnings, chase_today and new_late_lines for these filters (those every
    metric function takes), each the same as alone, with each as-of status computed once for all four.
    """
    filters = MetricFilters(as_of=as_of, **filters)
    statuses = (LINE_STATUS, PO_STATUS, INVOICE_STATUS)
    with _temp_tables(con, filters, _REVIEW_STATUSES):
        headlines = _from_tables(con, "kpi_headlines_of", *statuses, **filters.params(_RANGE_ARGS))
        warnings = _from_tables(con, "metric_warnings_of", INVOICE_STATUS, as_of=filters.as_of)
        chase = _from_tables(con, "chase_today_of", *statuses, **filters.params(_AS_OF_ARGS))
        new_late = _from_tables(con, "new_late_lines_of", LINE_STATUS, **filters.params(("as_of", "date_from")))
    return ReviewFigures(
        headlines=Headlines.model_validate(headlines.row(0, named=True)).model_dump(mode="json"),
        warnings=warnings["warning"].to_list(),
        chase=chase,
        new_late_lines=new_late,
    )


# --- Orders and Purchasing pages (sql/metrics/92_orders.sql, 93_purchasing.sql) ---

order_book = _metric(
    "order_book", _RANGE_ARGS,
    "Lines open at A (due in the date range, if one is chosen) with shipped_pct, packed_pct, "
    "projected_finish and line_state (late | at_risk | on_track); sorted by due date.",
)
otd_breakdown = _metric(
    "otd_breakdown", _RANGE_ARGS,
    "On-time delivery per (dimension, value), dimension = customer | merchandiser | style; "
    "each dimension adds up to on_time_delivery.",
)
late_po_order_lines = _metric(
    "late_po_order_lines", _AS_OF_ARGS,
    "Each overdue PO line with the open lines of its sales order (customer, due date, open qty).",
)
supplier_scorecard = _metric(
    "supplier_scorecard", _AS_OF_ARGS,
    "Per supplier: PO lines, open and overdue lines, quantity per unit, supplier_otd's OTD, "
    "late lines with their average and maximum days late.",
)


# --- Production, Receivables and Customers pages (sql/metrics/94_production.sql,
# 95_receivables.sql, 96_customers.sql) ---

production_by_day = _metric(
    "production_by_day", _RANGE_ARGS,
    "Per report_date x workshop x process in production_summary's period: planned, output, "
    "defect qty, plan_attainment, defect_rate.",
)
production_by_workshop = _metric(
    "production_by_workshop", _RANGE_ARGS,
    "Per workshop x process over production_summary's period: reports, planned, output, defect qty, "
    "plan_attainment, defect_rate, delay_reports.",
)
delay_reason_pareto = _metric(
    "delay_reason_pareto", _RANGE_ARGS,
    "Per delay reason in production_summary's period: reports, lost_qty (plan missed by), and the "
    "cumulative share of each when sorted by it.",
)


def production_trend(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    customer: str | None = None,
    merchandiser: str | None = None,
    grain: str = "week",
    weeks: int = 12,
) -> pl.DataFrame:
    """production_summary per day (``grain="day"``) or Monday-Sunday week over a span.

    Span: the date range (clipped to A); without one, the ``weeks`` weeks up to the week
    holding A. Columns: point_from, point_to, output_qty, defect_qty, planned_qty,
    plan_attainment, defect_rate (None for a point without data).
    """
    if grain not in ("day", "week"):
        raise ValueError(f"grain must be 'day' or 'week', not {grain!r}")
    filters = MetricFilters(
        as_of=as_of, date_from=date_from, date_to=date_to, customer=customer, merchandiser=merchandiser
    )
    params = {**filters.params(("as_of", "date_from", "date_to")),
              "grain": grain, "weeks": weeks, **filters.params(("customer", "merchandiser"))}
    return _run(con, "production_trend", params)


receivables_by_customer = _metric(
    "receivables_by_customer", _AS_OF_ARGS,
    "Per customer x ageing bucket with unpaid invoices: invoices, outstanding_base, and the "
    "customer's total; largest customer first.",
)
customer_monthly = _metric(
    "customer_monthly", _RANGE_ARGS,
    "Per customer (of customer_activity) x month of the span (default: 12 months up to A): "
    "orders, quantity, revenue_base.",
)
top_styles = _metric(
    "top_styles", _RANGE_ARGS,
    "Per style ordered in the span (default: [A-364, A]): customers, orders, quantity, revenue_base; "
    "largest revenue first.",
)


@dataclass(frozen=True)
class CustomerFigures:
    """The Customers page's lists, which share the customers listed and their ABC classes."""

    activity: pl.DataFrame  # customer_activity
    monthly: pl.DataFrame  # customer_monthly
    top_styles: pl.DataFrame  # top_styles


def customer_figures(con: duckdb.DuckDBPyConnection, as_of: dt.date, **filters) -> CustomerFigures:
    """customer_activity, customer_monthly and top_styles for these filters (those every metric function
    takes), each the same as alone, with the customers listed and their classes computed once for all three.
    """
    filters = MetricFilters(as_of=as_of, **filters)
    span = filters.params(("as_of", "date_from", "date_to"))
    with _temp_tables(con, filters, _CUSTOMER_TABLES):
        return CustomerFigures(
            activity=_from_tables(con, "customer_activity_of", CUSTOMER_POPULATION, CUSTOMER_ABC, as_of=filters.as_of),
            monthly=_from_tables(con, "customer_monthly_of", CUSTOMER_POPULATION, CUSTOMER_ABC, **span),
            top_styles=_from_tables(con, "top_styles_of", CUSTOMER_POPULATION, **span),
        )


# --- Weekly review and Data pages (sql/metrics/97_weekly.sql, 98_loads.sql) ---

shipments_in_period = _metric(
    "shipments_in_period", _RANGE_ARGS,
    "Shipment rows shipped in the period (production_summary's), with amount_base; by ship_date.",
)
payments_in_period = _metric(
    "payments_in_period", _RANGE_ARGS,
    "Payments received in the period, in the invoice's currency, with amount_base; by payment_date.",
)
period_flows = _metric(
    "period_flows", _RANGE_ARGS,
    "Two rows, shipments then collections of the period: documents, quantity, amount_base, unrated_currencies.",
)
new_late_lines = _metric(
    "new_late_lines", _RANGE_ARGS,
    "Lines late at A but not at the day before the range starts (A-7 without one), with their delay_reasons.",
)


@dataclass(frozen=True)
class PeriodFigures:
    """A period's lists and their totals (the weekly review shows all three)."""

    flows: pl.DataFrame  # period_flows
    shipments: pl.DataFrame  # shipments_in_period
    payments: pl.DataFrame  # payments_in_period


def period_figures(con: duckdb.DuckDBPyConnection, as_of: dt.date, **filters) -> PeriodFigures:
    """period_flows, shipments_in_period and payments_in_period for these filters (those every metric
    function takes), each the same as alone, with the flows summed from the lists instead of their queries.
    """
    filters = MetricFilters(as_of=as_of, **filters)
    with _temp_tables(con, filters, _PERIOD_LISTS):
        return PeriodFigures(
            flows=_from_tables(con, "period_flows_of", PERIOD_SHIPMENTS, PERIOD_PAYMENTS),
            shipments=_frame(con, f"select * from {PERIOD_SHIPMENTS}", {}),
            payments=_frame(con, f"select * from {PERIOD_PAYMENTS}", {}),
        )


def load_history(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every load, newest first: when, source, files, row counts and rejected_rows."""
    return _run(con, "load_history", {})


def load_rejects(
    con: duckdb.DuckDBPyConnection,
    load_id: int | None = None,
    file: str | None = None,
    column: str | None = None,
    reason_code: str | None = None,
) -> pl.DataFrame:
    """Rejected rows with their reason (sentence, reason_code, reason_detail), newest load first;
    None = any load / file / column / kind of reason."""
    return _run(
        con, "load_rejects", {"load_id": load_id, "file": file, "column": column, "reason_code": reason_code}
    )


def side_by_side(con: duckdb.DuckDBPyConnection, calls: Sequence[tuple[str, Mapping[str, object]]]) -> list:
    """The results of several of this module's functions, ``(name, keyword arguments)`` each, in order.

    A page's calls are independent, and one query alone keeps both cores busy only
    part of the time: they run two at a time, each on a cursor of its own with
    ``con``'s settings.
    """
    module = sys.modules[__name__]
    functions = []
    for name, _ in calls:
        function = getattr(module, name, None)
        if name.startswith("_") or not callable(function):
            raise ValueError(f"{name!r} is not a metric function")
        functions.append(function)

    def run(function: Callable, cursor: duckdb.DuckDBPyConnection, arguments: Mapping[str, object]) -> object:
        with closing(cursor):
            return function(cursor, **arguments)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="gendan-metrics") as pool:
        futures = [
            pool.submit(run, function, sibling_cursor(con), arguments)
            for function, (_, arguments) in zip(functions, calls, strict=True)
        ]
        return [future.result() for future in futures]
