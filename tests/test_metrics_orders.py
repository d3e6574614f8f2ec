"""Orders (metrics.md "Orders"): shipped qty, complete date, on-time delivery, late lines.

A = 2026-03-10 throughout; expected values are worked out by hand in each case.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import d
from test_metrics_support import A, customer, order_line, reader, seed, shipment
from warehouse import metrics


def line_status(store, **settings) -> dict:
    """The single order line's status and completion, in one row."""
    con = reader(store, **settings)
    (status,) = metrics.order_line_status(con, as_of=A).to_dicts()
    (completion,) = metrics.order_line_completion(con, as_of=A).to_dicts()
    return {**status, **completion}


@pytest.mark.parametrize(
    "quantity,shipments,tolerance,shipped_qty,complete_date",
    [
        # nothing shipped: open
        (100, [], "0", 0, None),
        # one full shipment
        (100, [("2026-03-01", 100)], "0", 100, "2026-03-01"),
        # partial shipments: running total 60, then 60 + 40 = 100 on 03-05
        (100, [("2026-03-01", 60), ("2026-03-05", 40)], "0", 100, "2026-03-05"),
        # two rows on one day add up on that day: 50 + 50 on 03-02
        (100, [("2026-03-02", 50), ("2026-03-02", 50)], "0", 100, "2026-03-02"),
        # the rest shipped after A is ignored: 60 by A, still open
        (100, [("2026-03-01", 60), ("2026-03-11", 40)], "0", 60, None),
        # over-shipment completes on its day
        (100, [("2026-03-03", 120)], "0", 120, "2026-03-03"),
        # tolerance 3 %: complete at 100 x 0.97 = 97 ...
        (100, [("2026-03-02", 97)], "0.03", 97, "2026-03-02"),
        # ... but 96 < 97 is still open
        (100, [("2026-03-02", 96)], "0.03", 96, None),
        # 1000 x 0.97 = 970: 969 open, then + 1 on 03-06 reaches 970
        (1000, [("2026-03-02", 969), ("2026-03-06", 1)], "0.03", 970, "2026-03-06"),
        # tolerance 0.5 %: 1000 x 0.995 = 995 exactly, reached on 03-04
        (1000, [("2026-03-04", 995)], "0.005", 995, "2026-03-04"),
    ],
)
def test_shipped_qty_and_complete_date(store, quantity, shipments, tolerance, shipped_qty, complete_date):
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1", quantity=quantity)],
        shipments=[shipment(f"SH{i}", "SO-1", d(day), qty) for i, (day, qty) in enumerate(shipments)],
    )
    status = line_status(store, ship_tolerance=Decimal(tolerance))
    assert status["shipped_qty"] == shipped_qty
    assert status["complete_date"] == (d(complete_date) if complete_date else None)
    assert status["is_open"] is (complete_date is None)
    assert status["open_qty"] == quantity - shipped_qty


def test_defaults_from_the_customer_and_the_settings(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang")],
        orders=[
            order_line("SO-1", 1),  # no currency, no merchandiser: the defaults
            order_line("SO-1", 2, currency="EUR", merchandiser="Li"),  # given: kept
        ],
    )
    rows = metrics.order_line_status(reader(store, base_currency="CNY"), as_of=A).sort("line_no").to_dicts()
    assert [(row["currency"], row["merchandiser"]) for row in rows] == [("CNY", "Wang"), ("EUR", "Li")]


def otd_fixture(store) -> None:
    seed(
        store,
        customers=[customer()],
        orders=[
            order_line("L1", due_date=d("2026-03-01")),  # complete 02-28: on time
            order_line("L2", due_date=d("2026-03-01")),  # complete 03-01 = due: on time
            order_line("L3", due_date=d("2026-03-01")),  # complete 03-02: late
            order_line("L4", due_date=d("2026-03-05")),  # never shipped: not on time
            order_line("L5", due_date=d("2026-03-05")),  # shipped 03-11, after A: not on time at A
            order_line("L6", due_date=d("2026-03-10")),  # due = A, complete on A: on time
            order_line("L7", due_date=d("2026-03-11")),  # due after A: not in the population
            order_line("L8", due_date=d("2026-03-01"), status="cancelled"),  # cancelled: counts nowhere
        ],
        shipments=[
            shipment("S1", "L1", d("2026-02-28"), 100),
            shipment("S2a", "L2", d("2026-02-20"), 40),
            shipment("S2b", "L2", d("2026-03-01"), 60),
            shipment("S3", "L3", d("2026-03-02"), 100),
            shipment("S5", "L5", d("2026-03-11"), 100),
            shipment("S6", "L6", d("2026-03-10"), 100),
            shipment("S7", "L7", d("2026-03-09"), 100),
            shipment("S8", "L8", d("2026-02-27"), 100),
        ],
    )


@pytest.mark.parametrize(
    "date_from,date_to,due_lines,on_time_lines,rate",
    [
        # L1..L6 due by A; on time L1, L2, L6: 3 / 6
        (None, None, 6, 3, Decimal("0.5")),
        # due 03-02..03-10: L4, L5, L6; on time L6: 1/3 = 0.33333 -> 0.3333
        ("2026-03-02", "2026-03-10", 3, 1, Decimal("0.3333")),
        # due 03-01 only: L1, L2, L3; on time L1, L2: 2/3 = 0.66666 -> 0.6667 (half-up)
        ("2026-03-01", "2026-03-01", 3, 2, Decimal("0.6667")),
        # a range reaching past A still stops at A: L7 (due 03-11) stays out
        ("2026-03-06", "2026-03-31", 1, 1, Decimal("1")),
        # only a start: due 03-05..A: L4, L5, L6
        ("2026-03-05", None, 3, 1, Decimal("0.3333")),
        # only an end: due by 03-01: L1, L2, L3
        (None, "2026-03-01", 3, 2, Decimal("0.6667")),
        # nothing due in the range: rate null
        ("2026-01-01", "2026-01-31", 0, 0, None),
    ],
)
def test_on_time_delivery(store, date_from, date_to, due_lines, on_time_lines, rate):
    otd_fixture(store)
    result = metrics.on_time_delivery(
        reader(store), as_of=A, date_from=date_from and d(date_from), date_to=date_to and d(date_to)
    ).to_dicts()
    assert result == [{"due_lines": due_lines, "on_time_lines": on_time_lines, "rate": rate}]


def test_on_time_delivery_before_anything_is_due_is_null(store):
    otd_fixture(store)
    result = metrics.on_time_delivery(reader(store), as_of=d("2026-02-01")).row(0, named=True)
    assert result == {"due_lines": 0, "on_time_lines": 0, "rate": None}


@pytest.mark.parametrize(
    "part,whole,fraction",
    [
        (1, 3, "0.3333"),  # 0.33333...
        (2, 3, "0.6667"),  # 0.66666... rounds up
        (1, 32, "0.0313"),  # 0.03125: half-up (half-to-even would give 0.0312)
        (3, 32, "0.0938"),  # 0.09375: half-up
        (1, 64, "0.0156"),  # 0.015625: below the half
        (7, 16, "0.4375"),  # exact
        (0, 5, "0"),
        (5, 5, "1"),
        (3, 2, "1.5"),  # plan attainment may exceed 1
        (1, 0, None),  # nothing to divide by
    ],
)
def test_rate_fraction_rounds_half_up_in_integers(store, part, whole, fraction):
    con = reader(store)
    value = con.execute("select rate_fraction($part, $whole)", {"part": part, "whole": whole}).fetchall()[0][0]
    assert value == (Decimal(fraction) if fraction else None)


def test_late_order_lines(store):
    seed(
        store,
        customers=[customer()],
        orders=[
            # 500 due 02-26, 160 shipped by A: 12 days late, 340 open
            order_line("SO-9", 1, quantity=500, due_date=d("2026-02-26"), priority="rush"),
            # due = A: not late yet
            order_line("SO-9", 2, due_date=A),
            # complete before A: not late
            order_line("SO-9", 3, due_date=d("2026-03-01")),
            # cancelled, nothing shipped: counts nowhere
            order_line("SO-9", 4, due_date=d("2026-03-01"), status="cancelled"),
            # shipped in full only after A: late at A by 1 day, all 100 open
            order_line("SO-10", 10, due_date=d("2026-03-09")),
            order_line("SO-10", 2, due_date=d("2026-03-08")),
        ],
        shipments=[
            shipment("S1", "SO-9", d("2026-02-27"), 100),
            shipment("S2", "SO-9", d("2026-03-09"), 60),
            shipment("S3", "SO-9", d("2026-03-01"), 100, line_no=3),
            shipment("S4", "SO-10", d("2026-03-12"), 100, line_no=10),
        ],
    )
    late = metrics.late_order_lines(reader(store), as_of=A)
    # sorted by order_no in code-point order ("SO-10" < "SO-9"), then line_no as a number
    assert late.select("order_no", "line_no", "due_date", "days_late", "open_qty", "is_rush").rows() == [
        ("SO-10", 2, d("2026-03-08"), 2, 100, False),
        ("SO-10", 10, d("2026-03-09"), 1, 100, False),
        ("SO-9", 1, d("2026-02-26"), 12, 340, True),
    ]


def test_order_lines_after_as_of_are_ignored(store):
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1", order_date=d("2026-03-11"), due_date=d("2026-03-12"))],
    )
    assert metrics.order_line_status(reader(store), as_of=A).is_empty()
    assert metrics.order_line_status(reader(store), as_of=d("2026-03-11")).height == 1


def filter_fixture(store) -> None:
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang"), customer("C02", merchandiser="Li")],
        orders=[
            order_line("SO-1", 1, customer_code="C01", due_date=d("2026-03-01")),  # Wang by default
            order_line("SO-1", 2, customer_code="C01", due_date=d("2026-03-01"), merchandiser="Li"),
            order_line("SO-2", 1, customer_code="C02", due_date=d("2026-03-01")),  # Li by default
        ],
    )


@pytest.mark.parametrize(
    "customer_code,merchandiser,refs",
    [
        (None, None, ["SO-1/1", "SO-1/2", "SO-2/1"]),
        ("C01", None, ["SO-1/1", "SO-1/2"]),
        (None, "Li", ["SO-1/2", "SO-2/1"]),  # the line's own merchandiser wins over the customer's
        ("C01", "Li", ["SO-1/2"]),
        ("C01", "Nobody", []),
        ("  ", "", ["SO-1/1", "SO-1/2", "SO-2/1"]),  # blank filters mean all
    ],
)
def test_filters_choose_order_lines(store, customer_code, merchandiser, refs):
    filter_fixture(store)
    con = reader(store)
    late = metrics.late_order_lines(con, as_of=A, customer=customer_code, merchandiser=merchandiser)
    otd = metrics.on_time_delivery(con, as_of=A, customer=customer_code, merchandiser=merchandiser)
    assert late["ref"].to_list() == refs
    assert otd["due_lines"].to_list() == [len(refs)]


def test_reversed_date_range_is_refused(store):
    with pytest.raises(ValueError, match="starts"):
        metrics.on_time_delivery(reader(store), as_of=A, date_from=d("2026-03-05"), date_to=d("2026-03-01"))
