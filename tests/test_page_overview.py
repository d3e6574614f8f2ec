"""Overview page: renders on demo data and on an empty store; tiles equal `gendan kpi`."""

from __future__ import annotations

from conftest import DEMO_AS_OF, kpi_json, page_app

from warehouse import metrics

PAGE = "pages/overview.py"


def _tile(app, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label.startswith(label))


def test_tiles_equal_gendan_kpi(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    expected = kpi_json(demo_store, DEMO_AS_OF)
    otd = expected["on_time_delivery"]["rate"]
    assert _tile(app, "On-time delivery") == f"{otd * 100:.1f} %"
    assert _tile(app, "Late order lines") == f"{len(expected['late_order_lines']):,}"
    assert _tile(app, "At-risk lines") == f"{len(expected['at_risk_order_lines']):,}"
    assert _tile(app, "Overdue PO lines") == f"{len(expected['overdue_po_lines']):,}"
    past_due = sum(v for bucket, v in expected["receivables_ageing"].items() if bucket != "not_due")
    assert _tile(app, "Receivables past due") == f"{past_due:,.2f}"
    assert _tile(app, "Plan attainment") == f"{expected['production']['plan_attainment'] * 100:.1f} %"
    assert _tile(app, "Defect rate") == f"{expected['production']['defect_rate'] * 100:.1f} %"


def test_filters_reach_the_tiles(demo_store):
    everyone = kpi_json(demo_store, DEMO_AS_OF)
    merchandiser = metrics.merchandiser_names(demo_store.connect())[0]
    filtered_app = page_app(demo_store, PAGE, merchandiser=merchandiser)
    expected = kpi_json(demo_store, DEMO_AS_OF, "--merchandiser", merchandiser)
    assert _tile(filtered_app, "Late order lines") == f"{len(expected['late_order_lines']):,}"
    assert len(expected["late_order_lines"]) < len(everyone["late_order_lines"])


def test_chinese_labels(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert any(metric.label.startswith("准时交货率") for metric in app.metric)


def test_empty_store_says_what_to_load(store):
    app = page_app(store, PAGE)
    assert not app.exception
    assert any("Data page" in info.value for info in app.info)
