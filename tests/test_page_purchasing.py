"""Purchasing page: tiles and lists equal `gendan kpi`, the customer filter reaches them, the
scorecard and the late-PO order lines are worked out by hand on a small store, and the page
renders in Chinese and on an empty store."""

from __future__ import annotations

from decimal import Decimal

from conftest import DEMO_AS_OF, d, kpi_json, page_app

from test_metrics_support import A, customer, order_line, po_line, seed, shipment
from warehouse import metrics

PAGE = "pages/purchasing.py"


def tile(app, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label == label)


def table_with(app, *columns: str):
    """The shown table (pandas) holding these headers."""
    return next(frame.value for frame in app.dataframe if set(columns) <= set(frame.value.columns))


def supplier_otd_text(kpi: dict) -> str:
    due = sum(row["due_lines"] for row in kpi["supplier_otd"])
    on_time = sum(row["on_time_lines"] for row in kpi["supplier_otd"])
    return f"{on_time / due * 100:.1f} %"


def test_tiles_and_lists_equal_gendan_kpi(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    expected = kpi_json(demo_store, DEMO_AS_OF)
    con = demo_store.connect()
    assert tile(app, "Overdue PO lines") == f"{len(expected['overdue_po_lines']):,}"
    assert tile(app, "PO lines due in 3 days") == f"{metrics.po_lines_due_soon(con, DEMO_AS_OF).height:,}"
    assert tile(app, "Supplier on-time delivery") == supplier_otd_text(expected)
    waiting = metrics.late_po_order_lines(con, DEMO_AS_OF)
    assert tile(app, "Order lines waiting on late POs") == f"{waiting['order_line_ref'].n_unique():,}"

    overdue = table_with(app, "Days overdue", "Promised date")
    assert sorted(overdue["PO line"]) == [f"{line['po_no']}/{line['po_line']}" for line in expected["overdue_po_lines"]]
    scorecard = table_with(app, "Supplier", "Avg days late")
    rated = scorecard[scorecard["Due lines"] > 0]
    assert list(zip(rated["Supplier"], rated["Due lines"], rated["On-time lines"])) == [
        (row["supplier"], row["due_lines"], row["on_time_lines"]) for row in expected["supplier_otd"]
    ]
    assert (scorecard["Late lines"] == scorecard["Due lines"] - scorecard["On-time lines"]).all()
    at_risk = table_with(app, "Order line", "PO qty still to receive")
    assert set(at_risk["PO line"]) <= {f"{line['po_no']}/{line['po_line']}" for line in expected["overdue_po_lines"]}
    assert len(at_risk) == waiting.height > 0


def test_customer_filter_reaches_the_page(demo_store):
    everyone = kpi_json(demo_store, DEMO_AS_OF)
    # the customer of the first overdue PO line's sales order
    chosen = metrics.overdue_po_lines(demo_store.connect(), DEMO_AS_OF)["customer_code"].drop_nulls()[0]
    app = page_app(demo_store, PAGE, customer=chosen)
    expected = kpi_json(demo_store, DEMO_AS_OF, "--customer", chosen)
    assert tile(app, "Overdue PO lines") == f"{len(expected['overdue_po_lines']):,}"
    assert 0 < len(expected["overdue_po_lines"]) < len(everyone["overdue_po_lines"])
    assert tile(app, "Supplier on-time delivery") == supplier_otd_text(expected)
    assert set(table_with(app, "Days overdue", "Promised date")["Customer code"]) == {chosen}


def test_scorecard_and_late_po_order_lines_by_hand(store):
    """A = 2026-03-10. Fabric Co: 5 lines due, 1 on time; days late 5, 6, 5, 5 -> avg 21/4 = 5.25 -> 5.3."""
    seed(
        store,
        customers=[customer("C01")],
        orders=[
            order_line("SO-1", 1, due_date=d("2026-03-20")),  # open: waits on PO-3
            order_line("SO-1", 2),  # shipped complete: not listed
        ],
        shipments=[shipment("S1", "SO-1", d("2026-03-01"), 100, line_no=2)],
        purchase_orders=[
            po_line("PO-1", d("2026-03-01"), received_qty=Decimal("100"), received_date=d("2026-02-28"),
                    status="closed"),  # on time
            po_line("PO-2", d("2026-03-02"), received_qty=Decimal("100"), received_date=d("2026-03-07"),
                    status="closed"),  # 5 days late
            po_line("PO-3", d("2026-03-04"), received_qty=Decimal("40"), received_date=d("2026-03-05"),
                    order_no="SO-1"),  # still open: 6 days late at A, overdue
            po_line("PO-5", d("2026-03-01"), received_qty=Decimal("100"), received_date=d("2026-03-06"),
                    status="closed"),  # 5 days late
            po_line("PO-6", d("2026-03-01"), received_qty=Decimal("80"), received_date=d("2026-03-06"),
                    status="closed"),  # closed short: not on time, 5 days late
            po_line("PO-7", d("2026-03-12"), quantity=Decimal("50.5"), unit="kg"),  # not due yet
            po_line("PO-8", d("2026-03-01"), status="cancelled"),  # counts nowhere
            po_line("PO-9", d("2026-03-20"), supplier="Trim Co", unit="pcs"),  # nothing due
        ],
    )
    con = store.connect()
    scorecard = {row["supplier"]: row for row in metrics.supplier_scorecard(con, A).to_dicts()}
    assert scorecard["Fabric Co"] == {
        "supplier": "Fabric Co", "po_lines": 6, "open_lines": 2, "overdue_lines": 1,
        "quantity_by_unit": "50.5 kg · 500 m", "due_lines": 5, "on_time_lines": 1, "rate": Decimal("0.2000"),
        "late_lines": 4, "avg_days_late": Decimal("5.3"), "max_days_late": 6,
    }  # fmt: skip
    assert scorecard["Trim Co"] == {
        "supplier": "Trim Co", "po_lines": 1, "open_lines": 1, "overdue_lines": 0,
        "quantity_by_unit": "100 pcs", "due_lines": 0, "on_time_lines": 0, "rate": None,
        "late_lines": 0, "avg_days_late": None, "max_days_late": None,
    }  # fmt: skip
    waiting = metrics.late_po_order_lines(con, A)
    shown = waiting.select("po_ref", "order_line_ref", "days_overdue", "po_open_qty", "days_until_due", "open_qty")
    assert shown.rows() == [("PO-3/1", "SO-1/1", 6, Decimal("60"), 10, 100)]


def test_chinese_labels(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert app.title[0].value == "采购"
    assert any(metric.label == "逾期采购行" for metric in app.metric)
    scorecard = table_with(app, "供应商", "平均迟交天数")
    assert {"准时率", "最长迟交天数", "采购数量"} <= set(scorecard.columns)


def test_empty_store_says_what_to_load(store):
    for language in ("en", "zh"):
        app = page_app(store, PAGE, lang=language)
        assert not app.exception
        assert app.info[0].value.startswith("No data yet" if language == "en" else "还没有数据")
