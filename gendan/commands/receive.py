"""`gendan receive`: record a goods receipt on a PO line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option
from gendan.records import record_receipt


@click.command()
@click.option("--po-no", help="PO number (required).")
@click.option("--po-line", default="1", show_default=True, help="PO line.")
@click.option("--received-qty", help="Quantity delivered (required, > 0).")
@click.option("--rejected-qty", default="0", show_default=True, help="Of which refused at incoming inspection.")
@click.option("--receipt-date", default=lambda: dt.date.today().isoformat(), show_default="today", help="Received on.")
@user_option
@db_option
def command(actor: str | None, db: Path | None, **values: str) -> None:
    """Record a goods receipt on a PO line (role: editor).

    The accepted quantity (received - rejected) adds to the line's received qty until a
    load brings the PO line with a received date on or after the receipt date.

    \b
    Example:
        gendan receive --po-no PO-26-0042 --po-line 1 --received-qty 1200 --rejected-qty 30 --user wangli
    """
    perform(record_receipt, db, actor, values)
