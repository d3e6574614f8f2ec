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
