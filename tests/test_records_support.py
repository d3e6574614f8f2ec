"""A small factory in the warehouse, and helpers the records, forms and concurrency tests share."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb

from conftest import d, insert_rows
from gendan import auth
from gendan.settings import Settings
from warehouse.store import Store

TODAY = dt.date.today()
PASSWORDS = auth.DEMO_PASSWORDS  # users admin / editor / viewer


def seed_factory(store: Store) -> None:
    """One customer, two order lines (SO-1/1 shipped on INV-1), two PO lines (PO-1/1 partly received)."""
    insert_rows(store, "customers", [{"customer_code": "C1", "customer_name": "Alpine Outfitters", "payment_terms_days": 30}])
    line = {"customer_code": "C1", "order_date": d("2026-09-01"), "style_no": "SKI-01", "unit_price": Decimal("10"),
            "currency": "USD", "priority": "normal", "status": "open"}  # fmt: skip
    insert_rows(
        store,
        "orders",
        [
            {**line, "order_no": "SO-1", "line_no": 1, "quantity": 1000, "due_date": d("2026-12-01")},
            {**line, "order_no": "SO-1", "line_no": 2, "quantity": 500, "due_date": d("2026-12-15")},
        ],
    )
    po = {"supplier": "Ningbo Fabrics", "material": "shell fabric", "order_no": "SO-1", "order_date": d("2026-09-05"),
          "promised_date": d("2026-10-20"), "unit": "m", "status": "open"}  # fmt: skip
    insert_rows(
        store,
        "purchase_orders",
        [
            {**po, "po_no": "PO-1", "po_line": 1, "quantity": Decimal("500"), "received_qty": Decimal("100"),
             "received_date": d("2026-10-10")},
            {**po, "po_no": "PO-1", "po_line": 2, "quantity": Decimal("300"), "received_qty": Decimal("0")},
        ],
    )  # fmt: skip
    insert_rows(
        store,
        "shipments",
        [{"shipment_no": "SH-1", "order_no": "SO-1", "line_no": 1, "ship_date": d("2026-10-25"), "shipped_qty": 200,
          "invoice_no": "INV-1"}],
    )  # fmt: skip


def build_factory(folder: Path) -> Store:
    """A store with the seeded factory and one user per role (admin, editor, viewer)."""
    store = Store(folder / "factory.duckdb", Settings(db=folder / "factory.duckdb"))
    seed_factory(store)
    auth.create_demo_users(store)
    return store


def clone(template: Store, folder: Path) -> Store:
    """A copy of both files of a store, so each test starts from the same state without rebuilding it."""
    path = folder / template.path.name
    shutil.copyfile(template.path, path)
    shutil.copyfile(template.app.path, folder / template.app.path.name)
    return Store(path, Settings(db=path))


def reader(store: Store) -> duckdb.DuckDBPyConnection:
    return store.connect()


def app_counts(store: Store) -> dict[str, int]:
    """Rows of every app table, to show that a refused operation wrote nothing."""
    con = reader(store)
    tables = ("users", "follow_up_notes", "po_receipts", "shipments", "payments", "production_daily",
              "order_line_overrides", "audit_log")  # fmt: skip
    return {table: con.execute(f"select count(*) from app.{table}").fetchone()[0] for table in tables}
