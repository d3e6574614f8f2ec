"""`gendan user add|remove|passwd|list`: the people who may sign in to the dashboard."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gendan.auth import add_user, list_users, remove_user, set_password
from gendan.commands.acting import perform, user_option
from gendan.commands.options import db_option, open_store

ROLES = click.Choice(["viewer", "editor", "admin"])


def _password(from_stdin: bool) -> str:
    """The first line of stdin (for scripts), or asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.group()
def command() -> None:
    """Users and roles: viewer reads, editor also updates records, admin also loads data and manages users.

    While a store has no users the dashboard asks nobody to sign in; the first user must
    be an admin. Managing users needs an admin (--user / $GENDAN_USER), except for the
    first user and for changing your own password. No password is asked of --user:
    whoever can run gendan on the server can already read and write the store's files.

    \b
    Example:
        gendan user add wangli --role admin
        echo "s3cret-pass" | gendan user add lina --role editor --password-stdin --user wangli
        gendan user list
    """


@command.command("add")
@click.argument("name")
@click.option("--role", type=ROLES, required=True, help="viewer, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@user_option
@db_option
def add(name: str, role: str, password_stdin: bool, actor: str | None, db: Path | None) -> None:
    """Add a user (role: admin).

    \b
    Example:
        gendan user add lina --role editor
    """
    perform(add_user, db, actor, {"username": name, "role": role, "password": _password(password_stdin)})


@command.command("remove")
@click.argument("name")
@user_option
@db_option
def remove(name: str, actor: str | None, db: Path | None) -> None:
    """Remove a user (role: admin); the last admin cannot be removed.

    \b
    Example:
        gendan user remove lina --user wangli
    """
    perform(remove_user, db, actor, {"username": name})


@command.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@user_option
@db_option
def passwd(name: str, password_stdin: bool, actor: str | None, db: Path | None) -> None:
    """Set a user's password (role: admin, or the user themself).

    \b
    Example:
        gendan user passwd lina --user lina
    """
    perform(set_password, db, actor, {"username": name, "password": _password(password_stdin)})


@command.command("list")
@db_option
def list_command(db: Path | None) -> None:
    """List the users and their roles.

    \b
    Example:
        gendan user list
    """
    store, _ = open_store(db)
    users = list_users(store.connect())
    if not users:
        click.echo("no users: the dashboard is open to everyone (add an admin: gendan user add NAME --role admin)")
    for user in users:
        click.echo(f"{user.username}\t{user.role}\tadded {user.created_at:%Y-%m-%d} by {user.created_by}")
