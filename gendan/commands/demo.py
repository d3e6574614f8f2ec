"""`gendan demo`: write the demo data set (a simulated garment exporter) and load it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from pydantic import ValidationError

from etl.loader import LoadError
from gendan.auth import create_demo_users
from gendan.commands.load import ProgressDisplay
from gendan.commands.options import as_date, as_of_option, db_option, open_store
from gendan.demo import PLAIN_ABOVE_SCALE, DemoParameters, build_demo
from warehouse.store import Store, StoreBusyError

DEFAULTS = DemoParameters.model_fields


@click.command()
@db_option
@click.option(
    "--scale", type=float, default=None, help=f"1 is about 2,500 order lines (default {DEFAULTS['scale'].default:g})."
)
@click.option(
    "--seed", type=int, default=None, help=f"Same seed, same files (default {DEFAULTS['seed'].default})."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the files (default: demo-data/ next to the warehouse file).",
)
@as_of_option
@click.option(
    "--plain/--export-style",
    "plain_files",
    default=None,
    help="Plain UTF-8 CSV with English headers and ISO dates, or files like real exports "
    f"(GBK, Chinese headers, an .xlsx). Default: export-style up to scale {PLAIN_ABOVE_SCALE}, plain above.",
)
def command(
    db: Path | None,
    scale: float | None,
    seed: int | None,
    out_dir: Path | None,
    as_of: dt.datetime | None,
    plain_files: bool | None,
) -> None:
    """Write a realistic demo data set and load it.

    Two years of a ski- and outdoor-wear exporter ending at the as-of date: customers,
    orders, production dailies, purchase orders, shipments and payments, written in the
    import template's formats with a few bad rows planted on purpose, so the load
    report shows what a reject looks like.

    \b
    Example:
        gendan demo                                   # ./gendan.duckdb, files in ./demo-data/
        gendan demo --db demo/gendan.duckdb --as-of 2026-03-16 --scale 0.5
    """
    options = {"scale": scale, "seed": seed, "plain_files": plain_files}
    try:
        parameters = DemoParameters(
            as_of=as_date(as_of), **{name: value for name, value in options.items() if value is not None}
        )
    except ValidationError as error:
        raise click.BadParameter(error.errors()[0]["msg"], param_hint=error.errors()[0]["loc"][0]) from None
    store, _ = open_store(db)
    if _holds_loaded_data(store):
        # Loads are upserts that never delete: a second demo (another date or seed) would mix two stories.
        raise click.ClickException(
            f"{store.path} already holds loaded data; the demo needs a warehouse of its own: "
            f"pass --db with a new file, or delete {store.path.name} first."
        )
    out_dir = out_dir or store.path.parent / "demo-data"
    progress = ProgressDisplay()
    try:
        report = build_demo(store, out_dir, parameters, progress=progress)
    except (LoadError, StoreBusyError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        progress.close()
    create_demo_users(store)
    click.echo(
        f"Demo data (scale {parameters.scale:g}, seed {parameters.seed}, as of {parameters.as_of}) written to {out_dir}"
    )
    click.echo(f"and loaded into {store.path}.\n")
    click.echo(report.to_text())
    if report.rejects:
        planted = len(report.rejects)
        click.echo(f"\nThe {planted} rejected rows were planted on purpose, to show how a load reports them.")
    click.echo("\nSign in to the dashboard as admin / admin-demo, editor / editor-demo or viewer / viewer-demo.")


def _holds_loaded_data(store: Store) -> bool:
    if not store.exists():
        return False
    con = store.connect()
    try:
        [(loads,)] = con.execute("select count(*) from wh.loads").fetchall()
    finally:
        con.close()
    return loads > 0
