"""What the record-keeping commands share: who acts (--user), and how a refusal is printed.

The command line needs no password: whoever can run gendan on the server can already
read and write the store's files. `--user` is still checked against the store's users
and roles, exactly as a signed-in user of the dashboard is, and recorded in the audit trail.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Mapping
from pathlib import Path

import click

from gendan.commands.options import open_store
from gendan.records import Refused, Saved
from warehouse.store import Store, StoreBusyError

user_option = click.option(
    "--user",
    "actor",
    envvar="GENDAN_USER",
    default=None,
    help="Act as this user (default: $GENDAN_USER, else your login name). Needs the role the change needs.",
)


def actor_name(actor: str | None) -> str:
    """--user, else $GENDAN_USER (click fills it), else the login name (enough on a store with no users)."""
    return actor or getpass.getuser()


def refuse(refused: Refused) -> None:
    """Print every problem, naming the option it is about, and exit 1."""
    for problem in refused.problems:
        where = f"--{problem.field.replace('_', '-')}: " if problem.field else ""
        click.echo(f"gendan: {where}{problem.en}", err=True)
    raise SystemExit(1)


def perform(
    operation: Callable[[Store, str, Mapping], Saved], db: Path | None, actor: str | None, values: Mapping
) -> Saved:
    """Run a service operation as the command's user and print what it saved; refusals exit 1."""
    store, _ = open_store(db)
    try:
        saved = operation(store, actor_name(actor), values)
    except Refused as refused:
        refuse(refused)
    except StoreBusyError as busy:
        raise click.ClickException(str(busy)) from None
    click.echo(saved.en)
    return saved
