"""Which data calls each dashboard page (and `gendan kpi`) makes: the list the benchmark times.

Read off `dashboard/app.py` and `dashboard/pages/*.py` (`data.frame("late_order_lines", filters)`,
`data.call(...)`, `data.together(data.request(...), ...)`, `data.weekly_review(...)`),
for the default view: as of today, no date range, every customer and merchandiser,
nothing clicked. When a page starts calling something new, add it here;
`tests/test_bench.py` reads the pages and fails until you do.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import duckdb

from warehouse import metrics

PREVIOUS_PERIOD = dt.timedelta(days=7)  # dashboard.data.previous_period without a date range


def current(as_of: dt.date) -> dict[str, object]:
    """The page's filters: as of A, no date range, everyone."""
    return {"as_of": as_of, "date_from": None, "date_to": None, "customer": None, "merchandiser": None}


def previous(as_of: dt.date) -> dict[str, object]:
    """The period a page compares with (`dashboard.data.previous_period`)."""
    return current(as_of - PREVIOUS_PERIOD)


def nothing(as_of: dt.date) -> dict[str, object]:
    """No filters: lists of choices, load history."""
    return {}


def week_of(as_of: dt.date) -> dict[str, object]:
    """The weekly review's default: the week holding A, everyone."""
    return {"week": as_of, "as_of": as_of, "customer": None, "merchandiser": None}


@dataclass(frozen=True)
class Query:
    """One call a page makes: a `warehouse.metrics` function (or a dotted path), its filters and extra arguments.

    `opens` names a kind of chase item: the call also takes the `ref` of the most
    urgent item of that kind, found before the timing starts (`with_chase_refs`).
    """

    function: str
    filters: Callable[[dt.date], dict[str, object]] = current
    extra: tuple[tuple[str, object], ...] = ()
    opens: str | None = None

    @property
    def name(self) -> str:
        # the ref depends on the data: left out, so a query has one name at every scale
        extra = ", ".join(f"{key}={value}" for key, value in self.extra if key != "ref")
        name = f"{self.function}({extra})" if extra else self.function
        return f"{name} (previous period)" if self.filters is previous else name

    def resolve(self) -> Callable[..., object]:
        if "." not in self.function:
            return getattr(metrics, self.function)
        module, _, name = self.function.rpartition(".")
        return getattr(importlib.import_module(module), name)

    def params(self, as_of: dt.date) -> dict[str, object]:
        return {**self.filters(as_of), **dict(self.extra)}

    def run(self, con: duckdb.DuckDBPyConnection, as_of: dt.date) -> object:
        return self.resolve()(con, **self.params(as_of))

    def with_chase_refs(self, refs: Mapping[str, str]) -> Query:
        """The call with the ref of the item it opens (`refs`: kind -> ref); other calls as they are."""
        if self.opens is None:
            return self
        if self.opens not in refs:
            raise LookupError(f"{self.name}: the chase list has no {self.opens} to open")
        return replace(self, extra=(*self.extra, ("ref", refs[self.opens])), opens=None)

    @property
    def functions(self) -> tuple[str, ...]:
        """The functions the call runs."""
        return (self.function,)

    @property
    def parts(self) -> tuple[Query, ...]:
        """The calls to time alone as well: none but itself."""
        return ()


@dataclass(frozen=True)
class Together:
    """Calls a page makes at once (`data.together`), run side by side by `metrics.side_by_side`."""

    queries: tuple[Query, ...]
    function: str = "side_by_side"

    @property
    def name(self) -> str:
        return f"side_by_side({', '.join(query.name for query in self.queries)})"

    @property
    def functions(self) -> tuple[str, ...]:
        return tuple(query.function for query in self.queries)

    @property
    def parts(self) -> tuple[Query, ...]:
        """Each call, to time alone as well."""
        return self.queries

    def resolve(self) -> Callable[..., object]:
        for query in self.queries:
            query.resolve()
        return metrics.side_by_side

    def params(self, as_of: dt.date) -> dict[str, object]:
        return {"calls": ", ".join(query.name for query in self.queries)}

    def run(self, con: duckdb.DuckDBPyConnection, as_of: dt.date) -> object:
        return metrics.side_by_side(con, [(query.function, query.params(as_of)) for query in self.queries])

    def with_chase_refs(self, refs: Mapping[str, str]) -> Together:
        return replace(self, queries=tuple(query.with_chase_refs(refs) for query in self.queries))


@dataclass(frozen=True)
class Page:
    """A page's calls in the order a view of it makes them; `sidebar` pages also pay for app.py's."""

    name: str
    queries: tuple[Query | Together, ...]
    sidebar: bool = True


# app.py draws the sidebar's filter choices before every page.
SIDEBAR = (Query("customer_codes", nothing), Query("merchandiser_names", nothing))
HAS_DATA = Query("has_order_data", nothing)
KPI = Query("kpi_report")
HEADLINES = Query("kpi_headlines")
BASE_CURRENCY = Query("base_currency", nothing)
CHASE = Query("chase_today")
WARNINGS = Query("metric_warnings")
AUDIT_TRAIL = Query("gendan.records.audit_trail", nothing)


def opened(kind: str) -> Query:
    """Opening the most urgent chase item of a kind: its record."""
    return Query("chase_record", extra=(("kind", kind),), opens=kind)


PAGES: tuple[Page, ...] = (
    Page(
        "overview",
        (HAS_DATA, Together((HEADLINES, Query("kpi_headlines", previous), WARNINGS,
                             Query("otd_by_week", extra=(("weeks", 26),)), Query("late_order_lines")))),
    ),
    Page(
        "orders",
        (HAS_DATA, Together((Query("on_time_delivery"), Query("late_order_lines"), Query("at_risk_order_lines"),
                             Query("order_book"), WARNINGS, Query("otd_breakdown")))),
    ),
    Page(
        "production",
        (
            HAS_DATA,
            Query("production_summary"),
            Query("production_summary", previous),
            Query("delay_reason_pareto"),
            Query("delay_reason_pareto", previous),
            Query("production_by_day"),
            Query("production_by_workshop"),
            Query("production_trend", extra=(("grain", "week"), ("weeks", 12))),
        ),
    ),
    Page(
        "purchasing",
        (HAS_DATA, Together((Query("overdue_po_lines"), Query("po_lines_due_soon"), Query("late_po_order_lines"),
                             Query("supplier_otd"), Query("supplier_scorecard")))),
    ),
    Page(
        "receivables",
        (HAS_DATA, BASE_CURRENCY, Together((Query("receivables_ageing"), Query("unpaid_invoices"), WARNINGS,
                                            Query("receivables_by_customer")))),
    ),
    Page("customers", (HAS_DATA, BASE_CURRENCY, Together((Query("customer_figures"), WARNINGS)))),
    Page("chase", (HAS_DATA, CHASE)),
    # Opening a chase item reruns the page and reads the item's record; the other
    # kinds' records are in ALSO_ALONE.
    Page("chase, an order line opened", (HAS_DATA, CHASE, opened("order_line"))),
    Page("weekly", (HAS_DATA, Query("warehouse.review.build_review", week_of))),
    # The rejects list asks for a load's rejects, then for them filtered (nothing chosen: all again).
    Page(
        "data",
        (
            Query("load_history", nothing),
            Query("load_rejects", nothing, (("load_id", None),)),
            Query(
                "load_rejects", nothing, (("load_id", None), ("file", None), ("column", None), ("reason_code", None))
            ),
        ),
    ),
    # The whole trail for the filter choices, then the filtered list (nothing chosen: the same call).
    Page("audit", (AUDIT_TRAIL, AUDIT_TRAIL)),
    Page("gendan kpi", (KPI,), sidebar=False),
)

# The records behind the chase page's other kinds of item, and the lists customer_figures
# computes together (gendan kpi reads customer_activity alone), timed alone.
ALSO_ALONE = (
    opened("po_line"),
    opened("invoice"),
    Query("customer_activity"),
    Query("customer_monthly"),
    Query("top_styles"),
)


def chase_refs(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> dict[str, str]:
    """kind -> the ref of its most urgent item on the chase list at A (the list is sorted by urgency)."""
    first = metrics.chase_today(con, as_of).unique("kind", keep="first", maintain_order=True)
    return dict(zip(first["kind"], first["ref"], strict=True))


def page_calls(page: Page) -> tuple[Query | Together, ...]:
    """Every call one view of the page makes, sidebar first."""
    return (*SIDEBAR, *page.queries) if page.sidebar else page.queries


def distinct_queries() -> list[Query | Together]:
    """Every query of every page and of the chase items, once each, in first-seen order (the calls of a
    `Together` alone first, then together)."""
    seen: dict[Query | Together, None] = {}
    for page in PAGES:
        for query in page_calls(page):
            for part in query.parts:
                seen.setdefault(part)
            seen.setdefault(query)
    for query in ALSO_ALONE:
        seen.setdefault(query)
    return list(seen)


def unresolved_queries() -> list[str]:
    """Functions named in the list that do not exist (checked before a long run starts)."""
    missing = []
    for query in distinct_queries():
        try:
            query.resolve()
        except (AttributeError, ImportError):
            missing.append(query.function)
    return missing
