"""The weekly review: how one Monday–Sunday week went, against the week before.

`build_review` assembles it from `warehouse.metrics`. This week is taken as of its
Sunday, or as of the as-of date while the week is still running; last week as of its
Sunday. Every headline number is `kpi_headlines` with the week as the date range: the
count or total of what `gendan kpi --as-of <week end> --from <monday> --to <sunday>` lists.

What the review says in words, and its pack (Excel / HTML), is `dashboard.review_pack`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import duckdb
import polars as pl

from warehouse import metrics

def week_start(day: dt.date) -> dt.date:
    """The Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Headline:
    """One figure of the review, this week and last week."""

    key: str  # the i18n label key
    current: float | int | None
    previous: float | int | None
    kind: str  # "rate" (a fraction) | "count" | "money" (base currency)
    rise_is_bad: bool = False

    @property
    def change(self) -> float | int | None:
        if self.current is None or self.previous is None:
            return None
        return round(self.current - self.previous, 4 if self.kind == "rate" else 2)


@dataclass(frozen=True)
class WeekReview:
    """Everything the weekly review shows, for one week and the filters it was built with."""

    week_start: dt.date
    as_of: dt.date  # this week's: its Sunday, or the as-of date while the week runs
    customer: str | None
    merchandiser: str | None
    current: dict  # kpi_headlines of this week
    previous: dict  # kpi_headlines of last week
    warnings: list[str]  # metric_warnings of this week (English, as `gendan kpi` prints them)
    flows: pl.DataFrame  # period_flows of this week
    previous_flows: pl.DataFrame
    shipments: pl.DataFrame
    collections: pl.DataFrame
    new_late_lines: pl.DataFrame
    chase: pl.DataFrame  # chase_today at this week's end

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def previous_start(self) -> dt.date:
        return self.week_start - dt.timedelta(days=7)

    @property
    def previous_as_of(self) -> dt.date:
        return self.week_start - dt.timedelta(days=1)

    @property
    def base_currency(self) -> str:
        return self.current["base_currency"]

    @property
    def is_running(self) -> bool:
        """The week is not over at the as-of date."""
        return self.as_of < self.week_end

    def kpis(self) -> list[Headline]:
        """The headline KPIs, each from kpi_headlines of both weeks."""

        def figure(key: str, column: str, kind: str, rise_is_bad: bool = False) -> Headline:
            return Headline(key, self.current[column], self.previous[column], kind, rise_is_bad)

        return [
            figure("otd_rate", "otd_rate", "rate"),
            figure("late_lines", "late_lines", "count", True),
            figure("at_risk_lines", "at_risk_lines", "count", True),
            figure("overdue_pos", "overdue_po_lines", "count", True),
            figure("po_due_soon", "po_lines_due_soon", "count", True),
            figure("past_due_receivables", "past_due_receivables_base", "money", True),
            figure("plan_attainment", "plan_attainment", "rate"),
            figure("defect_rate", "defect_rate", "rate", True),
        ]

    def flow_figures(self) -> list[Headline]:
        """Shipments and collections of both weeks, values in the base currency."""
        now, before = _flows_by_name(self.flows), _flows_by_name(self.previous_flows)

        def figure(key: str, flow: str, column: str, kind: str) -> Headline:
            return Headline(key, _plain(now[flow][column]), _plain(before[flow][column]), kind)

        return [
            figure("shipment_documents", "shipments", "documents", "count"),
            figure("shipped_qty", "shipments", "quantity", "count"),
            figure("shipment_value", "shipments", "amount_base", "money"),
            figure("payment_documents", "collections", "documents", "count"),
            figure("collections", "collections", "amount_base", "money"),
        ]

    def unrated_currencies(self) -> list[str]:
        """Currencies left out of this week's shipment / collection totals for want of a rate."""
        unrated = self.flows["unrated_currencies"].to_list()
        return sorted({currency for currencies in unrated for currency in currencies})


def _flows_by_name(flows: pl.DataFrame) -> dict[str, dict]:
    return {row["flow"]: row for row in flows.iter_rows(named=True)}


def _plain(value: object) -> float | int | None:
    """A figure as a plain number (money arrives as Decimal)."""
    return float(value) if isinstance(value, Decimal) else value


def build_review(
    con: duckdb.DuckDBPyConnection,
    week: dt.date,
    as_of: dt.date,
    customer: str | None = None,
    merchandiser: str | None = None,
) -> WeekReview:
    """The review of the week holding `week`, with facts up to `as_of` (the week must have started by then)."""
    start = week_start(week)
    if start > as_of:
        raise ValueError(f"the week of {start} starts after the as-of date {as_of}")
    end = start + dt.timedelta(days=6)
    this_week = {"as_of": min(end, as_of), "date_from": start, "date_to": end,
                 "customer": customer, "merchandiser": merchandiser}  # fmt: skip
    last_week = {**this_week, "as_of": start - dt.timedelta(days=1),
                 "date_from": start - dt.timedelta(days=7), "date_to": start - dt.timedelta(days=1)}  # fmt: skip
    # Run two at a time: the week-end figures take about as long as the other three together.
    at_week_end, in_week, previous, previous_flows = metrics.side_by_side(
        con,
        [
            ("review_figures", this_week),
            ("period_figures", this_week),
            ("kpi_headlines", last_week),
            ("period_flows", last_week),
        ],
    )
    return WeekReview(
        week_start=start,
        as_of=this_week["as_of"],
        customer=customer,
        merchandiser=merchandiser,
        current=at_week_end.headlines,
        previous=previous,
        warnings=at_week_end.warnings,
        flows=in_week.flows,
        previous_flows=previous_flows,
        shipments=in_week.shipments,
        collections=in_week.payments,
        new_late_lines=at_week_end.new_late_lines,
        chase=at_week_end.chase,
    )
