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
ui.stop_if_empty(data.has_data())

previous_filters = data.previous_period(filters)
st.caption(labels("caption", as_of=filters.as_of.isoformat(), previous=previous_filters.as_of.isoformat()))
now, before, warning_rows, weekly, late = data.together(
    data.request("kpi_headlines", filters),
    data.request("kpi_headlines", previous_filters),
    data.request("metric_warnings", filters),
    data.request("otd_by_week", filters, weeks=26),
    data.request("late_order_lines", filters),
)
base = now["base_currency"]


def _tile(key: str, label: str | None = None) -> ui.Tile:
    """A count or money tile (of things to chase: a rise is bad) with its change since the previous period."""
    digits = 2 if key.endswith("_base") else 0
    return ui.Tile(label or t(key), ui.number(now[key], digits), ui.delta_count(now[key], before[key], digits),
                   "inverse")


def _rate_tile(key: str, label_key: str, rise_is_bad: bool = False) -> ui.Tile:
    return ui.Tile(t(label_key), ui.percent(now[key]), ui.delta_points(now[key], before[key]),
                   "inverse" if rise_is_bad else "normal")


ui.tiles(
    [
        _rate_tile("otd_rate", "otd_rate"),
        _tile("late_lines"),
        _tile("at_risk_lines"),
        _tile("overdue_po_lines", label=t("overdue_pos")),
        _tile("past_due_receivables_base", label=f'{t("past_due_receivables")} ({base})'),
        _rate_tile("plan_attainment", "plan_attainment"),
        _rate_tile("defect_rate", "defect_rate", rise_is_bad=True),
    ]
)
ui.metric_warnings(warning_rows, base)

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
