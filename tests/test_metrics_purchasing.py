"""Purchasing (metrics.md "Purchasing"): overdue PO lines, PO lines due soon, supplier OTD.

A = 2026-03-10: overdue = promised before A; due soon = promised in [A, A+3] = [03-10, 03-13].
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import d
from test_metrics_support import A, customer, order_line, po_line, reader, seed
from warehouse import metrics


@pytest.mark.parametrize(
    "promised,received,status,overdue,due_soon",
    [
        ("2026-03-09", "0", "open", True, False),  # 1 day overdue
        ("2026-03-10", "0", "open", False, True),  # A: due today
        ("2026-03-13", "0", "open", False, True),  # A+3: still due soon
        ("2026-03-14", "0", "open", False, False),  # A+4: neither
        ("2026-03-01", "100", "open", False, False),  # fully received
        ("2026-03-01", "120", "open", False, False),  # over-received
        ("2026-03-01", "99.5", "open", True, False),  # 0.5 m still open
        ("2026-03-01", "0", "closed", False, False),  # closed short: nothing to chase
        ("2026-03-01", "0", "cancelled", False, False),  # cancelled: counts nowhere
    ],
)
def test_overdue_and_due_soon_boundaries(store, promised, received, status, overdue, due_soon):
    seed(store, purchase_orders=[po_line("PO-1", d(promised), received_qty=Decimal(received), status=status)])
    con = reader(store)
    assert metrics.overdue_po_lines(con, as_of=A).height == int(overdue)
    assert metrics.po_lines_due_soon(con, as_of=A).height == int(due_soon)
    # the counts and the chase list read only the open lines: the same answer
    headlines = metrics.kpi_headlines(con, A)
    assert (headlines["overdue_po_lines"], headlines["po_lines_due_soon"]) == (int(overdue), int(due_soon))
    chased = metrics.chase_today(con, A).filter(kind="po_line")["reason_code"].to_list()
    assert chased == ["po_overdue"] * overdue + ["po_due_soon"] * due_soon


def test_overdue_po_line_columns(store):
    seed(
        store,
        purchase_orders=[
            po_line("PO-9", d("2026-03-04"), received_qty=Decimal("40.25"), received_date=d("2026-03-02")),
            po_line("PO-10", d("2026-03-09"), po_line=2),
            po_line("PO-10", d("2026-03-09"), po_line=10),
        ],
    )
    rows = metrics.overdue_po_lines(reader(store), as_of=A)
    # sorted by po_no in code-point order, then po_line as a number
    assert rows.select("po_no", "po_line", "days_overdue", "open_qty").rows() == [
        ("PO-10", 2, 1, Decimal("100")),
        ("PO-10", 10, 1, Decimal("100")),
        ("PO-9", 1, 6, Decimal("59.75")),  # 100 - 40.25; A - 03-04 = 6 days
    ]


def test_po_lines_due_soon_columns(store):
    seed(store, purchase_orders=[po_line("PO-1", d("2026-03-12"))])
    assert metrics.po_lines_due_soon(reader(store), as_of=A).select("po_no", "days_until_promised").rows() == [
        ("PO-1", 2)
    ]


def test_supplier_otd(store):
    def received(po_no, promised, qty, on, **values):
        return po_line(po_no, d(promised), received_qty=Decimal(qty), received_date=d(on) if on else None, **values)

    seed(
        store,
        purchase_orders=[
            received("P1", "2026-03-01", "100", "2026-03-01", supplier="Stitch Ltd"),  # on time (= promised)
            received("P2", "2026-03-01", "100", "2026-03-02", supplier="Stitch Ltd"),  # a day late
            received("P3", "2026-03-05", "50", "2026-03-04", supplier="Stitch Ltd"),  # in time but short
            received("P4", "2026-03-10", "100", "2026-03-09", supplier="Stitch Ltd"),  # promised A: due, on time
            received("P5", "2026-03-11", "100", "2026-03-01", supplier="Stitch Ltd"),  # promised after A: not due
            received("P6", "2026-03-01", "100", "2026-03-01", supplier="Stitch Ltd", status="cancelled"),
            received("P7", "2026-03-02", "100", "2026-03-02", supplier="Stitch Ltd", status="closed"),  # counts
            received("P8", "2026-03-01", "0", None, supplier="Buttons & Co"),  # nothing received
            received("P9", "2026-03-20", "0", None, supplier="Zip Inc"),  # nothing due yet: not listed
        ],
    )
    rows = metrics.supplier_otd(reader(store), as_of=A).rows()
    # Stitch Ltd: due P1, P2, P3, P4, P7 = 5; on time P1, P4, P7 = 3 -> 0.6
    assert rows == [
        ("Buttons & Co", 1, 0, Decimal("0")),
        ("Stitch Ltd", 5, 3, Decimal("0.6")),
    ]


def test_po_lines_follow_their_sales_order_for_filters(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang"), customer("C02", merchandiser="Li")],
        orders=[
            order_line("SO-1", 1, customer_code="C01"),
            order_line("SO-1", 2, customer_code="C01", merchandiser="Li"),  # not the first line
            order_line("SO-2", 1, customer_code="C02"),
        ],
        purchase_orders=[
            po_line("PO-1", d("2026-03-01"), order_no="SO-1"),  # C01 / Wang (the order's first line)
            po_line("PO-2", d("2026-03-01"), order_no="SO-2"),  # C02 / Li
            po_line("PO-3", d("2026-03-01")),  # no sales order: only without filters
        ],
    )
    con = reader(store)

    def po_numbers(**filters) -> list[str]:
        return metrics.overdue_po_lines(con, as_of=A, **filters)["po_no"].to_list()

    assert po_numbers() == ["PO-1", "PO-2", "PO-3"]
    assert po_numbers(customer="C01") == ["PO-1"]
    assert po_numbers(merchandiser="Li") == ["PO-2"]
    assert po_numbers(merchandiser="Wang") == ["PO-1"]
    assert metrics.supplier_otd(con, as_of=A, customer="C02").select("due_lines").rows() == [(1,)]
