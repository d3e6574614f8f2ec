"""Purchasing: overdue and due-soon PO lines, the sales orders each late PO puts at risk,
and the supplier scorecard (on-time delivery, days late, volume)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.filters import current_filters
from dashboard.i18n import Labels, column_label, t

labels = Labels(
    {
        "title": ("Purchasing", "采购"),
        "caption": (
            "As of {as_of}. PO lines are the latest purchasing snapshot; the date range does not apply here. "
            "Customer and merchandiser: those of the PO's sales order.",
            "截至 {as_of}。采购行为最新的采购状态快照，日期范围不适用于本页；"
            "客户和跟单员按采购单对应的销售订单筛选。",
        ),
        "supplier_otd_all": ("Supplier on-time delivery", "供应商准时交货率"),
        "supplier_otd_help": (
            "{on_time} of {due} PO lines promised by the as-of date arrived complete and on time.",
            "截至日期前承诺交货的 {due} 个采购行中，有 {on_time} 个按时足量到货。",
        ),
        "waiting_lines": ("Order lines waiting on late POs", "受逾期采购影响的订单行"),
        "po_lines": ("PO lines to chase", "需跟进的采购行"),
        "overdue_tab": ("Overdue ({count})", "已逾期（{count}）"),
        "due_soon_tab": ("Due within 3 days ({count})", "3 天内到期（{count}）"),
        "orders_at_risk": ("Sales orders waiting on late POs", "受逾期采购影响的销售订单"),
        "orders_at_risk_caption": (
            "Each overdue PO line with the open lines of its sales order, the order due soonest first.",
            "每个逾期采购行及其销售订单中未完成的订单行，订单交期早的在前。",
        ),
        "scorecard": ("Supplier scorecard", "供应商评分卡"),
        "scorecard_caption": (
            "On time = received complete by the promised date. Days late: over the lines not on time; "
            "a line still open counts until the as-of date.",
            "准时 = 在承诺交期前足量收货。迟交天数按未准时的采购行计算；仍未到货的计到截至日期。",
        ),
    }
)


def po_table(frame: pl.DataFrame, days: str, key: str) -> None:
    ui.table(
        frame.sort([days, "po_no", "po_line"], descending=[days == "days_overdue", False, False]).select(
            pl.col("ref").alias("po_ref"), "supplier", "material", "promised_date", days, "quantity", "received_qty",
            "open_qty", "unit", "order_no", "customer_code", "merchandiser",
        ),
        key=key,
        placeholder="—",
    )  # fmt: skip


def scorecard_chart(scorecard: pl.DataFrame) -> None:
    """OTD per supplier, worst first, with the line counts and days late on hover."""
    rated = scorecard.filter(pl.col("rate").is_not_null()).sort(["rate", "supplier"])
    if rated.is_empty():
        return
    figure = go.Figure(go.Bar(
        x=[float(rate) * 100 for rate in rated["rate"]], y=rated["supplier"].to_list(), orientation="h",
        marker_color="#2E7D32",
        text=[f"{on_time}/{due}" for on_time, due in rated.select("on_time_lines", "due_lines").rows()],
        customdata=rated.select("avg_days_late", "max_days_late").rows(),
        hovertemplate="%{y}: %{x:.1f}% (%{text})<br>" + column_label("avg_days_late") + " %{customdata[0]}, "
        + column_label("max_days_late") + " %{customdata[1]}<extra></extra>",
    ))  # fmt: skip
    figure.update_xaxes(range=[0, 105], ticksuffix=" %", title=t("otd_rate"))
    figure.update_yaxes(autorange="reversed", type="category")
    ui.chart(figure, key="supplier_otd", height=100 + 26 * rated.height)


filters = current_filters()
st.title(labels("title"))
ui.stop_if_empty(data.has_data())
st.caption(labels("caption", as_of=filters.as_of))

# The metric functions `gendan kpi` is made of (overdue_po_lines, supplier_otd).
overdue, due_soon, waiting, supplier_otd, scorecard = data.together(
    data.request("overdue_po_lines", filters),
    data.request("po_lines_due_soon", filters),
    data.request("late_po_order_lines", filters),
    data.request("supplier_otd", filters),
    data.request("supplier_scorecard", filters),
)
due_lines, on_time_lines = supplier_otd["due_lines"].sum(), supplier_otd["on_time_lines"].sum()
ui.tiles(
    [
        ui.Tile(t("overdue_pos"), ui.number(overdue.height)),
        ui.Tile(t("po_due_soon"), ui.number(due_soon.height)),
        ui.Tile(labels("waiting_lines"), ui.number(waiting["order_line_ref"].n_unique())),
        ui.Tile(labels("supplier_otd_all"), ui.percent(on_time_lines / due_lines if due_lines else None),
                help=labels("supplier_otd_help", on_time=on_time_lines, due=due_lines)),
    ]
)

st.subheader(labels("po_lines"))
overdue_tab, due_soon_tab = st.tabs(
    [labels("overdue_tab", count=overdue.height), labels("due_soon_tab", count=due_soon.height)]
)
with overdue_tab:
    po_table(overdue, "days_overdue", "overdue_po_lines")
with due_soon_tab:
    po_table(due_soon, "days_until_promised", "po_lines_due_soon")

st.subheader(labels("orders_at_risk"))
st.caption(labels("orders_at_risk_caption"))
ui.table(
    waiting.select(
        "po_ref", "supplier", "material", "days_overdue", "po_open_qty", "unit", "order_line_ref", "customer_code",
        "merchandiser", "style_no", "is_rush", "due_date", "days_until_due", "open_qty",
    ),
    key="late_po_order_lines",
    placeholder="—",
)

st.subheader(labels("scorecard"))
st.caption(labels("scorecard_caption"))
scorecard_chart(scorecard)
ui.table(
    scorecard.select(
        "supplier", pl.col("rate").cast(pl.Float64).alias("on_time_rate"), "due_lines", "on_time_lines",
        "late_lines", "avg_days_late", "max_days_late", "po_lines", "open_lines", "overdue_lines", "quantity_by_unit",
    ),
    key="supplier_scorecard",
    column_config=ui.percent_columns("on_time_rate"),
    placeholder="—",
)
