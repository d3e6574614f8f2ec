"""Production (metrics.md "Production"): packed and remaining qty, run rate, projected
finish, stalled, at-risk lines, plan attainment and defect rate.

A = 2026-03-10; the run-rate window is [A-6, A] = [2026-03-04, 2026-03-10].
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import d
from test_metrics_support import A, customer, order_line, reader, report, seed, shipment
from warehouse import metrics


@pytest.mark.parametrize(
    "quantity,reports,packed,remaining,window,started,projected,stalled",
    [
        # 03-03 is outside the window, 03-04 and 03-10 (A) inside:
        # packed 300 + 35 + 35 = 370, remaining 630, window 70;
        # A + ceil(630 x 7 / 70) = A + 63 days = 2026-05-12
        (1000, [("2026-03-03", 300), ("2026-03-04", 35), ("2026-03-10", 35)], 370, 630, 70, True,
         "2026-05-12", False),
        # remaining 100, window 30: ceil(700 / 30) = ceil(23.33) = 24 -> 2026-04-03
        (130, [("2026-03-08", 30)], 30, 100, 30, True, "2026-04-03", False),
        # remaining 90, window 30: 630 / 30 = 21 exactly, no day added -> 2026-03-31
        (120, [("2026-03-08", 30)], 30, 90, 30, True, "2026-03-31", False),
        # remaining 1, window 7000: ceil(7 / 7000) = 1 day -> 2026-03-11
        (7001, [("2026-03-09", 7000)], 7000, 1, 7000, True, "2026-03-11", False),
        # packed 60, then 100 on 03-05 (reaches 100), 110 on 03-06: finished on 03-05
        (100, [("2026-03-01", 60), ("2026-03-05", 40), ("2026-03-06", 10)], 110, 0, 50, True,
         "2026-03-05", False),
        # packing only before the window: run rate 0 with 50 to go -> stalled
        (100, [("2026-03-03", 50)], 50, 50, 0, True, None, True),
        # packing after A is ignored: not started
        (100, [("2026-03-11", 100)], 0, 100, 0, False, None, False),
    ],
)
def test_packing_progress_and_projected_finish(
    store, quantity, reports, packed, remaining, window, started, projected, stalled
):
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1", quantity=quantity, due_date=d("2026-06-30"))],
        production_daily=[report(d(day), "SO-1", qty, workshop=f"W{i}") for i, (day, qty) in enumerate(reports)],
    )
    row = metrics.order_line_status(reader(store), as_of=A).row(0, named=True)
    assert (row["packed_qty"], row["remaining_qty"], row["window_packed_qty"]) == (packed, remaining, window)
    assert row["is_started"] is started
    assert row["projected_finish"] == (d(projected) if projected else None)
    assert row["is_stalled"] is stalled


def test_any_process_starts_a_line_but_only_packing_counts_as_packed(store):
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1", quantity=100)],
        production_daily=[report(d("2026-03-09"), "SO-1", 100, process="cutting")],
    )
    row = metrics.order_line_status(reader(store), as_of=A).row(0, named=True)
    # started (a cutting report), nothing packed, nothing packed in the window: stalled
    assert (row["is_started"], row["packed_qty"], row["is_stalled"], row["projected_finish"]) == (True, 0, True, None)


def at_risk_fixture(store) -> None:
    seed(
        store,
        customers=[customer()],
        orders=[
            # stalled (packing only on A-7), due 03-20: at risk, stalled
            order_line("R-STALLED", quantity=100, due_date=d("2026-03-20")),
            # 30 packed in the window, 100 to go: projected 04-03 (see above)
            order_line("R-BEHIND", quantity=130, due_date=d("2026-04-02")),  # 04-03 > 04-02: behind
            order_line("R-ONTIME", quantity=130, due_date=d("2026-04-03")),  # 04-03 = due: fine
            # not started: at risk when due <= A+14 = 03-24
            order_line("R-NEW-14", due_date=d("2026-03-24")),
            order_line("R-NEW-15", due_date=d("2026-03-25")),
            # due before A: late, not at risk
            order_line("R-LATE", due_date=d("2026-03-09")),
            # due on A and stalled: at risk (due_date >= A)
            order_line("R-DUE-TODAY", quantity=100, due_date=A),
            # everything packed, not yet shipped: remaining 0, not at risk
            order_line("R-PACKED", quantity=100, due_date=d("2026-03-12")),
            # shipped complete although never packed: not open, not at risk
            order_line("R-SHIPPED", due_date=d("2026-03-12")),
            # cancelled: nowhere
            order_line("R-CANCELLED", due_date=d("2026-03-12"), status="cancelled"),
        ],
        production_daily=[
            report(d("2026-03-03"), "R-STALLED", 50),
            report(d("2026-03-08"), "R-BEHIND", 30),
            report(d("2026-03-08"), "R-ONTIME", 30),
            report(d("2026-03-03"), "R-DUE-TODAY", 10),
            report(d("2026-03-08"), "R-PACKED", 100),
        ],
        shipments=[shipment("S1", "R-SHIPPED", d("2026-03-09"), 100)],
    )


def test_at_risk_order_lines(store):
    at_risk_fixture(store)
    rows = metrics.at_risk_order_lines(reader(store), as_of=A)
    assert rows.select("order_no", "risk_reason", "projected_finish", "remaining_qty", "days_until_due").rows() == [
        ("R-BEHIND", "behind", d("2026-04-03"), 100, 23),
        ("R-DUE-TODAY", "stalled", None, 90, 0),
        ("R-NEW-14", "not_started", None, 100, 14),
        ("R-STALLED", "stalled", None, 50, 10),
    ]


def production_fixture(store) -> None:
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1"), order_line("SO-X", status="cancelled")],
        production_daily=[
            report(d("2026-03-04"), "SO-1", 90, process="sewing", planned_qty=100, defect_qty=10),
            report(d("2026-03-10"), "SO-1", 50, planned_qty=0, defect_qty=0),  # planned 0: no plan
            report(d("2026-03-08"), "SO-1", 40, process="cutting", defect_qty=5),  # planned missing
            report(d("2026-03-03"), "SO-1", 100, planned_qty=100, defect_qty=100),  # outside 7 days
            report(d("2026-03-11"), "SO-1", 0, planned_qty=100, defect_qty=50),  # after A: ignored
            report(d("2026-03-05"), "SO-X", 10, planned_qty=100, defect_qty=10),  # cancelled line
        ],
    )


@pytest.mark.parametrize(
    "date_from,date_to,plan_attainment,defect_rate",
    [
        # [A-6, A]: attainment 90 / 100 over rows with a plan > 0;
        # defects (10 + 0 + 5) / (90+10 + 50+0 + 40+5) = 15 / 195 = 0.076923 -> 0.0769
        (None, None, "0.9", "0.0769"),
        # [03-03, 03-20] clipped to A adds the 03-03 row:
        # attainment (90 + 100) / (100 + 100) = 0.95; defects 115 / 395 = 0.291139 -> 0.2911
        ("2026-03-03", "2026-03-20", "0.95", "0.2911"),
        # only rows without a plan (03-08, 03-10): attainment null; defects 5 / 95 = 0.052631 -> 0.0526
        ("2026-03-08", "2026-03-10", None, "0.0526"),
        # a period with no reports: both null (no zero division)
        ("2026-01-01", "2026-01-31", None, None),
        # only an end: everything up to 03-03 = the 03-03 row: 100 / 100; 100 / 200
        (None, "2026-03-03", "1", "0.5"),
    ],
)
def test_plan_attainment_and_defect_rate(store, date_from, date_to, plan_attainment, defect_rate):
    production_fixture(store)
    row = metrics.production_summary(
        reader(store), as_of=A, date_from=date_from and d(date_from), date_to=date_to and d(date_to)
    ).row(0, named=True)
    assert row["plan_attainment"] == (Decimal(plan_attainment) if plan_attainment else None)
    assert row["defect_rate"] == (Decimal(defect_rate) if defect_rate else None)


def test_production_period(store):
    con = reader(store)
    default = metrics.production_summary(con, as_of=A).row(0, named=True)
    clipped = metrics.production_summary(con, as_of=A, date_from=d("2026-03-01"), date_to=d("2026-03-31"))
    assert (default["period_from"], default["period_to"]) == (d("2026-03-04"), A)
    assert clipped.select("period_from", "period_to").row(0) == (d("2026-03-01"), A)


def test_plan_attainment_above_one_and_filters(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang"), customer("C02", merchandiser="Li")],
        orders=[order_line("SO-1", customer_code="C01"), order_line("SO-2", customer_code="C02")],
        production_daily=[
            report(d("2026-03-09"), "SO-1", 150, planned_qty=100),  # 1.5
            report(d("2026-03-09"), "SO-2", 50, planned_qty=100, defect_qty=50),  # 0.5
        ],
    )
    con = reader(store)
    summary = {
        filters: metrics.production_summary(con, as_of=A, **dict(filters)).select(
            "plan_attainment", "defect_rate"
        ).row(0)
        for filters in ((), (("customer", "C01"),), (("merchandiser", "Li"),))
    }
    assert summary == {
        (): (Decimal("1"), Decimal("0.2")),  # 200 / 200; 50 / 250
        (("customer", "C01"),): (Decimal("1.5"), Decimal("0")),  # 150 / 100; 0 / 150
        (("merchandiser", "Li"),): (Decimal("0.5"), Decimal("0.5")),  # 50 / 100; 50 / 100
    }


@pytest.mark.parametrize(
    "filters", [{}, {"customer": "C01"}, {"merchandiser": "Wang"}], ids=["everyone", "customer", "merchandiser"]
)
def test_reports_of_lines_outside_the_population_count_with_and_without_filters(store, filters):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang")],
        orders=[
            order_line("SO-1"),
            order_line("SO-X", status="cancelled"),
            order_line("SO-LATER", order_date=d("2026-03-12")),  # ordered after A = 03-10
        ],
        production_daily=[
            report(d("2026-03-09"), "SO-1", 80, planned_qty=100, defect_qty=20),
            report(d("2026-03-09"), "SO-X", 100, planned_qty=100),
            report(d("2026-03-09"), "SO-LATER", 100, planned_qty=100),
        ],
    )
    row = metrics.production_summary(reader(store), as_of=A, **filters).row(0, named=True)
    # only SO-1's report counts: 80 / 100 planned; 20 defects / 100 inspected
    assert (row["output_qty"], row["plan_attainment"], row["defect_rate"]) == (80, Decimal("0.8"), Decimal("0.2"))
