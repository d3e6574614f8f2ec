"""`gendan pay`: record a payment received against an invoice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option
from gendan.records import record_payment


@click.command()
@click.option("--payment-no", help="Payment number, as the ERP will export it (required).")
@click.option("--invoice-no", help="Invoice paid (required).")
@click.option("--amount", help="Amount received, in the invoice's currency (required, > 0).")
@click.option("--payment-date", default=lambda: dt.date.today().isoformat(), show_default="today", help="Date paid.")
@user_option
@db_option
def command(actor: str | None, db: Path | None, **values: str) -> None:
    """Record a payment received against an invoice (role: editor).

    It counts until a load brings a payment with the same payment no.

    \b
    Example:
        gendan pay --payment-no RC-26-0091 --invoice-no INV-26-0311 --amount 15200.50 --user lina
    """
    perform(record_payment, db, actor, values)
