"""Row builders shared by the metric tests (this module holds no tests).

Each builder returns one raw-table row with plain defaults, so a test spells out only
the values its arithmetic depends on. `A` is the as-of date the tests use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb

from conftest import d, insert_rows
from gendan.settings import Settings
from warehouse.store import Store

A = d("2026-03-10")  # a Tuesday; the 7-day window is [2026-03-04, 2026-03-10]


def days(n: int) -> dt.date:
    """A + n days."""
    return A + dt.timedelta(days=n)


def customer(code: str = "C01", **values) -> dict:
    return {
        "customer_code": code,
        "customer_name": f"Customer {code}",
        "payment_terms_days": 30,
        "merchandiser": "Wang",
        **values,
    }


def order_line(order_no: str, line_no: int = 1, **values) -> dict:
    return {
        "order_no": order_no,
        "line_no": line_no,
        "customer_code": "C01",
        "order_date": d("2026-01-05"),
        "style_no": "ST-1",
        "quantity": 100,
        "unit_price": Decimal("1.0000"),
        "due_date": d("2026-03-31"),
        "priority": "normal",
        "status": "open",
        **values,
    }


def shipment(shipment_no: str, order_no: str, ship_date: dt.date, shipped_qty: int, **values) -> dict:
    return {
        "shipment_no": shipment_no,
        "order_no": order_no,
        "line_no": 1,
        "ship_date": ship_date,
        "shipped_qty": shipped_qty,
        "invoice_no": f"INV-{shipment_no}",
        **values,
    }


def report(report_date: dt.date, order_no: str, output_qty: int, process: str = "packing", **values) -> dict:
    return {
        "report_date": report_date,
        "order_no": order_no,
        "line_no": 1,
        "workshop": "Sewing line 1",
        "process": process,
        "output_qty": output_qty,
        "defect_qty": 0,
        **values,
    }


def po_line(po_no: str, promised_date: dt.date, **values) -> dict:
    return {
        "po_no": po_no,
        "po_line": 1,
        "supplier": "Fabric Co",
        "material": "Cotton twill",
        "order_date": d("2026-01-10"),
        "promised_date": promised_date,
        "quantity": Decimal("100"),
        "unit": "m",
        "received_qty": Decimal("0"),
        "status": "open",
        **values,
    }


def payment(payment_no: str, invoice_no: str, payment_date: dt.date, amount: str) -> dict:
    return {"payment_no": payment_no, "invoice_no": invoice_no, "payment_date": payment_date, "amount": Decimal(amount)}


def seed(store: Store, **tables: list[dict]) -> None:
    """Insert rows into several raw tables: ``seed(store, customers=[...], orders=[...])``."""
    for table, rows in tables.items():
        insert_rows(store, table, rows)


def add_note(store: Store, subject_kind: str, subject_ref: str, note: str, next_chase_date, status="open") -> int:
    """A follow-up note in the app file, as the app would write it; returns its id."""
    with store.write_app() as con:
        return con.execute(
            """
            insert into follow_up_notes
                (subject_kind, subject_ref, note, next_chase_date, status, created_by, created_at)
            values ($kind, $ref, $note, $next_chase_date, $status, 'tester', timestamp '2026-03-01 09:00:00')
            returning note_id
            """,
            {"kind": subject_kind, "ref": subject_ref, "note": note, "next_chase_date": next_chase_date,
             "status": status},
        ).fetchall()[0][0]


def reader(store: Store, **settings) -> duckdb.DuckDBPyConnection:
    """A reader on the store, with settings (base_currency, ship_tolerance) overridden."""
    return Store(store.path, Settings(db=store.path, **settings)).connect()


def kpi_fixture(store: Store) -> None:
    """A little of everything, for the report and the command line (values worked out in
    tests/test_metrics_report.py)."""
    seed(
        store,
        fx_rates=[{"currency": "EUR", "rate_to_base": Decimal("1.1")}],
        customers=[customer("C01", merchandiser="Wang"), customer("C02", merchandiser="Li", payment_terms_days=60)],
        orders=[
            order_line("SO-1", 1, quantity=1000, unit_price=Decimal("2.5"), due_date=d("2026-02-27"),
                       priority="rush"),
            order_line("SO-1", 2, quantity=500, unit_price=Decimal("3"), due_date=d("2026-03-15")),
            order_line("SO-2", 1, customer_code="C02", order_date=d("2026-02-01"), quantity=1200,
                       unit_price=Decimal("4"), currency="EUR", due_date=d("2026-03-05")),
        ],
        production_daily=[report(d("2026-03-08"), "SO-1", 40, line_no=2, planned_qty=100, defect_qty=2)],
        shipments=[shipment("SH1", "SO-2", d("2026-03-04"), 1200, invoice_no="INV-1")],
        purchase_orders=[po_line("PO-1", d("2026-03-01"), order_no="SO-1", quantity=Decimal("1200.5"),
                                 received_qty=Decimal("200"), received_date=d("2026-02-20"))],
    )
    add_note(store, "customer", "C02", "ask for the forecast", d("2026-03-08"))
