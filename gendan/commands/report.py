"""`gendan report`: enter a production daily report row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option
from gendan.records import record_production_report


@click.command()
@click.option("--order-no", help="Order number (required).")
@click.option("--line-no", default="1", show_default=True, help="Order line.")
@click.option("--workshop", help='Workshop, e.g. "Sewing line 3" (required).')
@click.option("--process", help="cutting / sewing / finishing / packing, or 裁床 / 车缝 / 后整 / 包装 (required).")
@click.option("--output-qty", help="Good pieces (required).")
@click.option("--planned-qty", default=None, help="Planned pieces.")
@click.option("--defect-qty", default="0", show_default=True, help="Defective pieces.")
@click.option("--delay-reason", default=None, help="A delay reason code, e.g. material_shortage or 待料.")
@click.option("--report-date", default=lambda: dt.date.today().isoformat(), show_default="today", help="Report date.")
@user_option
@db_option
def command(actor: str | None, db: Path | None, **values: str | None) -> None:
    """Enter one production daily report row (role: editor).

    It counts until a load brings a report with the same date, order line, workshop and process.

    \b
    Example:
        gendan report --order-no SO-26-0007 --workshop "Sewing line 3" --process 车缝 \\
            --planned-qty 500 --output-qty 430 --delay-reason 待料
    """
    perform(record_production_report, db, actor, values)
