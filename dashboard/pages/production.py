"""Production: output against plan by workshop and process, attainment and defect trends, delay reasons."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from plotly.colors import qualitative

from dashboard import data, forms, ui
from dashboard.auth_ui import current_actor
from dashboard.filters import current_filters
from dashboard.i18n import Labels, code_label, column_label, t
from etl.contract import DELAY_REASON_CODES, PROCESS_CODES
from gendan.records import Role

labels = Labels(
    {
        "title": ("Production", "生产"),
        "caption": (
            "Period {period} (a date range in the sidebar chooses another); changes compare with {previous}.",
            "统计期间 {period}（可在侧边栏选择日期范围）；变化与 {previous} 相比。",
        ),
        "output_qty": ("Output (all processes)", "产量（全部工序）"),
        "delay_reports": ("Reports with a delay reason", "有延误原因的日报"),
        "attainment_help": (
            "Output ÷ plan over the reports with a plan in the period.",
            "期间内有计划数量的日报：产量 ÷ 计划数量。",
        ),
        "defect_help": ("Defects ÷ (output + defects) in the period.", "期间内：次品 ÷（产量 + 次品）。"),
        "by_day": ("Output against plan per day", "每日产量与计划"),
        "process": ("Process", "工序"),
        "plan_outline": ("Plan (outline)", "计划（空心框）"),
        "qty": ("Quantity", "数量"),
        "by_workshop": ("By workshop and process, whole period", "按车间和工序（整个期间）"),
        "trends": ("Plan attainment and defect rate", "计划达成率与次品率趋势"),
        "grain": ("Each point", "每个点"),
        "grain_week": ("Week (Mon–Sun)", "周（周一至周日）"),
        "grain_day": ("Day", "日"),
        "trend_caption": (
            "Each point is the headline figure over that day or week: the last 12 weeks, or the date "
            "range.",
            "每个点都是该日或该周的指标值（与上方指标同一口径）：最近 12 周，或所选日期范围。",
        ),
        "pareto": ("Delay reasons (Pareto)", "延误原因（帕累托）"),
        "measure": ("Measure", "统计口径"),
        "cumulative": ("Cumulative %", "累计占比"),
        "no_delays": ("No report gives a delay reason in this period.", "该期间没有填写延误原因的日报。"),
        "report_form": ("Enter a production daily report", "录入生产日报"),
    }
)

WORKSHOP_COLORS = qualitative.Set2


def _float(value) -> float | None:
    return None if value is None else float(value)


def _as_percent(rate) -> float | None:
    """A fraction (Decimal 0.8860) as a chart value in percent (88.6)."""
    return None if rate is None else float(rate) * 100


def _period(row: dict) -> str:
    """A production_summary row's period, e.g. "2026-11-14 – 2026-11-20"."""
    start = row["period_from"].isoformat() if row["period_from"] else "…"
    return f"{start} – {row['period_to'].isoformat()}"


def _with_float_rates(frame: pl.DataFrame, *names: str) -> pl.DataFrame:
    """Decimal rates as floats, so the table can format them as percentages."""
    return frame.with_columns(pl.col(name).cast(pl.Float64) for name in names)


filters = current_filters()
st.title(labels("title"))
ui.stop_if_empty(data.has_data())

previous_filters = data.previous_period(filters)
summary = data.frame("production_summary", filters).row(0, named=True)
before = data.frame("production_summary", previous_filters).row(0, named=True)
pareto = data.frame("delay_reason_pareto", filters)
delay_reports_before = data.frame("delay_reason_pareto", previous_filters)["reports"].sum()


st.caption(labels("caption", period=_period(summary), previous=_period(before)))
attainment, defects = _float(summary["plan_attainment"]), _float(summary["defect_rate"])
ui.tiles(
    [
        ui.Tile(t("plan_attainment"), ui.percent(attainment),
                ui.delta_points(attainment, _float(before["plan_attainment"])), help=labels("attainment_help")),
        ui.Tile(t("defect_rate"), ui.percent(defects),
                ui.delta_points(defects, _float(before["defect_rate"])), "inverse", help=labels("defect_help")),
        ui.Tile(labels("output_qty"), ui.number(summary["output_qty"]),
                ui.delta_count(summary["output_qty"], before["output_qty"])),
        ui.Tile(labels("delay_reports"), ui.number(pareto["reports"].sum()),
                ui.delta_count(pareto["reports"].sum(), delay_reports_before), "inverse"),
    ]
)

# --- output against plan, per day, for one process ---
st.subheader(labels("by_day"))
by_day = data.frame("production_by_day", filters)
processes = [code for code in PROCESS_CODES if code in set(by_day["process"])]
if not processes:
    st.info(t("nothing_here"))
else:
    # sewing sets the pace of a garment line: the process a merchandiser looks at first
    process = st.segmented_control(
        labels("process"),
        processes,
        default="sewing" if "sewing" in processes else processes[0],
        required=True,
        format_func=code_label,
        key="production.process",
    )
    shown = by_day.filter(pl.col("process") == process)
    figure = go.Figure()
    for index, (workshop,) in enumerate(shown.select("workshop").unique(maintain_order=True).iter_rows()):
        rows = shown.filter(pl.col("workshop") == workshop)
        color = WORKSHOP_COLORS[index % len(WORKSHOP_COLORS)]
        days = rows["report_date"].to_list()
        # Output filled and plan as an outline in the same slot: a shortfall shows as the empty part.
        figure.add_bar(
            x=days, y=rows["output_qty"].to_list(), name=workshop, offsetgroup=workshop,
            marker_color=color,
            customdata=[[_as_percent(rate)] for rate in rows["plan_attainment"].to_list()],
            hovertemplate=f"{workshop} %{{x|%m-%d}}<br>{column_label('output_qty')}: %{{y:,}}"
            f"<br>{t('plan_attainment')}: %{{customdata[0]:.1f}}%<extra></extra>",
        )  # fmt: skip
        figure.add_bar(
            x=days, y=rows["planned_qty"].to_list(), name=labels("plan_outline"), offsetgroup=workshop,
            marker={"color": "rgba(0,0,0,0)", "line": {"color": "#424242", "width": 1.5}},
            legendgroup="plan", showlegend=index == 0,
            hovertemplate=f"{workshop} %{{x|%m-%d}}<br>{column_label('planned_qty')}: %{{y:,}}<extra></extra>",
        )  # fmt: skip
    figure.update_layout(barmode="group", bargap=0.25)
    figure.update_xaxes(tickformat="%m-%d", dtick=86_400_000)
    figure.update_yaxes(title=labels("qty"), tickformat=",")
    ui.chart(figure, key="production_by_day")

st.subheader(labels("by_workshop"))
by_workshop = _with_float_rates(data.frame("production_by_workshop", filters), "plan_attainment", "defect_rate")
ui.table(
    by_workshop.with_columns(pl.col("process").replace({code: code_label(code) for code in PROCESS_CODES})),
    key="production_by_workshop",
    column_config=ui.percent_columns("plan_attainment", "defect_rate"),
)

# --- trends: each point = the headline figure over that day / week ---
st.subheader(labels("trends"))
grain = st.segmented_control(
    labels("grain"),
    ["week", "day"],
    default="week",
    required=True,
    format_func=lambda value: labels(f"grain_{value}"),
    key="production.grain",
)
st.caption(labels("trend_caption"))
trend = data.frame("production_trend", filters, grain=grain, weeks=12)
points = trend["point_from"].to_list()
left, right = st.columns(2)
for column, rate, name, color in (
    (left, "plan_attainment", t("plan_attainment"), "#1565C0"),
    (right, "defect_rate", t("defect_rate"), "#C62828"),
):
    line = go.Figure(
        go.Scatter(
            x=points,
            y=[_as_percent(value) for value in trend[rate].to_list()],
            customdata=trend["point_to"].to_list(),
            mode="lines+markers",
            line_color=color,
            connectgaps=False,
            hovertemplate="%{x|%Y-%m-%d} – %{customdata|%m-%d}: %{y:.1f}%<extra></extra>",
        )
    )
    if rate == "plan_attainment":
        # the plan is the reference: 100 % stays in view, the axis zooms on the attainment's range
        line.add_hline(y=100, line_dash="dot", line_color="#9E9E9E")
        line.update_yaxes(ticksuffix=" %")
    else:
        line.update_yaxes(ticksuffix=" %", rangemode="tozero")
    line.update_xaxes(tickformat="%m-%d")
    with column:
        ui.chart(line.update_layout(title=name), key=f"production_trend_{rate}", height=300)

# --- Pareto of delay reasons ---
st.subheader(labels("pareto"))
if pareto.is_empty():
    st.info(labels("no_delays"))
else:
    measure = st.segmented_control(
        labels("measure"),
        ["reports", "lost_qty"],
        default="reports",
        required=True,
        format_func=column_label,
        key="production.pareto_measure",
    )
    cumulative = "reports_cumulative_share" if measure == "reports" else "lost_cumulative_share"
    ranked = pareto.sort([measure, "delay_reason"], descending=[True, False])
    reasons = [code_label(code) for code in ranked["delay_reason"].to_list()]
    bars = go.Figure()
    bars.add_bar(x=reasons, y=ranked[measure].to_list(), name=column_label(measure), marker_color="#EF6C00")
    bars.add_scatter(
        x=reasons,
        y=[_as_percent(share) for share in ranked[cumulative].to_list()],
        name=labels("cumulative"),
        yaxis="y2",
        mode="lines+markers",
        line_color="#37474F",
        hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
    )
    bars.update_layout(
        yaxis={"title": column_label(measure), "tickformat": ","},
        yaxis2={"overlaying": "y", "side": "right", "range": [0, 105], "tickmode": "linear", "dtick": 20,
                "ticksuffix": " %", "showgrid": False},
    )
    ui.chart(bars, key="production_pareto")
    ui.table(
        _with_float_rates(ranked, "reports_cumulative_share", "lost_cumulative_share").with_columns(
            pl.col("delay_reason").replace({code: code_label(code) for code in DELAY_REASON_CODES})
        ),
        key="production_delay_reasons",
        column_config=ui.percent_columns("reports_cumulative_share", "lost_cumulative_share"),
    )

actor = current_actor()
if actor is not None and actor.can(Role.EDITOR):
    with st.expander(labels("report_form")):
        forms.production_report_form()
