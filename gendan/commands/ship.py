"""`gendan ship`: record a shipment of an order line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option
from gendan.records import record_shipment


@click.command()
@click.option("--shipment-no", help="Shipment number, as the ERP will export it (required).")
@click.option("--order-no", help="Order number (required).")
@click.option("--line-no", default="1", show_default=True, help="Order line.")
@click.option("--shipped-qty", help="Pieces shipped (required, > 0).")
@click.option("--invoice-no", help="Invoice the shipment is billed on (required).")
@click.option("--ship-date", default=lambda: dt.date.today().isoformat(), show_default="today", help="Ship date.")
@click.option("--amount", default=None, help="Invoiced amount (default: shipped qty x the line's unit price).")
@click.option("--currency", default=None, help="Currency of the amount (default: the line's currency).")
@user_option
@db_option
def command(actor: str | None, db: Path | None, **values: str | None) -> None:
    """Record a shipment of an order line (role: editor).

    It counts until a load brings a shipment with the same shipment no, order no and
    line; from then on the loaded one counts and this one is shown as confirmed by load.

    \b
    Example:
        gendan ship --shipment-no SH-26-118 --order-no SO-26-0007 --line-no 2 \\
            --shipped-qty 800 --invoice-no INV-26-0311
    """
    perform(record_shipment, db, actor, values)
