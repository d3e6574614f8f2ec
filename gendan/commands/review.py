"""`gendan review`: the weekly review pack of one week, as Excel or HTML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gendan.commands.options import as_date, as_of_option, db_option, open_store


@click.command()
@click.option("--week", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="Any day of the Monday-Sunday week to review, YYYY-MM-DD.")
@db_option
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["xlsx", "html"]), default="xlsx", show_default=True,
              help="An Excel workbook (one sheet per section) or one self-contained HTML page.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the headers and labels.")
@click.option("--customer", metavar="CODE", default=None, help="Only this customer's orders, POs and invoices.")
@click.option("--merchandiser", metavar="NAME", default=None, help="Only this merchandiser's orders, POs and invoices.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: weekly-review-<monday>.<format> in the current folder).")
def command(
    week: dt.datetime,
    db: Path | None,
    as_of: dt.datetime | None,
    output_format: str,
    lang: str,
    customer: str | None,
    merchandiser: str | None,
    out: Path | None,
) -> None:
    """Write the weekly review of a week: its KPIs against the week before,
    shipments and collections, new late lines with their delay reasons, and the
    chase list at week end.

    The week is taken as of its Sunday, or as of --as-of while it is still
    running; every KPI equals `gendan kpi --as-of <that day> --from <monday>
    --to <sunday>`.

    \b
    Example:
        gendan review --week 2026-11-16 --as-of 2026-11-22
        gendan review --week 2026-11-16 --format html --lang en --out review.html
    """
    # Imported here so that `gendan --help` stays light.
    from dashboard.review_pack import file_name, review_html, review_xlsx
    from warehouse.review import build_review

    store, _ = open_store(db)
    if not store.exists():
        raise click.ClickException(f"no warehouse at {store.path}: load data first (gendan load / gendan demo)")
    try:
        review = build_review(store.connect(), week.date(), as_date(as_of), customer, merchandiser)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--week'") from None
    target = out or Path(file_name(review, output_format))
    if output_format == "xlsx":
        target.write_bytes(review_xlsx(review, lang))
    else:
        target.write_text(review_html(review, lang), encoding="utf-8")
    click.echo(f"Wrote the review of {review.week_start} - {review.week_end} (as of {review.as_of}) to {target}")
