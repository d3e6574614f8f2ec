"""`gendan load DIR`: load a folder of contract files into the warehouse."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import click

from etl.loader import LoadError, load_folder
from etl.mapping import load_header_map
from gendan.commands.options import db_option, open_store
from warehouse.store import StoreBusyError

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

STAGE_LABELS = {"read": "Reading files", "check": "Checking rows", "write": "Writing rows"}
QUIET_BELOW_ROWS = 100_000  # without a terminal, smaller loads print no progress lines


class ProgressDisplay:
    """The loader's progress callback on stderr: a bar per stage on a terminal, else stage lines for big loads."""

    def __init__(self) -> None:
        self.interactive = sys.stderr.isatty()
        self.stage: str | None = None
        self.bars = ExitStack()
        self.bar: ProgressBar | None = None
        self.shown = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        label = STAGE_LABELS.get(stage, stage)
        if stage != self.stage:
            self.close()
            self.stage = stage
            if self.interactive and total:
                self.bar = self.bars.enter_context(click.progressbar(length=total, label=label, file=sys.stderr))
        if self.bar is not None:
            self.bar.update(done - self.shown)
            self.shown = done
        elif not self.interactive and stage != "read" and total >= QUIET_BELOW_ROWS:
            click.echo(f"{label}: {done:,} / {total:,}", err=True)

    def close(self) -> None:
        """Finish the current bar, if any."""
        self.bars.close()
        self.bar = None
        self.shown = 0


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@db_option
@click.option("--strict", is_flag=True, help="Fail, changing nothing, if any row would be rejected.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A readable report, or JSON.",
)
@click.option(
    "--map",
    "map_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help='TOML header map for files whose headers are not the contract\'s, e.g. [orders] "Order Id" = "order_no".',
)
def command(folder: Path, db: Path | None, strict: bool, output_format: str, map_file: Path | None) -> None:
    """Load FOLDER's <entity>.csv / <entity>.xlsx files: an upsert by key, all or nothing.

    Headers may be the contract's English names or Chinese aliases; CSV may be
    UTF-8 or GBK. A bad row is rejected (listed here and kept in the rejects
    table) while the good rows load, and the command still exits 0. With --strict
    any reject fails the load and nothing changes. A file that cannot be read
    fails the whole load, changing nothing.

    \b
    Example:
        gendan load ./exports
        gendan load ./exports --map erp-headers.toml --format json
    """
    store, _ = open_store(db)
    progress = ProgressDisplay()
    try:
        header_map = load_header_map(map_file) if map_file else None
        report = load_folder(store, folder, strict=strict, header_map=header_map, progress=progress)
    except (LoadError, StoreBusyError) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:  # an unwritable --db, an unreadable file: say which, without a traceback
        raise click.ClickException(f"{error.strerror}: {error.filename}") from None
    finally:
        progress.close()
    click.echo(report.to_json() if output_format == "json" else report.to_text())
