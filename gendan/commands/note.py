"""`gendan note add|done|list`: follow-up notes on order lines, PO lines, invoices and customers."""

from __future__ import annotations

from pathlib import Path

import click

from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option, open_store
from gendan.records import add_note, mark_note_done, notes


@click.group()
def command() -> None:
    """Follow-up notes: add one, mark one done, list them.

    An open note with a next chase date on or before the as-of date is on the chase list.

    \b
    Example:
        gendan note add --subject-kind invoice --subject-ref INV-26-0311 \\
            --note "promised to pay Friday" --next-chase-date 2026-11-27
        gendan note list
        gendan note done 12
    """


@command.command("add")
@click.option("--subject-kind", help="order_line / po_line / invoice / customer (订单行 / 采购行 / 发票 / 客户).")
@click.option("--subject-ref", help="ORDER/LINE, PO/LINE, the invoice no or the customer code.")
@click.option("--note", help="The note.")
@click.option("--next-chase-date", default=None, help="When to chase next (puts the note on that day's chase list).")
@user_option
@db_option
def add(actor: str | None, db: Path | None, **values: str | None) -> None:
    """Add a follow-up note (role: editor).

    \b
    Example:
        gendan note add --subject-kind order_line --subject-ref SO-26-0007/2 \\
            --note "trims late" --next-chase-date 2026-11-25
    """
    perform(add_note, db, actor, values)


@command.command("done")
@click.argument("note_id")
@click.option("--if-version", "expected_version", default=None, help="Refuse if the note changed since this version.")
@user_option
@db_option
def done(actor: str | None, db: Path | None, **values: str | None) -> None:
    """Mark a follow-up note done (role: editor).

    \b
    Example:
        gendan note done 12 --user wangli
    """
    perform(mark_note_done, db, actor, values)


@command.command("list")
@click.option("--status", type=click.Choice(["open", "done", "all"]), default="open", show_default=True)
@click.option("--subject-kind", default=None, help="Only notes on this kind of record.")
@click.option("--subject-ref", default=None, help="Only notes on this record.")
@db_option
def list_notes(status: str, subject_kind: str | None, subject_ref: str | None, db: Path | None) -> None:
    """List follow-up notes, oldest first.

    \b
    Example:
        gendan note list --status all --subject-kind invoice
    """
    store, _ = open_store(db)
    found = notes(store.connect(), None if status == "all" else status, subject_kind, subject_ref)
    for note in found.iter_rows(named=True):
        chase = f" next {note['next_chase_date']}" if note["next_chase_date"] else ""
        done_by = f" done by {note['done_by']}" if note["done_by"] else ""
        click.echo(
            f"#{note['note_id']} v{note['version']} {note['status']}{chase}"
            f" {note['subject_kind']} {note['subject_ref']}"
            f" ({note['created_by']} {note['created_at']:%Y-%m-%d %H:%M}{done_by}): {note['note']}"
        )
