"""The warehouse's fact tables (warehouse/facts.py): rebuilt by every write, never stale, never
holding a macro, and added to a file written before they existed.

What they hold is checked through the metrics in the other test files; here, that
the tables follow the raw rows, and that readers see the app's records over them.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from conftest import d
from gendan.auth import create_demo_users
from gendan.records import record_shipment
from gendan.settings import Settings
from test_metrics_support import A, customer, order_line, payment, po_line, reader, report, seed, shipment
from warehouse import metrics
from warehouse.sql_files import sql_text
from warehouse.store import Store


def _fact_row(store: Store, table: str, key: str, value: str) -> dict:
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        frame = con.sql(f"select * from {table} where {key} = $value", params={"value": value}).pl()
    finally:
        con.close()
    return frame.row(0, named=True)


def test_every_write_rebuilds_the_facts_from_the_raw_rows(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang")],
        orders=[order_line("SO-1", quantity=100)],
        shipments=[shipment("SH1", "SO-1", d("2026-03-01"), 30)],
        production_daily=[report(d("2026-03-02"), "SO-1", 100, process="packing")],
    )
    line = _fact_row(store, "fact_order_lines", "order_no", "SO-1")
    # 30 shipped by the due date (03-31); packing reached 100 on 03-02; the customer's merchandiser
    assert (line["shipped_total"], line["shipped_by_due_date"], line["packed_total"]) == (30, 30, 100)
    assert line["settled_date"] is None  # 30 of 100 shipped
    assert (line["first_report_date"], line["packed_complete_date"], line["merchandiser"]) == (
        d("2026-03-02"), d("2026-03-02"), "Wang"
    )
    seed(store, shipments=[shipment("SH2", "SO-1", d("2026-04-02"), 70, invoice_no="INV-SH1")])
    line = _fact_row(store, "fact_order_lines", "order_no", "SO-1")
    # the second shipment is after the due date: in the total, not in "by the due date";
    # with it the shipments reach the quantity: settled that day
    assert (line["shipped_total"], line["shipped_by_due_date"], line["settled_date"]) == (100, 30, d("2026-04-02"))
    invoice = _fact_row(store, "fact_invoices", "invoice_no", "INV-SH1")
    assert (invoice["first_ship_date"], invoice["invoice_date"], invoice["amount"]) == (
        d("2026-03-01"), d("2026-04-02"), 100
    )


def test_each_sales_order_is_owned_by_its_lowest_line(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang"), customer("C02", merchandiser="Li")],
        # line 1 names no merchandiser (the customer's, Wang); line 2 is another customer's
        orders=[
            order_line("SO-1", 2, customer_code="C02", merchandiser="Zhao"),
            order_line("SO-1", 1),
            order_line("SO-2"),  # no PO line names it: not kept
        ],
        purchase_orders=[po_line("PO-1", d("2026-03-01"), order_no="SO-1")],
    )
    owner = _fact_row(store, "fact_order_owners", "order_no", "SO-1")
    assert (owner["customer_code"], owner["merchandiser"]) == ("C01", "Wang")
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        assert con.execute("select order_no from fact_order_owners").fetchall() == [("SO-1",)]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("as_of", "outstanding"),
    [
        (d("2026-03-01"), "100"),  # shipped, nothing paid
        (d("2026-03-04"), "40"),  # 60 paid on 03-02
        (d("2026-03-05"), None),  # the other 40 on 03-05: paid in full, not unpaid
        (d("2026-03-20"), None),
    ],
)
def test_an_invoice_is_settled_when_its_payments_cover_it(store, as_of, outstanding):
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line("SO-1", quantity=100)],  # unit price 1
        shipments=[shipment("SH1", "SO-1", d("2026-03-01"), 100, invoice_no="INV-1")],
        payments=[payment("P1", "INV-1", d("2026-03-02"), "60"), payment("P2", "INV-1", d("2026-03-05"), "40")],
    )
    assert _fact_row(store, "fact_invoices", "invoice_no", "INV-1")["settled_date"] == d("2026-03-05")
    unpaid = metrics.unpaid_invoices(reader(store), as_of=as_of)
    assert unpaid["outstanding"].to_list() == ([Decimal(outstanding)] if outstanding else [])


@pytest.mark.parametrize(
    "rows,first",
    [
        # (order_no, line_no, shipment_no, merchandiser of the line): the first by order, line, shipment
        ([("SO-2", 1, "SH1", "Li"), ("SO-1", 1, "SH2", "Wang")], "Wang"),  # SO-1 before SO-2
        ([("SO-1", 10, "SH1", "Li"), ("SO-1", 2, "SH2", "Wang")], "Wang"),  # line 2 before 10: numbers
        ([("SO-1", 1, "SH2", "Li"), ("SO-1", 1, "SH10", "Wang")], "Wang"),  # shipment SH10 before SH2: text
    ],
)
def test_an_invoice_belongs_to_its_first_row(store, rows, first):
    orders = {(order_no, line_no): merchandiser for order_no, line_no, _, merchandiser in rows}
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line(order_no, line_no, merchandiser=m) for (order_no, line_no), m in orders.items()],
        shipments=[
            shipment(shipment_no, order_no, d("2026-03-01"), 1, line_no=line_no, invoice_no="INV-1")
            for order_no, line_no, shipment_no, _ in rows
        ],
    )
    assert _fact_row(store, "fact_invoices", "invoice_no", "INV-1")["merchandiser"] == first


def test_lines_and_invoices_not_settled_are_stored_first(store):
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line(f"SO-{n}", quantity=10) for n in range(1, 5)],
        shipments=[
            shipment("SH1", "SO-1", d("2026-03-03"), 10, invoice_no="INV-1"),  # settled 03-03
            shipment("SH2", "SO-2", d("2026-03-01"), 10, invoice_no="INV-2"),  # settled 03-01
            shipment("SH3", "SO-3", d("2026-03-02"), 4, invoice_no="INV-3"),  # 4 of 10: not settled
        ],
        payments=[payment("P1", "INV-1", d("2026-03-04"), "10"), payment("P2", "INV-2", d("2026-03-05"), "10")],
    )
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        lines = con.execute("select order_no from fact_order_lines order by rowid").fetchall()
        invoices = con.execute("select invoice_no from fact_invoices order by rowid").fetchall()
    finally:
        con.close()
    # SO-4 shipped nothing: SO-3 and SO-4 in either order, then SO-2 (03-01) and SO-1 (03-03)
    assert sorted(lines[:2]) == [("SO-3",), ("SO-4",)] and lines[2:] == [("SO-2",), ("SO-1",)]
    assert invoices == [("INV-3",), ("INV-1",), ("INV-2",)]  # INV-1 paid 03-04, INV-2 03-05


def test_the_warehouse_file_stores_no_macro(store):
    seed(store, customers=[customer("C01")], orders=[order_line("SO-1")])
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        macros = con.execute(
            "select function_name from duckdb_functions() where database_name = current_database() "
            "and function_type in ('macro', 'table_macro')"
        ).fetchall()
    finally:
        con.close()
    assert macros == []


def test_a_file_from_before_the_facts_gets_them_on_first_open(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute(sql_text("schema/001_raw_tables.sql"))
    con.execute("insert into meta values ('schema_version', '1')")
    con.execute(
        "insert into customers values ('C01', 'Customer C01', null, 30, null, null, 1);"
        "insert into orders values ('SO-1', 1, 'C01', date '2026-01-05', 'ST-1', null, 100, 1, null,"
        " date '2026-03-01', null, 'normal', 'open', 1)"
    )
    con.close()
    old = Store(path, Settings(db=path))
    # due 03-01, nothing shipped: late at A = 03-10
    assert metrics.late_order_lines(old.connect(), as_of=A)["days_late"].to_list() == [9]


def test_a_reader_sees_the_app_records_over_the_facts(store):
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line("SO-1", quantity=100, due_date=d("2026-03-05")), order_line("SO-2", quantity=50)],
    )
    assert metrics.late_order_lines(reader(store), as_of=A)["ref"].to_list() == ["SO-1/1"]
    create_demo_users(store)
    record_shipment(
        store,
        "editor",
        {"shipment_no": "APP-1", "order_no": "SO-1", "line_no": 1, "ship_date": d("2026-03-04"),
         "shipped_qty": 100, "invoice_no": "INV-APP"},
    )
    con = reader(store)
    # shipped in full by its due date in the app: no longer late, and on time
    assert metrics.late_order_lines(con, as_of=A).is_empty()
    assert metrics.on_time_delivery(con, as_of=A).row(0, named=True)["on_time_lines"] == 1
    assert metrics.unpaid_invoices(con, as_of=A)["invoice_no"].to_list() == ["INV-APP"]
