"""Customers: ordering patterns, reorder rhythm and quiet customers, ABC classes, revenue trend, top styles."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import data, forms, ui
from dashboard.filters import current_filters
from dashboard.i18n import Labels, column_label, t

labels = Labels(
    {
        "title": ("Customers", "客户"),
        "caption": (
            "As of {as_of}. Revenue in the base currency ({base}); classes and reorder rhythm from all orders "
            "up to {as_of}; monthly charts and top styles cover {span}.",
            "截至 {as_of}。销售额为本币（{base}）；ABC 分类和下单节奏按截至 {as_of} 的全部订单计算；"
            "月度图表和热销款覆盖 {span}。",
        ),
        "last_12_months": ("the 12 months up to {as_of}", "截至 {as_of} 的 12 个月"),
        "customers": ("Customers", "客户数"),
        "quiet_customers": ("Quiet customers", "沉寂客户"),
        "quiet_help": (
            "No order for more than 1.5 × their median reorder interval.",
            "距上次下单已超过其下单间隔中位数的 1.5 倍。",
        ),
        "revenue": ("Revenue 12 m ({base})", "近12月销售额（{base}）"),
        "class_a": ("Class A customers", "A 类客户"),
        "class_a_help": (
            "Customers holding the first 80 % of 12-month revenue.",
            "占近12月销售额前 80% 的客户。",
        ),
        "quiet_list": (
            "Quiet customers: {customers}. Their usual reorder interval has passed 1.5 times over.",
            "沉寂客户：{customers}。距上次下单已超过其通常下单间隔的 1.5 倍。",
        ),
        "orders_per_month": ("Orders per month", "每月订单数"),
        "rhythm": ("Reorder rhythm: last order → expected next", "下单节奏：最近下单 → 预计下次下单"),
        "last_order": ("Last order", "最近下单"),
        "expected_next": ("Expected next order", "预计下次下单"),
        "rhythm_caption": (
            "Diamond: expected next order (last order + median interval); red: quiet; dotted line: the as-of date.",
            "菱形：预计下次下单（最近下单 + 间隔中位数）；红色：沉寂；虚线：截至日期。",
        ),
        "revenue_trend": ("Revenue per month by ABC class ({base})", "按 ABC 分类的月度销售额（{base}）"),
        "abc_chart": ("12-month revenue by customer ({base})", "各客户近12月销售额（{base}）"),
        "class": ("Class {abc}", "{abc} 类"),
        "top_styles": ("Top styles", "热销款"),
        "measure": ("Rank by", "排序依据"),
        "shown_top": (
            "The {count} largest; the table lists every style.",
            "图中为前 {count} 个款；表格列出全部款号。",
        ),
        "all_customers": ("All customers, quiet ones first", "全部客户（沉寂客户在前）"),
        "note_on": ("Follow-up notes and history of customer", "客户跟进备注和修改记录"),
        "orders_hover": ("orders", "个订单"),
    }
)

ABC_COLORS = {"A": "#1565C0", "B": "#64B5F6", "C": "#CFD8DC"}
TOP_STYLES = 15
QUIET_COLOR, ACTIVE_COLOR = "#C62828", "#2E7D32"

filters = current_filters()
st.title(labels("title"))
ui.stop_if_empty(data.has_data())

base = data.base_currency()
figures, warning_rows = data.together(
    data.request("customer_figures", filters), data.request("metric_warnings", filters)
)
activity = figures.activity
as_of = filters.as_of.isoformat()
span = (
    f"{filters.date_from.isoformat()} – {min(filters.date_to, filters.as_of).isoformat()}"
    if filters.date_from and filters.date_to
    else labels("last_12_months", as_of=as_of)
)
st.caption(labels("caption", as_of=as_of, base=base, span=span))
ui.metric_warnings(warning_rows, base)

quiet = activity.filter(pl.col("quiet"))["customer_code"].to_list()
ui.tiles(
    [
        ui.Tile(labels("customers"), ui.number(activity.height)),
        ui.Tile(labels("quiet_customers"), ui.number(len(quiet)), help=labels("quiet_help")),
        ui.Tile(labels("revenue", base=base), ui.number(float(activity["revenue_12m_base"].sum()), 2)),
        ui.Tile(labels("class_a"), ui.number(activity.filter(pl.col("abc") == "A").height),
                help=labels("class_a_help")),
    ]
)  # fmt: skip
if quiet:
    st.warning(labels("quiet_list", customers=", ".join(quiet)))

if activity.is_empty():
    st.info(t("nothing_here"))
    st.stop()

# Largest customers on top in every per-customer chart, so the rows line up.
ranked = activity.sort(["revenue_12m_base", "customer_code"], descending=[True, False])
codes = ranked["customer_code"].to_list()
row_labels = [f"{code} · {abc}" for code, abc in ranked.select("customer_code", "abc").iter_rows()]
row_label = dict(zip(codes, row_labels, strict=True))
rows_height = max(320, 22 * len(codes) + 90)

# --- orders per month (heatmap) and reorder rhythm, one row per customer ---
monthly = figures.monthly
months = monthly["month"].unique().sort().to_list()
orders = monthly.pivot(on="month", index="customer_code", values="orders", sort_columns=True)
orders = pl.DataFrame({"customer_code": codes}).join(orders, on="customer_code", how="left")
month_labels = [month.strftime("%Y-%m") for month in months]
heatmap_column, rhythm_column = st.columns([3, 2])
with heatmap_column:
    st.markdown(f"**{labels('orders_per_month')}**")
    heatmap = go.Figure(
        go.Heatmap(
            z=orders.drop("customer_code").rows(),
            x=month_labels,
            y=row_labels,
            colorscale="Blues",
            texttemplate="%{z}",
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate="%{y} %{x}: %{z} " + labels("orders_hover") + "<extra></extra>",
        )
    )
    heatmap.update_yaxes(autorange="reversed", type="category")
    # the year only where it changes, so the months fit without turning the labels
    short = [f"{month:%m}<br>{month:%Y}" if index == 0 or month.month == 1 else f"{month:%m}"
             for index, month in enumerate(months)]  # fmt: skip
    heatmap.update_xaxes(type="category", side="top", tickvals=month_labels, ticktext=short, tickangle=0)
    ui.chart(heatmap, key="customers_orders_per_month", height=rows_height)
with rhythm_column:
    st.markdown(f"**{labels('rhythm')}**")
    rhythm = go.Figure()
    for is_quiet, color in ((False, ACTIVE_COLOR), (True, QUIET_COLOR)):
        group = ranked.filter(pl.col("quiet") == is_quiet)
        # a segment per customer from the last order to the expected next one (None breaks the line)
        xs, ys = [], []
        for last, expected, code in group.select("last_order_date", "expected_next_order_date", "customer_code").rows():
            xs += [last, expected or last, None]
            ys += [row_label[code]] * 2 + [None]
        rhythm.add_scatter(x=xs, y=ys, mode="lines", line={"color": color, "width": 3}, showlegend=False,
                           hoverinfo="skip")  # fmt: skip
        rhythm.add_scatter(
            x=group["expected_next_order_date"].to_list(),
            y=[row_label[code] for code in group["customer_code"]],
            mode="markers",
            marker={"color": color, "size": 9, "symbol": "diamond"},
            showlegend=False,
            customdata=group.select("last_order_date", "median_interval_days").rows(),
            hovertemplate="%{y}<br>" + labels("last_order") + ": %{customdata[0]|%Y-%m-%d}<br>"
            + labels("expected_next") + ": %{x|%Y-%m-%d}<br>" + column_label("median_interval_days")
            + ": %{customdata[1]}<extra></extra>",
        )  # fmt: skip
    rhythm.add_vline(x=filters.as_of.isoformat(), line_dash="dot", line_color="#616161")
    rhythm.update_yaxes(categoryorder="array", categoryarray=row_labels, autorange="reversed", type="category")
    # months on top, as in the heatmap, so that the rows of the two charts line up
    rhythm.update_xaxes(tickformat="%Y-%m", side="top")
    ui.chart(rhythm, key="customers_rhythm", height=rows_height)
    st.caption(labels("rhythm_caption"))

# --- revenue: monthly trend by class, and 12-month revenue per customer ---
trend_column, abc_column = st.columns(2)
with trend_column:
    st.markdown(f"**{labels('revenue_trend', base=base)}**")
    by_class = monthly.group_by("month", "abc").agg(pl.col("revenue_base").sum()).sort("month")
    trend = go.Figure()
    for abc, color in ABC_COLORS.items():
        rows = by_class.filter(pl.col("abc") == abc)
        trend.add_bar(x=rows["month"].to_list(), y=rows["revenue_base"].to_list(), name=labels("class", abc=abc),
                      marker_color=color, hovertemplate="%{x|%Y-%m}: %{y:,.0f}<extra></extra>")  # fmt: skip
    trend.update_layout(barmode="stack", legend_traceorder="normal")
    trend.update_xaxes(tickformat="%Y-%m", dtick="M1")
    trend.update_yaxes(tickformat=",.0f")
    ui.chart(trend, key="customers_revenue_trend")
with abc_column:
    st.markdown(f"**{labels('abc_chart', base=base)}**")
    revenue = go.Figure()
    for abc, color in ABC_COLORS.items():
        rows = ranked.filter(pl.col("abc") == abc)
        revenue.add_bar(x=rows["customer_code"].to_list(), y=rows["revenue_12m_base"].to_list(),
                        name=labels("class", abc=abc), marker_color=color,
                        customdata=rows["customer_name"].to_list(),
                        hovertemplate="%{x} %{customdata}: %{y:,.0f}<extra></extra>")  # fmt: skip
    revenue.update_xaxes(categoryorder="array", categoryarray=codes, tickangle=-60)
    revenue.update_yaxes(tickformat=",.0f")
    ui.chart(revenue, key="customers_abc")

# --- top styles ---
st.subheader(labels("top_styles"))
styles = figures.top_styles
if styles.is_empty():
    st.info(t("nothing_here"))
else:
    measure = st.segmented_control(
        labels("measure"),
        ["revenue_base", "quantity"],
        default="revenue_base",
        required=True,
        format_func=column_label,
        key="customers.style_measure",
    )
    top = styles.sort([measure, "style_no"], descending=[True, False]).head(TOP_STYLES)
    bars = go.Figure(
        go.Bar(
            x=top[measure].to_list(),
            y=[f"{style} · {description}" for style, description in top.select("style_no", "description").rows()],
            orientation="h",
            marker_color="#5E35B1",
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    bars.update_yaxes(autorange="reversed")
    bars.update_xaxes(tickformat=",.0f", title=column_label(measure))
    ui.chart(bars, key="customers_top_styles", height=26 * TOP_STYLES + 80)
    st.caption(labels("shown_top", count=TOP_STYLES))
    ui.table(styles, key="customers_styles", height=320, column_config=ui.money_columns("revenue_base"))

# --- every customer, quiet ones first ---
st.subheader(labels("all_customers"))
listed = activity.sort(["quiet", "revenue_12m_base", "customer_code"], descending=[True, True, False])
ui.table(
    listed.select(
        # the reorder rhythm first; the rest scrolls
        "customer_code", "customer_name", "abc", "quiet", "last_order_date", "expected_next_order_date",
        "median_interval_days", "days_since_last_order", "orders", "revenue_12m_base", "first_order_date",
        "merchandiser",
    ),
    key="customers_activity",
    column_config=ui.money_columns("revenue_12m_base"),
)  # fmt: skip

# --- follow-up notes on one customer (the form shows to editors only) ---
# in the table's order: the quiet customers, worth a call, come first
names = dict(listed.select("customer_code", "customer_name").iter_rows())
code = st.selectbox(
    labels("note_on"),
    list(names),
    format_func=lambda value: f"{value} · {names[value]}",
    key="customers.note_customer",
)
forms.follow_up_form("customer", code)
forms.record_history("customer", code)
