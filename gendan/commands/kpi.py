"""`gendan kpi`: every KPI of the metric layer as of a date, as a readable table or JSON."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click
from pydantic import ValidationError

from gendan.commands.options import as_date, as_of_option, db_option, open_store

if TYPE_CHECKING:
    from warehouse.metrics import MetricFilters

# How the table shows a value, by its key; the JSON keeps fractions and plain numbers.
RATE_KEYS = frozenset({"rate", "plan_attainment", "defect_rate"})
MONEY_KEYS = frozenset({"outstanding", "revenue_12m_base"})
MONEY_SECTIONS = frozenset({"receivables_ageing"})

SECTION_TITLES = {
    "on_time_delivery": "On-time delivery",
    "production": "Production",
    "late_order_lines": "Late order lines",
    "at_risk_order_lines": "At-risk order lines",
    "overdue_po_lines": "Overdue PO lines",
    "supplier_otd": "Supplier on-time delivery",
    "unpaid_invoices": "Unpaid invoices",
    "receivables_ageing": "Receivables ageing ({base_currency})",
    "customers": "Customers",
    "chase_today": "Chase today",
}

date_option = click.DateTime(formats=["%Y-%m-%d"])


@click.command()
@db_option
@as_of_option
@click.option("--from", "date_from", type=date_option, default=None,
              help="Start of the date range, YYYY-MM-DD: on-time delivery by due date, production by report date.")
@click.option("--to", "date_to", type=date_option, default=None,
              help="End of the date range, YYYY-MM-DD (clipped to the as-of date for production).")
@click.option("--customer", metavar="CODE", default=None, help="Only this customer's orders, POs and invoices.")
@click.option("--merchandiser", metavar="NAME", default=None, help="Only this merchandiser's orders, POs and invoices.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A readable table, or the JSON object of the metric definitions.")
def command(
    db: Path | None,
    as_of: dt.datetime | None,
    date_from: dt.datetime | None,
    date_to: dt.datetime | None,
    customer: str | None,
    merchandiser: str | None,
    output_format: str,
) -> None:
    """Print every KPI as of a date: on-time delivery, late and at-risk lines,
    purchasing, receivables, customers, production and today's chase list.

    Facts dated after the as-of date are ignored, so a past week can be re-run.
    The date range limits on-time delivery (lines due in it) and the production
    period (default: the 7 days up to the as-of date); every list is the state as
    of the date. --customer / --merchandiser give the same numbers as the
    dashboard with the same filters.

    \b
    Example:
        gendan kpi --as-of 2026-03-10
        gendan kpi --as-of 2026-03-10 --from 2026-03-01 --to 2026-03-31 \\
                   --merchandiser "Wang Fang" --format json
    """
    # Imported here so that `gendan --help` stays light.
    from warehouse.metrics import MetricFilters, kpi_report_model

    try:
        filters = MetricFilters(
            as_of=as_date(as_of),
            date_from=date_from and date_from.date(),
            date_to=date_to and date_to.date(),
            customer=customer,
            merchandiser=merchandiser,
        )
    except ValidationError as error:
        raise click.BadParameter(str(error.errors()[0]["ctx"]["error"]), param_hint="'--from' / '--to'") from None
    store, _ = open_store(db)
    if not store.exists():
        raise click.ClickException(f"no warehouse at {store.path}: load data first (gendan load / gendan demo)")
    report = kpi_report_model(store.connect(), **filters.model_dump())
    if output_format == "json":
        # pydantic's serializer: json.dumps with indent is pure Python, seconds for a big report
        click.echo(report.model_dump_json(by_alias=True, indent=2))
    else:
        click.echo(render_table(report.model_dump(mode="json", by_alias=True), filters))


def render_table(report: dict, filters: MetricFilters) -> str:
    """The report as plain-text sections with aligned columns."""
    lines = [f"KPIs as of {report['as_of']} (base currency {report['base_currency']})"]
    chosen = [
        f"{label} {value}"
        for label, value in (
            ("customer", filters.customer),
            ("merchandiser", filters.merchandiser),
            ("from", filters.date_from),
            ("to", filters.date_to),
        )
        if value is not None
    ]
    if chosen:
        lines.append("Filters: " + ", ".join(chosen))
    if report["warnings"]:
        lines += ["", "Warnings", *(f"  ! {warning}" for warning in report["warnings"])]
    for key, title_template in SECTION_TITLES.items():
        title = title_template.format(base_currency=report["base_currency"])
        value = report[key]
        lines.append("")
        if isinstance(value, dict):
            lines += [title, *_key_values(value, money=key in MONEY_SECTIONS)]
        else:
            lines += [f"{title} ({len(value)})", *_aligned_rows(value)]
    return "\n".join(lines)


def _cell(key: str, value: object, money: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in RATE_KEYS:
        return f"{value * 100:.2f}%"
    if money or key in MONEY_KEYS:
        return f"{value:,.2f}"
    return str(value)


def _key_values(values: dict, money: bool) -> list[str]:
    width = max(len(key) for key in values)
    cells = {key: _cell(key, value, money) for key, value in values.items()}
    value_width = max(len(cell) for cell in cells.values())
    return [f"  {key.replace('_', ' '):<{width}}  {cell:>{value_width}}" for key, cell in cells.items()]


def _aligned_rows(rows: list[dict]) -> list[str]:
    if not rows:
        return ["  (none)"]
    keys = list(rows[0])
    cells = [[_cell(key, row[key]) for key in keys] for row in rows]
    widths = [max(len(key), *(len(line[i]) for line in cells)) for i, key in enumerate(keys)]
    # Numbers line up on the right, text on the left.
    numeric = [all(isinstance(row[key], int | float) and not isinstance(row[key], bool) or row[key] is None
                   for row in rows) for key in keys]

    def line(values: list[str]) -> str:
        padded = (value.rjust(width) if right else value.ljust(width)
                  for value, width, right in zip(values, widths, numeric, strict=True))
        return ("  " + "  ".join(padded)).rstrip()

    return [line(keys), *(line(values) for values in cells)]
