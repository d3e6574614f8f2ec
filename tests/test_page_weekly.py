"""Weekly review page: every KPI tile is `gendan kpi` for this week, against last week's;
the sections and the pack's downloads are there; it renders in both languages and on an empty store."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import DEMO_AS_OF, d, kpi_json, page_app
from test_review import headline_numbers, small_factory, week_kpis

from warehouse.review import week_start

PAGE = "pages/weekly.py"


def tile_text(value, item: str) -> str:
    """A KPI as the tile shows it (ui.percent / ui.number)."""
    if value is None:
        return "—"
    if item in ("On-time delivery", "Plan attainment", "Defect rate"):
        return f"{value * 100:.1f} %"
    return f"{value:,.2f}" if item.startswith("Receivables") else f"{value:,}"


def delta_text(now, before, item: str) -> str | None:
    """The tile's change from last week (ui.delta_points / ui.delta_count)."""
    if now is None or before is None:
        return None
    if item in ("On-time delivery", "Plan attainment", "Defect rate"):
        return f"{(now - before) * 100:+.1f} pp"
    return f"{now - before:+,.2f}" if item.startswith("Receivables") else f"{now - before:+,}"


def assert_tiles_are_gendan_kpi(app, this_week: dict, last_week: dict) -> None:
    tiles = {metric.label: metric for metric in app.metric}
    now, before = headline_numbers(this_week), headline_numbers(last_week)
    for item in now:
        assert tiles[item].value == tile_text(now[item], item), item
        assert tiles[item].delta == delta_text(now[item], before[item], item), item
        assert tiles[item].help == f"Last week: {tile_text(before[item], item)}", item


def test_running_week_tiles_equal_gendan_kpi(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    monday = week_start(DEMO_AS_OF)
    assert app.selectbox(key="weekly.week").value == monday
    # the week is not over: this week as of the as-of date, last week as of its Sunday
    this_week = week_kpis(demo_store, monday, DEMO_AS_OF)
    last_week = week_kpis(demo_store, monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
    assert_tiles_are_gendan_kpi(app, this_week, last_week)
    assert "(the week is not over)" in app.caption[0].value


def test_finished_week_tiles_equal_gendan_kpi_as_of_its_sunday(demo_store):
    monday = week_start(DEMO_AS_OF) - dt.timedelta(days=14)
    sunday = monday + dt.timedelta(days=6)
    app = page_app(demo_store, PAGE, **{"weekly.week": monday})
    assert not app.exception
    this_week = kpi_json(demo_store, sunday, "--from", monday.isoformat(), "--to", sunday.isoformat())
    last_week = week_kpis(demo_store, monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
    assert_tiles_are_gendan_kpi(app, this_week, last_week)
    assert f"--as-of {sunday} --from {monday} --to {sunday}" in app.caption[0].value
    assert "not over" not in app.caption[0].value


def test_sections_lists_and_pack_downloads(demo_store):
    app = page_app(demo_store, PAGE)
    monday = week_start(DEMO_AS_OF)
    this_week = week_kpis(demo_store, monday, DEMO_AS_OF)
    late_before = {row["order_no"] + "/" + str(row["line_no"])
                   for row in week_kpis(demo_store, monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
                   ["late_order_lines"]}  # fmt: skip
    new_late = [row for row in this_week["late_order_lines"]
                if f"{row['order_no']}/{row['line_no']}" not in late_before]  # fmt: skip
    headings = [heading.value for heading in app.subheader]
    assert headings == ["KPIs", "Shipments and collections", f"New late lines: {len(new_late)}",
                        f"Chase list at week end: {len(this_week['chase_today'])}"]  # fmt: skip
    shipments, collections, *new_late_table, chase = [table.value for table in app.dataframe]
    assert chase["Reference"].tolist() == [item["ref"] for item in this_week["chase_today"]]
    assert [table["Order no"].tolist() for table in new_late_table] == ([[row["order_no"] for row in new_late]]
                                                                       if new_late else [])  # fmt: skip
    assert shipments["Ship date"].dt.date.between(monday, DEMO_AS_OF).all()
    assert collections["Payment date"].dt.date.between(monday, DEMO_AS_OF).all()
    assert [tab.label for tab in app.tabs] == [f"Shipments ({len(shipments)})", f"Collections ({len(collections)})"]
    # the pack, downloadable under the week's name (its content: test_review.py)
    assert app.download_button(key="weekly.xlsx").label == "Download review (Excel)"
    assert app.download_button(key="weekly.html").label == "Download review (HTML)"
    assert app.download_button(key=f"weekly_chase_{monday}_csv").label == "Download CSV"


def test_filters_reach_the_review(demo_store):
    everyone = page_app(demo_store, PAGE)
    customer = everyone.dataframe[-1].value["Customer code"].mode()[0]  # the customer with most to chase
    app = page_app(demo_store, PAGE, customer=customer)
    monday = week_start(DEMO_AS_OF)
    expected = kpi_json(demo_store, DEMO_AS_OF, "--from", monday.isoformat(), "--to", (monday + dt.timedelta(days=6))
                        .isoformat(), "--customer", customer)  # fmt: skip
    late = next(metric for metric in app.metric if metric.label == "Late order lines")
    assert late.value == f"{len(expected['late_order_lines']):,}"
    assert set(app.dataframe[-1].value["Customer code"]) == {customer}


def test_new_late_lines_with_their_delay_reasons(store):
    small_factory(store)  # SO-2/1 went late in the week of 2026-03-09, with two delay reasons
    app = page_app(store, PAGE, as_of=d("2026-03-20"), lang="zh", **{"weekly.week": d("2026-03-09")})
    assert not app.exception
    new_late = app.dataframe[2].value
    assert new_late[["订单号", "延误原因"]].values.tolist() == [["SO-2", "设备故障、待料"]]
    [chart] = app.get("plotly_chart")
    bars = json.loads(chart.proto.spec)["data"][0]
    assert dict(zip(bars["y"], bars["x"], strict=True)) == {"设备故障": 1, "待料": 1}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_renders_in_both_languages(demo_store, lang):
    app = page_app(demo_store, PAGE, lang=lang)
    assert not app.exception
    if lang == "zh":
        assert app.title[0].value == "周复盘"
        assert app.metric[0].label == "准时交货率"
        assert "序号" in app.dataframe[-1].value.columns


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_store_says_what_to_load(store, lang):
    app = page_app(store, PAGE, lang=lang)
    assert not app.exception
    assert any(("Data page" if lang == "en" else "数据") in info.value for info in app.info)
