"""Orders page: tiles equal `gendan kpi`, the filters (merchandiser, date range) reach them,
the OTD breakdowns add up to the headline, the timeline shows the late lines, and the page
renders in Chinese and on an empty store."""

from __future__ import annotations

import datetime as dt
import json

from conftest import DEMO_AS_OF, kpi_json, page_app

from warehouse import metrics

PAGE = "pages/orders.py"


def tile(app, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label == label)


def table_with(app, *columns: str):
    """The shown table (pandas) holding these headers."""
    return next(frame.value for frame in app.dataframe if set(columns) <= set(frame.value.columns))


def test_tiles_equal_gendan_kpi(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    expected = kpi_json(demo_store, DEMO_AS_OF)
    assert tile(app, "On-time delivery") == f"{expected['on_time_delivery']['rate'] * 100:.1f} %"
    assert tile(app, "Late order lines") == f"{len(expected['late_order_lines']):,}"
    assert tile(app, "At-risk lines") == f"{len(expected['at_risk_order_lines']):,}"
    book = metrics.order_book(demo_store.connect(), DEMO_AS_OF)
    assert tile(app, "Open order lines") == f"{book.height:,}"
    # the late and at-risk tabs list exactly kpi's lines
    assert app.tabs[0].label == f"Late ({len(expected['late_order_lines'])})"
    late = table_with(app, "Days late")
    assert sorted(late["Order line"]) == sorted(
        f"{line['order_no']}/{line['line_no']}" for line in expected["late_order_lines"]
    )
    at_risk = table_with(app, "Risk")
    assert len(at_risk) == len(expected["at_risk_order_lines"])
    assert set(at_risk["Risk"]) <= {"Stalled: no packing in 7 days", "Behind: finishes after due date",
                                    "Not started, due within 14 days"}  # fmt: skip


def test_otd_breakdowns_add_up_to_the_headline(demo_store):
    app = page_app(demo_store, PAGE)
    otd = kpi_json(demo_store, DEMO_AS_OF)["on_time_delivery"]
    for header in ("Customer code", "Merchandiser", "Style no"):
        breakdown = table_with(app, header, "Due lines")
        assert breakdown["Due lines"].sum() == otd["due_lines"]
        assert breakdown["On-time lines"].sum() == otd["on_time_lines"]


def test_timeline_shows_late_lines_with_their_due_dates(demo_store):
    app = page_app(demo_store, PAGE)
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    # due dates on the chart, and those before it starts (drawn at its left edge)
    due_markers = [trace for trace in spec["data"] if trace["name"].startswith("Due date")]
    assert len(due_markers) == 2
    shown = {label: due_date for trace in due_markers
             for label, (due_date, _, _) in zip(trace["y"], trace["customdata"])}  # fmt: skip
    late = kpi_json(demo_store, DEMO_AS_OF)["late_order_lines"]
    assert len(shown) <= 30
    assert 0 < len(late) < len(shown)  # late lines come first (earliest due), so all of them fit
    for line in late:
        label = f"{line['order_no']}/{line['line_no']} · {line['customer_code']}"
        assert shown[label].startswith(line["due_date"])


def test_filters_reach_the_page(demo_store):
    merchandiser = metrics.merchandiser_names(demo_store.connect())[0]
    app = page_app(demo_store, PAGE, merchandiser=merchandiser)
    expected = kpi_json(demo_store, DEMO_AS_OF, "--merchandiser", merchandiser)
    everyone = kpi_json(demo_store, DEMO_AS_OF)
    assert tile(app, "Late order lines") == f"{len(expected['late_order_lines']):,}"
    assert len(expected["late_order_lines"]) < len(everyone["late_order_lines"])
    assert set(table_with(app, "Open qty", "Due date")["Merchandiser"]) == {merchandiser}

    date_from, date_to = dt.date(2026, 9, 1), dt.date(2026, 10, 31)
    ranged = page_app(demo_store, PAGE, date_range=(date_from, date_to))
    expected = kpi_json(demo_store, DEMO_AS_OF, "--from", date_from.isoformat(), "--to", date_to.isoformat())
    assert tile(ranged, "On-time delivery") == f"{expected['on_time_delivery']['rate'] * 100:.1f} %"
    assert expected["on_time_delivery"]["due_lines"] < everyone["on_time_delivery"]["due_lines"]
    book = table_with(ranged, "Shipped %")
    assert book["Due date"].dt.date.between(date_from, date_to).all()


def test_chinese_labels(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert app.title[0].value == "订单"
    assert any(metric.label == "准时交货率" for metric in app.metric)
    assert "交期" in table_with(app, "出货 %", "包装 %").columns


def test_empty_store_says_what_to_load(store):
    for language in ("en", "zh"):
        app = page_app(store, PAGE, lang=language)
        assert not app.exception
        assert app.info[0].value.startswith("No data yet" if language == "en" else "还没有数据")
