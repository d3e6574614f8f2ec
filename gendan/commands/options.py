"""Options shared by several commands, so each is spelled and documented once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from gendan.settings import Settings, load_settings
from warehouse.store import Store

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Warehouse file (default: $GENDAN_DB, else ./gendan.duckdb).",
)

as_of_option = click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Compute as of this date, YYYY-MM-DD (default: today).",
)


def open_store(db: Path | None, **overrides) -> tuple[Store, Settings]:
    """The store named by --db / GENDAN_DB / the default, with its settings."""
    settings = load_settings(db=db, **overrides)
    return Store(settings.db, settings), settings


def as_date(value: dt.datetime | None) -> dt.date:
    """A --as-of / --from / --to value as a date; today when not given."""
    return value.date() if value is not None else dt.date.today()
