"""Fixtures that build real DuckDB stores in tmp_path (never a mock)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from gendan.settings import Settings
from warehouse.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_DATA = SHARED / "data" / "real"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty, migrated store in a temporary folder."""
    created = Store(tmp_path / "test.duckdb", Settings(db=tmp_path / "test.duckdb"))
    created.warehouse.ensure_current()
    created.app.ensure_current()
    return created


def insert_rows(store: Store, table: str, rows: Iterable[dict], load_id: int = 1) -> None:
    """Write rows straight into a raw warehouse table (bypassing the loader), for metric tests.

    Missing columns are null; `load_id` defaults to 1.
    """
    rows = [{"load_id": load_id, **row} for row in rows]
    if not rows:
        return
    frame = pl.DataFrame(rows, infer_schema_length=None)  # noqa: F841 - read by DuckDB below
    with store.write() as con:
        columns = [name for name in frame.columns]
        column_list = ", ".join(f'"{name}"' for name in columns)
        con.execute(f"insert into {table} ({column_list}) select {column_list} from frame")


def d(text: str) -> dt.date:
    """A date from YYYY-MM-DD, to keep hand-written fixtures short."""
    return dt.date.fromisoformat(text)


def money(text: str) -> Decimal:
    return Decimal(text)


# --- dashboard pages ---------------------------------------------------------------

DEMO_AS_OF = dt.date(2026, 11, 20)  # a Friday: the weekly pages have a half-finished week


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Store:
    """A store loaded with the demo data (scale 0.5, fixed seed and as-of), built once per run."""
    from gendan.demo import DemoParameters, build_demo

    folder = tmp_path_factory.mktemp("demo")
    built = Store(folder / "demo.duckdb", Settings(db=folder / "demo.duckdb"))
    build_demo(built, folder / "files", DemoParameters(as_of=DEMO_AS_OF, scale=0.5, seed=7))
    return built


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Streamlit caches outlive an AppTest; each test starts from nothing."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def page_app(store: Store, page: str, *, as_of: dt.date = DEMO_AS_OF, lang: str = "en", **state):
    """An AppTest of the dashboard on `store`, switched to `page` (e.g. "pages/overview.py"), run.

    Extra keyword arguments are put into session_state first (e.g. merchandiser="王丽").
    """
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["GENDAN_DB"] = str(store.path)
    app = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "dashboard" / "app.py"), default_timeout=60)
    app.session_state["as_of"] = as_of
    app.session_state["lang"] = lang
    for key, value in state.items():
        app.session_state[key] = value
    app.switch_page(page)
    return app.run()


def kpi_json(store: Store, as_of: dt.date = DEMO_AS_OF, *options: str) -> dict:
    """What `gendan kpi --format json` prints for this store: the numbers every page must show."""
    import json

    from click.testing import CliRunner

    from gendan.cli import main

    result = CliRunner().invoke(
        main, ["kpi", "--db", str(store.path), "--as-of", as_of.isoformat(), "--format", "json", *options]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)
