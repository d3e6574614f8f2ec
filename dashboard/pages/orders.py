"""Orders: the order book (shipped % and packed %), projected finish against due date,
late and at-risk lines, and on-time delivery by customer, merchandiser and style."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import data, ui
from dashboard.filters import current_filters
from dashboard.i18n import Labels, column_label, t

labels = Labels(
    {
        "title": ("Orders", "订单"),
        "caption_range": (
            "As of {as_of}. Order book, timeline and on-time delivery: lines due {date_from} to {date_to}. "
            "Late and at-risk lists: every line as of {as_of}.",
            "截至 {as_of}。订单簿、时间线和准时交货率：交期在 {date_from} 至 {date_to} 的订单行；"
            "逾期和风险清单：截至 {as_of} 的全部订单行。",
        ),
        "caption": ("As of {as_of}.", "截至 {as_of}。"),
        "open_lines": ("Open order lines", "未完成订单行"),
        "due_lines_help": (
            "{on_time} of {due} lines due by the as-of date were shipped complete by their due date.",
            "截至日期前到期的 {due} 行中，有 {on_time} 行在交期前出货完成。",
        ),
        "timeline": ("Projected finish against due date", "预计完成与交期"),
        "timeline_caption": (
            "{shown} of {total} open lines: late, at risk, or due within {days} days; earliest due first. "
            "Bar: from the as-of date to the projected finish at the last 7 days' packing rate.",
            "共 {total} 个未完成订单行，显示其中 {shown} 个：逾期、有风险或 {days} 天内到期的，交期早的在前。"
            "横条：从截至日期到按近 7 天包装速度推算的预计完成日。",
        ),
        "finish_in_time": ("Projected finish by the due date", "预计在交期前完成"),
        "finish_late": ("Projected finish after the due date", "预计晚于交期完成"),
        "no_projection": ("No packing in the last 7 days: no projection", "近 7 天无包装产出：无法预计"),
        "packed_waiting": ("Packed, not yet shipped", "已包装完，未出货"),
        "due_marker": ("Due date", "交期"),
        "due_earlier": ("Due date before the chart starts", "交期早于图表起点"),
        "today": ("As of {date}", "截至 {date}"),
        "late_and_risk": ("Late and at-risk lines", "逾期和有风险的订单行"),
        "late_tab": ("Late ({count})", "逾期（{count}）"),
        "risk_tab": ("At risk ({count})", "有风险（{count}）"),
        "otd_by": ("On-time delivery by customer, merchandiser and style", "按客户、跟单员、款号的准时交货率"),
        "otd_caption": (
            "Lines due by the as-of date{in_range}; each breakdown adds up to the headline {rate} (the dashed line). "
            "The chart shows the {top} with the most lines not on time.",
            "截至日期前到期的订单行{in_range}；每种分组合计都等于总准时交货率 {rate}（虚线）。"
            "图中为未准时行数最多的 {top} 个。",
        ),
        "in_range": (" (in the date range)", "（在日期范围内）"),
        "by_customer": ("By customer", "按客户"),
        "by_merchandiser": ("By merchandiser", "按跟单员"),
        "by_style": ("By style", "按款号"),
        "order_book": ("Order book: open lines", "订单簿：未完成订单行"),
        "state_late": ("Late", "逾期"),
        "state_at_risk": ("At risk", "有风险"),
        "state_on_track": ("On track", "正常"),
        "risk_stalled": ("Stalled: no packing in 7 days", "停滞：近 7 天无包装"),
        "risk_behind": ("Behind: finishes after due date", "落后：预计晚于交期"),
        "risk_not_started": ("Not started, due within 14 days", "未开工，14 天内到期"),
    }
)

TIMELINE_DAYS_AHEAD = 30  # on-track lines due this soon are on the timeline too
TIMELINE_CAP = 30  # lines on the timeline, so that each keeps a readable row
BREAKDOWN_TOP = 15  # bars per breakdown chart
DIMENSIONS = {"customer": "customer_code", "merchandiser": "merchandiser", "style": "style_no"}
LINE_STATES = ("late", "at_risk", "on_track")
RISK_REASONS = ("stalled", "behind", "not_started")


def _translated(column: str, codes: tuple[str, ...], prefix: str) -> pl.Expr:
    """A code column in the interface language (an unknown code is shown as it is)."""
    return pl.col(column).replace({code: labels(f"{prefix}{code}") for code in codes})


def timeline(book: pl.DataFrame, as_of: dt.date) -> None:
    """Segments from the as-of date to each line's projected finish, with its due date marked."""
    soon = as_of + dt.timedelta(days=TIMELINE_DAYS_AHEAD)
    relevant = book.filter((pl.col("line_state") != "on_track") | (pl.col("due_date") <= soon))
    shown = relevant.head(TIMELINE_CAP).with_columns(
        label=pl.col("ref") + " · " + pl.col("customer_code"),
        finish=pl.max_horizontal("projected_finish", pl.lit(as_of)),
    )
    st.caption(labels("timeline_caption", shown=shown.height, total=book.height, days=TIMELINE_DAYS_AHEAD))
    if shown.is_empty():
        st.info(t("nothing_here"))
        return
    # Lines long overdue would squash the chart: it starts a month back, and an earlier
    # due date is an arrow at the left edge (its hover gives the date).
    earliest = as_of - dt.timedelta(days=30)
    start = max(shown["due_date"].min(), earliest) - dt.timedelta(days=3)
    end = max(shown["finish"].max(), shown["due_date"].max()) + dt.timedelta(days=3)
    hover = (f"%{{y}}<br>{column_label('due_date')} %{{customdata[0]}}<br>{column_label('projected_finish')} "
             f"%{{customdata[1]}}<br>{column_label('remaining_qty')} %{{customdata[2]:,}}<extra></extra>")  # fmt: skip

    def details(rows: pl.DataFrame) -> list[tuple]:
        return rows.select("due_date", "projected_finish", "remaining_qty").rows()

    figure = go.Figure()
    projected = shown.filter(pl.col("remaining_qty") > 0, pl.col("projected_finish").is_not_null())
    for name, late, color in (("finish_in_time", False, "#2E7D32"), ("finish_late", True, "#C62828")):
        group = projected.filter((pl.col("projected_finish") > pl.col("due_date")) == late)
        if group.is_empty():
            continue
        # one trace per colour: each segment is two points, segments separated by a gap (None)
        xs = [x for row in group.iter_rows(named=True) for x in (as_of, row["finish"], None)]
        ys = [y for label in group["label"] for y in (label, label, None)]
        customdata = [point for detail in details(group) for point in (detail, detail, (None,) * 3)]
        figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"width": 9, "color": color}, name=labels(name),
                                    customdata=customdata, hovertemplate=hover))  # fmt: skip
    for name, rows, symbol, color in (
        ("no_projection", shown.filter(pl.col("remaining_qty") > 0, pl.col("projected_finish").is_null()),
         "x", "#757575"),
        ("packed_waiting", shown.filter(pl.col("remaining_qty") == 0), "square", "#1565C0"),
    ):  # fmt: skip
        if rows.is_empty():
            continue
        figure.add_trace(go.Scatter(
            x=[as_of] * rows.height, y=rows["label"].to_list(), mode="markers", name=labels(name),
            marker={"symbol": symbol, "size": 10, "color": color}, customdata=details(rows), hovertemplate=hover,
        ))  # fmt: skip
    off_chart = pl.col("due_date") < earliest
    for name, rows, symbol in (
        ("due_marker", shown.filter(~off_chart), "diamond"),
        ("due_earlier", shown.filter(off_chart), "triangle-left"),
    ):
        if rows.is_empty():
            continue
        x = rows["due_date"].to_list() if name == "due_marker" else [start + dt.timedelta(days=1)] * rows.height
        figure.add_trace(go.Scatter(
            x=x, y=rows["label"].to_list(), mode="markers", name=labels(name), customdata=details(rows),
            hovertemplate=hover, marker={"symbol": symbol, "size": 10, "color": "#212121"},
        ))  # fmt: skip
    figure.add_trace(go.Scatter(
        x=[as_of, as_of], y=[shown["label"][0], shown["label"][-1]], mode="lines", hoverinfo="skip",
        line={"dash": "dash", "color": "#616161", "width": 1}, name=labels("today", date=as_of.isoformat()),
    ))  # fmt: skip
    figure.update_xaxes(range=[start, end], tickformat="%m-%d")
    figure.update_yaxes(categoryorder="array", categoryarray=shown["label"].to_list(), autorange="reversed")
    ui.chart(figure, key="orders_timeline", height=110 + 20 * shown.height)


def otd_breakdown(breakdown: pl.DataFrame, dimension: str, headline_rate: float | None) -> None:
    """One dimension's OTD: a bar chart of the groups with the most lines not on time, and the full table."""
    rows = breakdown.filter(pl.col("dimension") == dimension).drop("dimension")
    if rows.is_empty():
        st.info(t("nothing_here"))
        return
    worst = rows.sort(["not_on_time_lines", "value"], descending=[True, False]).head(BREAKDOWN_TOP)
    figure = go.Figure(go.Bar(
        x=[float(rate) * 100 for rate in worst["rate"]], y=worst["value"].fill_null("—").to_list(),
        orientation="h", marker_color="#2E7D32", customdata=worst.select("on_time_lines", "due_lines").rows(),
        text=[f"{on_time}/{due}" for on_time, due in worst.select("on_time_lines", "due_lines").rows()],
        textposition="inside", insidetextanchor="start",
        hovertemplate="%{y}: %{x:.1f}% (%{customdata[0]}/%{customdata[1]})<extra></extra>",
    ))  # fmt: skip
    if headline_rate is not None:
        figure.add_vline(x=headline_rate * 100, line_dash="dash", line_color="#616161")
    figure.update_xaxes(range=[0, 105], ticksuffix=" %", title=t("otd_rate"))
    figure.update_yaxes(autorange="reversed", type="category")
    ui.chart(figure, key=f"otd_by_{dimension}", height=100 + 26 * worst.height)
    table = rows.select(
        pl.col("value").alias(DIMENSIONS[dimension]), pl.col("rate").cast(pl.Float64).alias("on_time_rate"),
        "due_lines", "on_time_lines", "not_on_time_lines",
    )
    ui.table(table, key=f"otd_by_{dimension}_table", column_config=ui.percent_columns("on_time_rate"),
             placeholder="—")  # fmt: skip


filters = current_filters()
st.title(labels("title"))
ui.stop_if_empty(data.has_data())

if filters.date_from and filters.date_to:
    st.caption(labels("caption_range", as_of=filters.as_of, date_from=filters.date_from, date_to=filters.date_to))
else:
    st.caption(labels("caption", as_of=filters.as_of))

# The metric functions `gendan kpi` is made of (the whole kpi report would cost a second more).
otd_row, late, at_risk, book, warning_rows, breakdown = data.together(
    data.request("on_time_delivery", filters),
    data.request("late_order_lines", filters),
    data.request("at_risk_order_lines", filters),
    data.request("order_book", filters),
    data.request("metric_warnings", filters),
    data.request("otd_breakdown", filters),
)
otd = otd_row.row(0, named=True)
ui.tiles(
    [
        ui.Tile(t("otd_rate"), ui.percent(otd["rate"]),
                help=labels("due_lines_help", on_time=otd["on_time_lines"], due=otd["due_lines"])),
        ui.Tile(labels("open_lines"), ui.number(book.height)),
        ui.Tile(t("late_lines"), ui.number(late.height)),
        ui.Tile(t("at_risk_lines"), ui.number(at_risk.height)),
    ]
)
ui.metric_warnings(warning_rows, data.settings().base_currency)

st.subheader(labels("timeline"))
timeline(book, filters.as_of)

st.subheader(labels("late_and_risk"))
late_tab, risk_tab = st.tabs(
    [labels("late_tab", count=late.height), labels("risk_tab", count=at_risk.height)]
)
with late_tab:
    ui.table(
        late.sort(["days_late", "order_no", "line_no"], descending=[True, False, False]).select(
            pl.col("ref").alias("order_line_ref"), "customer_code", "merchandiser", "style_no", "due_date",
            "days_late", "quantity", "shipped_qty", "open_qty", "is_rush",
        ),
        key="late_order_lines",
    )
with risk_tab:
    ui.table(
        at_risk.sort(["due_date", "order_no", "line_no"]).select(
            pl.col("ref").alias("order_line_ref"), "customer_code", "merchandiser", "style_no", "due_date",
            "days_until_due", _translated("risk_reason", RISK_REASONS, "risk_"), "projected_finish", "quantity",
            "packed_qty", "remaining_qty", "window_packed_qty", "is_rush",
        ),
        key="at_risk_order_lines",
        placeholder="—",
    )

st.subheader(labels("otd_by"))
st.caption(
    labels(
        "otd_caption",
        in_range=labels("in_range") if filters.date_from or filters.date_to else "",
        rate=ui.percent(otd["rate"]),
        top=BREAKDOWN_TOP,
    )
)
for tab, dimension in zip(st.tabs([labels(f"by_{dimension}") for dimension in DIMENSIONS]), DIMENSIONS):
    with tab:
        otd_breakdown(breakdown, dimension, otd["rate"])

st.subheader(labels("order_book"))
ui.table(
    book.select(
        pl.col("ref").alias("order_line_ref"), "customer_code", "merchandiser", "style_no", "due_date",
        _translated("line_state", LINE_STATES, "state_"), pl.col("shipped_pct").cast(pl.Float64),
        pl.col("packed_pct").cast(pl.Float64), "projected_finish", "days_behind",
        _translated("risk_reason", RISK_REASONS, "risk_"), "quantity", "shipped_qty", "packed_qty", "is_rush",
    ),
    key="order_book",
    column_config=ui.percent_columns("shipped_pct", "packed_pct", progress=True),
    placeholder="—",
)
