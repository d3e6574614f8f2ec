"""Production page: renders on demo data and on an empty store; its figures equal `gendan kpi`
and production_summary over the same period."""

from __future__ import annotations

import datetime as dt
import json

from conftest import DEMO_AS_OF, d, kpi_json, page_app
from test_metrics_support import customer, order_line, report, seed

from warehouse import metrics

PAGE = "pages/production.py"


def _tile(app, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label.startswith(label))


def _charts(app) -> dict[str, dict]:
    return {chart.proto.id: json.loads(chart.proto.spec) for chart in app.get("plotly_chart")}


def _chart(app, key: str) -> dict:
    return next(spec for element_id, spec in _charts(app).items() if key in element_id)


def _percent(rate) -> str:
    return "—" if rate is None else f"{float(rate) * 100:.1f} %"


def test_tiles_equal_gendan_kpi_and_production_summary(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    production = kpi_json(demo_store, DEMO_AS_OF)["production"]
    assert _tile(app, "Plan attainment") == _percent(production["plan_attainment"])
    assert _tile(app, "Defect rate") == _percent(production["defect_rate"])
    con = demo_store.connect()
    summary = metrics.production_summary(con, DEMO_AS_OF).row(0, named=True)
    assert _tile(app, "Output (all processes)") == f"{summary['output_qty']:,}"
    delays = metrics.delay_reason_pareto(con, DEMO_AS_OF)
    assert _tile(app, "Reports with a delay reason") == f"{delays['reports'].sum():,}"
    # the workshop table covers exactly the period's reports
    by_workshop = app.dataframe[0].value
    assert by_workshop["Output qty"].sum() == summary["output_qty"]
    assert by_workshop["Defect qty"].sum() == summary["defect_qty"]
    assert set(by_workshop["Process"]) == {"cutting", "sewing", "finishing", "packing"}
    # the delay reasons are translated codes, largest first
    pareto = _chart(app, "production_pareto")
    assert pareto["data"][0]["x"][0] == delays.sort("reports", descending=True)["delay_reason"][0].replace("_", " ")
    assert pareto["data"][1]["y"][-1] == 100.0
    # the production daily report form (open store: everyone may edit)
    assert app.button(key="production.any.save")


def test_trend_points_are_production_summary_over_each_week(demo_store):
    app = page_app(demo_store, PAGE)
    con = demo_store.connect()
    trend = metrics.production_trend(con, DEMO_AS_OF, grain="week", weeks=12)
    assert trend.height == 12
    daily = metrics.production_trend(con, DEMO_AS_OF, DEMO_AS_OF - dt.timedelta(days=9), DEMO_AS_OF, grain="day")
    assert daily.height == 10
    figures = ("output_qty", "defect_qty", "planned_qty", "plan_attainment", "defect_rate")
    for row in [*trend.iter_rows(named=True), *daily.iter_rows(named=True)]:
        expected = metrics.production_summary(con, DEMO_AS_OF, row["point_from"], row["point_to"]).row(0, named=True)
        assert [row[name] for name in figures] == [expected[name] for name in figures]
    # the last week is the current one, cut at the as-of date
    assert trend["point_to"][-1] == DEMO_AS_OF
    shown = _chart(app, "production_trend_plan_attainment")["data"][0]["y"]
    assert shown == [None if rate is None else float(rate) * 100 for rate in trend["plan_attainment"]]


def test_process_selector_chooses_the_workshops(demo_store):
    con = demo_store.connect()
    by_day = metrics.production_by_day(con, DEMO_AS_OF)
    for process in ("sewing", "packing"):
        app = page_app(demo_store, PAGE, **{"production.process": process})
        traces = _chart(app, "production_by_day")["data"]
        workshops = {trace["name"] for trace in traces if trace["marker"]["color"] != "rgba(0,0,0,0)"}
        assert workshops == set(by_day.filter(by_day["process"] == process)["workshop"])


def test_filters_reach_the_figures(demo_store):
    merchandiser = metrics.merchandiser_names(demo_store.connect())[0]
    app = page_app(demo_store, PAGE, merchandiser=merchandiser)
    everyone = kpi_json(demo_store, DEMO_AS_OF)["production"]
    expected = kpi_json(demo_store, DEMO_AS_OF, "--merchandiser", merchandiser)["production"]
    assert _tile(app, "Plan attainment") == _percent(expected["plan_attainment"])
    assert expected != everyone

    date_from, date_to = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    app = page_app(demo_store, PAGE, date_range=(date_from, date_to))
    expected = kpi_json(demo_store, DEMO_AS_OF, "--from", "2026-10-01", "--to", "2026-10-31")["production"]
    assert _tile(app, "Defect rate") == _percent(expected["defect_rate"])
    assert "2026-10-01 – 2026-10-31" in app.caption[0].value
    # the trend follows the date range: one point per week touching October
    assert len(_chart(app, "production_trend_defect_rate")["data"][0]["x"]) == 5


def test_chinese_labels(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert any(metric.label.startswith("计划达成率") for metric in app.metric)
    assert "车间" in app.dataframe[0].value.columns
    assert "车缝" in set(app.dataframe[0].value["工序"])


def test_empty_store_says_what_to_load(store):
    for lang, text in (("en", "Data page"), ("zh", "数据")):
        app = page_app(store, PAGE, lang=lang)
        assert not app.exception
        assert any(text in info.value for info in app.info)


def test_a_single_report_with_a_delay_reason(store):
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line("SO-1")],
        production_daily=[report(d("2026-03-09"), "SO-1", 50, planned_qty=60, delay_reason="absenteeism")],
    )
    app = page_app(store, PAGE, as_of=d("2026-03-10"), lang="zh")
    assert not app.exception
    production = kpi_json(store, d("2026-03-10"))["production"]
    assert _tile(app, "计划达成率") == _percent(production["plan_attainment"]) == "83.3 %"
    pareto = app.dataframe[1].value
    assert list(pareto["延误原因"]) == ["缺勤"] and list(pareto["欠产数量（计划−产量）"]) == [10]
