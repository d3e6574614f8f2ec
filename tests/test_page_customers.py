"""Customers page: renders on demo data and on an empty store; its customer figures equal
`gendan kpi`, and the monthly charts and top styles add up to the same orders and revenue."""

from __future__ import annotations

import datetime as dt
import json

from conftest import DEMO_AS_OF, d, kpi_json, page_app
from test_metrics_support import customer, order_line, seed

from warehouse import metrics

PAGE = "pages/customers.py"


def _tile(app, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label.startswith(label))


def _chart(app, key: str) -> dict:
    return next(json.loads(chart.proto.spec) for chart in app.get("plotly_chart") if key in chart.proto.id)


def _expected_tiles(customers: list[dict], base: str) -> dict[str, str]:
    return {
        "Customers": f"{len(customers):,}",
        "Quiet customers": f"{sum(1 for row in customers if row['quiet']):,}",
        f"Revenue 12 m ({base})": f"{sum(row['revenue_12m_base'] for row in customers):,.2f}",
        "Class A customers": f"{sum(1 for row in customers if row['abc'] == 'A'):,}",
    }


def test_tiles_and_table_equal_gendan_kpi(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    report = kpi_json(demo_store, DEMO_AS_OF)
    for label, value in _expected_tiles(report["customers"], report["base_currency"]).items():
        assert _tile(app, label) == value, label
    quiet = [row["customer_code"] for row in report["customers"] if row["quiet"]]
    assert quiet and all(code in app.warning[0].value for code in quiet)
    table = app.dataframe[-1].value
    shown = {row["Customer code"]: (row["ABC"], row["Quiet"], row["Orders"]) for _, row in table.iterrows()}
    assert shown == {row["customer_code"]: (row["abc"], row["quiet"], row["orders"]) for row in report["customers"]}
    # quiet customers come first
    assert list(table["Quiet"][: len(quiet)]) == [True] * len(quiet)
    # the follow-up form is there (open store: everyone may edit), on the table's first customer
    assert app.button(key=f"note.customer.{table['Customer code'][0]}.save")


def test_orders_per_month_add_up_to_each_customers_orders(demo_store):
    # a range covering all history: every order falls in one month of the heatmap
    app = page_app(demo_store, PAGE, date_range=(dt.date(2024, 1, 1), DEMO_AS_OF))
    assert not app.exception
    heatmap = _chart(app, "customers_orders_per_month")["data"][0]
    totals = {label.split(" · ")[0]: sum(row) for label, row in zip(heatmap["y"], heatmap["z"], strict=True)}
    expected = {row["customer_code"]: row["orders"] for row in kpi_json(demo_store, DEMO_AS_OF)["customers"]}
    assert totals == expected
    assert heatmap["x"][0] == "2024-01" and heatmap["x"][-1] == "2026-11"


def test_top_styles_add_up_to_the_12_month_revenue(demo_store):
    app = page_app(demo_store, PAGE)
    styles = metrics.top_styles(demo_store.connect(), DEMO_AS_OF)
    revenue = sum(row["revenue_12m_base"] for row in kpi_json(demo_store, DEMO_AS_OF)["customers"])
    # same lines and conversion; each style is rounded to the cent
    assert abs(float(styles["revenue_base"].sum()) - revenue) <= 0.005 * styles.height
    top = _chart(app, "customers_top_styles")["data"][0]
    assert top["y"][0].startswith(styles["style_no"][0] + " · ")
    assert len(top["y"]) == 15
    app = page_app(demo_store, PAGE, **{"customers.style_measure": "quantity"})
    by_quantity = styles.sort(["quantity", "style_no"], descending=[True, False])
    assert _chart(app, "customers_top_styles")["data"][0]["x"][:3] == by_quantity["quantity"][:3].to_list()


def test_filters_reach_the_figures(demo_store):
    merchandiser = metrics.merchandiser_names(demo_store.connect())[0]
    app = page_app(demo_store, PAGE, merchandiser=merchandiser)
    assert not app.exception
    report = kpi_json(demo_store, DEMO_AS_OF, "--merchandiser", merchandiser)
    for label, value in _expected_tiles(report["customers"], report["base_currency"]).items():
        assert _tile(app, label) == value, label
    assert len(report["customers"]) < len(kpi_json(demo_store, DEMO_AS_OF)["customers"])
    heatmap_rows = _chart(app, "customers_orders_per_month")["data"][0]["y"]
    expected_codes = {row["customer_code"] for row in report["customers"]}
    assert {label.split(" · ")[0] for label in heatmap_rows} == expected_codes


def test_chinese_labels(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert any(metric.label.startswith("沉寂客户") for metric in app.metric)
    assert {"客户编号", "下单间隔中位数（天）", "预计下次下单", "ABC 分类"} <= set(app.dataframe[-1].value.columns)


def test_empty_store_says_what_to_load(store):
    for lang, text in (("en", "Data page"), ("zh", "数据")):
        app = page_app(store, PAGE, lang=lang)
        assert not app.exception
        assert any(text in info.value for info in app.info)


def test_a_customer_with_one_order_has_no_rhythm_yet(store):
    seed(store, customers=[customer("C01")], orders=[order_line("SO-1", order_date=d("2026-01-05"))])
    app = page_app(store, PAGE, as_of=d("2026-03-10"))
    assert not app.exception
    report = kpi_json(store, d("2026-03-10"))
    for label, value in _expected_tiles(report["customers"], report["base_currency"]).items():
        assert _tile(app, label) == value, label
    expected_markers = [trace for trace in _chart(app, "customers_rhythm")["data"] if trace["mode"] == "markers"]
    assert [marker for trace in expected_markers for marker in trace["x"] if marker] == []
    assert sum(_chart(app, "customers_orders_per_month")["data"][0]["z"][0]) == 1
