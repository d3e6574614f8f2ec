"""`gendan order`: show or change an order line (due date, priority, cancel / reopen)."""

from __future__ import annotations

from pathlib import Path

import click

from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option, open_store
from gendan.records import change_order_line, order_line_state


@click.command()
@click.option("--order-no", required=True, help="Order number.")
@click.option("--line-no", default=1, show_default=True, type=int, help="Order line.")
@click.option("--due-date", default=None, help="New due date (needs --reason).")
@click.option("--priority", default=None, help="normal / rush (普通 / 加急).")
@click.option("--status", default=None, help="cancelled / open (取消 / 正常): cancel or reopen the line (needs --reason).")
@click.option("--reason", default=None, help="Why the due date or status changes.")
@click.option(
    "--if-version",
    "expected_version",
    default=None,
    help="Refuse if the line changed since this version (shown without change options).",
)
@user_option
@db_option
def command(actor: str | None, db: Path | None, order_no: str, line_no: int, **changes: str | None) -> None:
    """Show an order line, or change its due date, priority or status (role: editor).

    Without change options it prints the line as the app shows it, with its version.
    Changes override the loaded values, and later loads do not undo them.

    \b
    Example:
        gendan order --order-no SO-26-0007 --line-no 2
        gendan order --order-no SO-26-0007 --line-no 2 --due-date 2026-12-20 \\
            --reason "customer moved the vessel" --if-version 0
        gendan order --order-no SO-26-0007 --line-no 3 --status cancelled --reason "customer cancelled"
    """
    if all(changes[name] is None for name in ("due_date", "priority", "status")):
        store, _ = open_store(db)
        state = order_line_state(store.connect(), order_no, line_no)
        if state is None:
            raise click.ClickException(f"order line {order_no}/{line_no} is not in the data")
        changed = ""
        if state.changed_by:
            changed = f", last changed by {state.changed_by} at {state.changed_at:%Y-%m-%d %H:%M}"
        click.echo(
            f"{order_no}/{line_no}: due {state.due_date} (loaded {state.loaded_due_date}), {state.priority}, "
            f"{state.status}, version {state.app_version}{changed}"
        )
        return
    perform(change_order_line, db, actor, {"order_no": order_no, "line_no": line_no, **changes})
