"""Overview: the manager's KPI tiles, OTD by week, and where the late lines are."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.filters import current_filters
from dashboard.i18n import Labels, column_label, t

labels = Labels(
    {
        "title": ("Overview", "总览"),
        "caption": ("As of {as_of}; changes compare with {previous}.", "截至 {as_of}；变化与 {previous} 相比。"),
        "otd_by_week": ("On-time delivery by week (lines due that week)", "每周准时交货率（当周到期的订单行）"),
        "late_by_customer": ("Late lines by customer", "各客户逾期订单行"),
        "late_by_merchandiser": ("Late lines by merchandiser", "各跟单员逾期订单行"),
        "lines": ("lines", "行"),
    }
)

filters = current_filters()
st.title(labels("title"))
if not data.has_data():
    ui.empty_state()
    st.stop()

previous_filters = data.previous_period(filters)
st.caption(labels("caption", as_of=filters.as_of.isoformat(), previous=previous_filters.as_of.isoformat()))
report, previous = data.kpi(filters), data.kpi(previous_filters)


def _past_due(kpi: dict) -> float:
    return sum(value for bucket, value in kpi["receivables_ageing"].items() if bucket != "not_due")


otd, otd_before = report["on_time_delivery"]["rate"], previous["on_time_delivery"]["rate"]
production, production_before = report["production"], previous["production"]
counts = {
    key: (len(report[key]), len(previous[key]))
    for key in ("late_order_lines", "at_risk_order_lines", "overdue_po_lines")
}
ui.tiles(
    [
        ui.Tile(t("otd_rate"), ui.percent(otd), ui.delta_points(otd, otd_before)),
        ui.Tile(t("late_lines"), ui.number(counts["late_order_lines"][0]),
                ui.delta_count(*counts["late_order_lines"]), "inverse"),
        ui.Tile(t("at_risk_lines"), ui.number(counts["at_risk_order_lines"][0]),
                ui.delta_count(*counts["at_risk_order_lines"]), "inverse"),
        ui.Tile(t("overdue_pos"), ui.number(counts["overdue_po_lines"][0]),
                ui.delta_count(*counts["overdue_po_lines"]), "inverse"),
        ui.Tile(f'{t("past_due_receivables")} ({report["base_currency"]})',
                ui.number(_past_due(report), 2), ui.delta_count(_past_due(report), _past_due(previous), 2), "inverse"),
        ui.Tile(t("plan_attainment"), ui.percent(production["plan_attainment"]),
                ui.delta_points(production["plan_attainment"], production_before["plan_attainment"])),
        ui.Tile(t("defect_rate"), ui.percent(production["defect_rate"]),
                ui.delta_points(production["defect_rate"], production_before["defect_rate"]), "inverse"),
    ]
)
ui.metric_warnings(data.frame("metric_warnings", filters), report["base_currency"])

weekly = data.frame("otd_by_week", filters, weeks=26)
figure = go.Figure(
    go.Bar(
        x=weekly["week_start"].to_list(),
        y=[None if rate is None else float(rate) * 100 for rate in weekly["rate"].to_list()],
        customdata=weekly.select("due_lines", "on_time_lines").rows(),
        hovertemplate="%{x|%Y-%m-%d}: %{y:.1f}% (%{customdata[1]}/%{customdata[0]})<extra></extra>",
        marker_color="#2E7D32",
    )
)
figure.update_yaxes(range=[0, 100], ticksuffix=" %")
figure.update_xaxes(tickformat="%m-%d")
ui.chart(figure.update_layout(title=labels("otd_by_week")), key="otd_by_week")

late = data.frame("late_order_lines", filters)
left, right = st.columns(2)
for column, group, title in (
    (left, "customer_code", "late_by_customer"),
    (right, "merchandiser", "late_by_merchandiser"),
):
    with column:
        st.subheader(labels(title))
        if late.is_empty():
            st.info(t("nothing_here"))
            continue
        counted = late.group_by(group).agg(pl.len().alias("lines")).sort(["lines", group], descending=[True, False])
        bars = go.Figure(go.Bar(x=counted["lines"].to_list(), y=counted[group].to_list(), orientation="h"))
        bars.update_yaxes(autorange="reversed", title=column_label(group))
        bars.update_xaxes(title=labels("lines"))
        ui.chart(bars, key=f"late_by_{group}", height=max(240, 28 * counted.height))
