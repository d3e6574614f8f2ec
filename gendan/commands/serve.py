"""`gendan serve`: the dashboard over a store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from gendan.commands.options import db_option, open_store

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@click.command()
@db_option
@click.option("--port", type=int, default=8501, show_default=True, help="Port to listen on.")
@click.option("--address", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for the LAN).")
def command(db: Path | None, port: int, address: str) -> None:
    """Serve the dashboard over a store (created empty if it does not exist).

    \b
    Example:
        gendan serve --db factory.duckdb --port 8501
        then open http://127.0.0.1:8501
    """
    store, settings = open_store(db)
    store.warehouse.ensure_current()
    store.app.ensure_current()
    environment = {**os.environ, "GENDAN_DB": str(store.path)}
    arguments = [
        sys.executable, "-m", "dashboard.launch", "run", str(APP),
        "--server.address", address,
        "--server.port", str(port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--theme.base", "light",
        "--client.toolbarMode", "minimal",
    ]
    click.echo(f"gendan: serving {store.path} on http://{address}:{port}", err=True)
    raise SystemExit(subprocess.call(arguments, env=environment))
