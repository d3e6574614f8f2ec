"""Weekly review: the week's KPIs against last week, what shipped and came in, which lines
went late and why, the chase list at week end, and the whole review as Excel or HTML."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from dashboard import data, ui
from dashboard.filters import current_filters
from dashboard.i18n import Labels, code_label, column_label, language
from dashboard.review_pack import (
    chase_table,
    collections_table,
    file_name,
    headline_label,
    new_late_table,
    review_html,
    review_xlsx,
    shipments_table,
    week_label,
)
from dashboard.review_pack import labels as review_labels
from warehouse.review import Headline, week_start

WEEKS_OFFERED = 26

labels = Labels(
    {
        "week": ("Week", "选择周"),
        "caption": (
            "{week}, as of {as_of}{running}; compared with {previous}, as of {previous_as_of}. "
            "Same numbers as `gendan kpi --as-of {as_of} --from {start} --to {end}`.",
            "{week}，截至 {as_of}{running}；对比 {previous}，截至 {previous_as_of}。"
            "与 `gendan kpi --as-of {as_of} --from {start} --to {end}` 的数字一致。",
        ),
        "running": (" (the week is not over)", "（本周尚未结束）"),
        "range_ignored": (
            "The sidebar's date range does not apply here: the week is the range.",
            "侧边栏的日期范围不用于本页：以所选的周为范围。",
        ),
        "last_week_was": ("Last week: {value}", "上周：{value}"),
        "download_xlsx": ("Download review (Excel)", "下载周复盘（Excel）"),
        "download_html": ("Download review (HTML)", "下载周复盘（HTML）"),
        "new_late_title": ("New late lines: {count}", "新增逾期订单行：{count}"),
        "new_late_help": (
            "Late at this week's end but not at last week's end, with the delay reasons reported "
            "for them in the production daily reports.",
            "本周末逾期、上周末尚未逾期的订单行，以及生产日报中为其填报的延误原因。",
        ),
        "no_new_late": ("No line went late this week.", "本周没有新增逾期订单行。"),
        "by_reason": ("New late lines by delay reason", "新增逾期订单行的延误原因"),
        "lines": ("lines", "行"),
        "chase_title": ("Chase list at week end: {count}", "周末跟进清单：{count}"),
        "shipments_tab": ("Shipments ({count})", "出货（{count}）"),
        "collections_tab": ("Collections ({count})", "收款（{count}）"),
    }
)

filters = current_filters()
lang = language()
st.title(review_labels("title", lang))
ui.stop_if_empty(data.has_data())

weeks = [week_start(filters.as_of) - dt.timedelta(weeks=back) for back in range(WEEKS_OFFERED)]
if st.session_state.get("weekly.week") not in weeks:  # the as-of date moved: back to its week
    st.session_state.pop("weekly.week", None)
picker, excel_column, html_column = st.columns([2, 1, 1], vertical_alignment="bottom")
chosen = picker.selectbox(labels("week"), weeks, format_func=lambda start: week_label(start, lang), key="weekly.week")
review = data.weekly_review(chosen, filters)
excel_column.download_button(
    labels("download_xlsx"),
    partial(review_xlsx, review, lang),
    file_name=file_name(review, "xlsx"),
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
    key="weekly.xlsx",
)
html_column.download_button(
    labels("download_html"),
    partial(review_html, review, lang),
    file_name=file_name(review, "html"),
    mime="text/html",
    icon=":material/download:",
    key="weekly.html",
)
st.caption(
    labels(
        "caption",
        week=week_label(review.week_start, lang),
        as_of=review.as_of.isoformat(),
        running=labels("running") if review.is_running else "",
        previous=week_label(review.previous_start, lang),
        previous_as_of=review.previous_as_of.isoformat(),
        start=review.week_start.isoformat(),
        end=review.week_end.isoformat(),
    )
)
if filters.date_from or filters.date_to:
    st.caption(labels("range_ignored"))
ui.warnings(review.warnings)


def _value(value: float | int | None, kind: str) -> str:
    return ui.percent(value) if kind == "rate" else ui.number(value, 2 if kind == "money" else 0)


def _tile(figure: Headline) -> ui.Tile:
    """This week's figure, its change from last week, and last week's value on hover."""
    if figure.kind == "rate":
        delta = ui.delta_points(figure.current, figure.previous)
    else:
        delta = ui.delta_count(figure.current, figure.previous, 2 if figure.kind == "money" else 0)
    return ui.Tile(
        headline_label(figure, review.base_currency, lang),
        _value(figure.current, figure.kind),
        delta,
        "inverse" if figure.rise_is_bad else "normal",
        help=labels("last_week_was", value=_value(figure.previous, figure.kind)),
    )


st.subheader(review_labels("section_kpis", lang))
ui.tiles([_tile(figure) for figure in review.kpis()])

st.subheader(review_labels("section_flows", lang))
# Shipments on one row, collections on the next: five to a row cut seven-digit money values short.
ui.tiles([_tile(figure) for figure in review.flow_figures()], per_row=3)
if review.unrated_currencies():
    st.warning(
        review_labels("unrated", lang, currencies=", ".join(review.unrated_currencies()), currency=review.base_currency)
    )
money_columns = {
    column_label(name): st.column_config.NumberColumn(format="%,.2f") for name in ("amount", "amount_base")
}
shipments_tab, collections_tab = st.tabs(
    [
        labels("shipments_tab", count=review.shipments.height),
        labels("collections_tab", count=review.collections.height),
    ]
)
with shipments_tab:
    ui.table(shipments_table(review), key=f"weekly_shipments_{review.week_start}", column_config=money_columns)
with collections_tab:
    ui.table(collections_table(review), key=f"weekly_collections_{review.week_start}", column_config=money_columns)

st.subheader(labels("new_late_title", count=review.new_late_lines.height), help=labels("new_late_help"))
if review.new_late_lines.is_empty():
    st.info(labels("no_new_late"))
else:
    ui.table(new_late_table(review, lang), key=f"weekly_new_late_{review.week_start}")
reported = review.new_late_lines["delay_reasons"].to_list()
if any(reported):
    with st.columns(2)[0]:
        # A line counts once under every reason reported for it (or under "no reason reported").
        counted = Counter(code for codes in reported for code in codes or [None])
        ranked = sorted(counted.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
        no_reason = review_labels("not_reported", lang).capitalize()
        names = [no_reason if code is None else code_label(code) for code, _ in ranked]
        bars = go.Figure(go.Bar(x=[count for _, count in ranked], y=names, orientation="h", marker_color="#C62828"))
        bars.update_yaxes(autorange="reversed", automargin=True)
        bars.update_xaxes(title=labels("lines"), dtick=1 if ranked[0][1] <= 10 else None)  # whole lines
        ui.chart(bars.update_layout(title=labels("by_reason")), key="weekly_by_reason",
                 height=max(220, 40 * len(ranked) + 100))  # fmt: skip

chase = chase_table(review, lang)
st.subheader(labels("chase_title", count=chase.height))
# a fixed width for the reason keeps every column on a laptop screen (the full text shows on hover)
ui.table(chase, key=f"weekly_chase_{review.week_start}",
         column_config={column_label("reason"): st.column_config.TextColumn(width=320)})  # fmt: skip
