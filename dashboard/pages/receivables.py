"""Receivables: unpaid invoices with days past due, ageing buckets with their invoices, and by customer."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import data, forms, ui
from dashboard.filters import current_filters
from dashboard.i18n import Labels, t

labels = Labels(
    {
        "title": ("Receivables", "应收账款"),
        "caption": (
            "As of {as_of}. Totals in the base currency ({base}); an invoice's outstanding is in its own currency.",
            "截至 {as_of}。合计为本币（{base}）；发票的未收金额为发票币种。",
        ),
        "unpaid_total": ("Unpaid ({base})", "未收合计（{base}）"),
        "past_due_total": ("Past due ({base})", "逾期未收（{base}）"),
        "unpaid_invoices": ("Unpaid invoices", "未收发票"),
        "past_due_invoices": ("Invoices past due", "逾期发票"),
        "ageing": ("Ageing ({base})", "账龄（{base}）"),
        "invoices_help": ("{count} invoices", "{count} 张发票"),
        "bucket": ("Show the invoices of", "查看账龄段"),
        "click_hint": (
            "Click a bar or choose a bucket to list its invoices; click the chosen bucket again for all.",
            "点击柱形或选择账龄段查看其发票；再次点击已选账龄段显示全部。",
        ),
        "invoices_all": ("Unpaid invoices, most past due first", "未收发票（逾期最久在前）"),
        "invoices_in": ("Invoices: {bucket}", "账龄 {bucket} 的发票"),
        "by_customer": ("Outstanding by customer ({base})", "各客户未收金额（{base}）"),
        "largest_customers": (
            "The {count} customers owing most; the table lists every customer.",
            "图中为未收金额最多的 {count} 个客户；表格列出全部客户。",
        ),
        "act_on": ("Payments, notes and history of invoice", "发票的收款、跟进备注和修改记录"),
        "invoice_choice": ("{invoice} · {customer} · {currency} {outstanding:,.2f} · {when}",
                           "{invoice} · {customer} · {currency} {outstanding:,.2f} · {when}"),
        "past_due_days": ("{days} days past due", "逾期 {days} 天"),
        "due_on": ("due {date}", "{date} 到期"),
    }
)

BUCKETS = ("not_due", "1-30", "31-60", "61-90", "90+")
BUCKET_COLORS = dict(zip(BUCKETS, ("#66BB6A", "#FFCA28", "#FFA726", "#F4511E", "#B71C1C"), strict=True))
UNCHOSEN_COLOR = "#D5D5D5"
SELECTED_BUCKET = "receivables.bucket"
AGEING_CHART = "receivables.ageing_chart"
CHART_CUSTOMERS = 15


def _bucket_label(bucket: str) -> str:
    return t(f"bucket_{bucket}")


def _select_clicked_bucket() -> None:
    """A click on the ageing chart chooses that bucket in the selector."""
    points = st.session_state[AGEING_CHART]["selection"]["points"]
    if points:
        st.session_state[SELECTED_BUCKET] = BUCKETS[points[0]["point_index"]]


def _invoice_choice(invoice: dict) -> str:
    """How an invoice reads in the chooser: number, customer, what is owed and how late."""
    days = invoice["days_past_due"]
    when = (labels("past_due_days", days=days) if days is not None and days > 0
            else labels("due_on", date=invoice["due_date"]))  # fmt: skip
    return labels(
        "invoice_choice",
        invoice=invoice["invoice_no"],
        customer=invoice["customer_code"],
        currency=invoice["currency"],
        outstanding=invoice["outstanding"],
        when=when,
    )


filters = current_filters()
st.title(labels("title"))
ui.stop_if_empty(data.has_data())

base = data.base_currency()
ageing_rows, unpaid, warning_rows, by_customer = data.together(
    data.request("receivables_ageing", filters),
    data.request("unpaid_invoices", filters),
    data.request("metric_warnings", filters),
    data.request("receivables_by_customer", filters),
)
ageing = {bucket: float(total) for bucket, total in ageing_rows.select("bucket", "outstanding_base").iter_rows()}
counts = dict(ageing_rows.select("bucket", "invoices").iter_rows())
st.caption(labels("caption", as_of=filters.as_of.isoformat(), base=base))
ui.metric_warnings(warning_rows, base)

ui.tiles(
    [
        ui.Tile(labels("unpaid_total", base=base), ui.number(sum(ageing.values()), 2)),
        ui.Tile(labels("past_due_total", base=base),
                ui.number(sum(value for bucket, value in ageing.items() if bucket != "not_due"), 2)),
        ui.Tile(labels("unpaid_invoices"), ui.number(unpaid.height)),
        ui.Tile(labels("past_due_invoices"),
                ui.number(unpaid.filter(pl.col("days_past_due") > 0).height)),
    ]
)  # fmt: skip

# --- ageing: tiles and a clickable bar chart, then the invoices of the chosen bucket ---
st.subheader(labels("ageing", base=base))
chosen = st.session_state.get(SELECTED_BUCKET)
bars = go.Figure(
    go.Bar(
        x=[_bucket_label(bucket) for bucket in BUCKETS],
        y=[ageing[bucket] for bucket in BUCKETS],
        # the chosen bucket stands out; the others turn grey (marker_opacity with text labels stops click events)
        marker_color=[BUCKET_COLORS[bucket] if chosen in (None, bucket) else UNCHOSEN_COLOR for bucket in BUCKETS],
        text=[ui.number(ageing[bucket], 0) for bucket in BUCKETS],
        textposition="outside",
        textfont_size=13,
        cliponaxis=False,
        customdata=[counts[bucket] for bucket in BUCKETS],
        hovertemplate="%{x}: %{y:,.2f} " + base + " (%{customdata})<extra></extra>",
    )
)
bars.update_yaxes(tickformat=",.0f")
tiles_column, chart_column = st.columns(2)
with tiles_column:
    ui.tiles(
        [
            ui.Tile(_bucket_label(bucket), ui.number(ageing[bucket], 2),
                    help=labels("invoices_help", count=counts[bucket]))
            for bucket in BUCKETS
        ],
        per_row=2,
    )  # fmt: skip
with chart_column:
    ui.chart(bars, key=AGEING_CHART, height=320, on_select=_select_clicked_bucket)

bucket = st.segmented_control(
    labels("bucket"),
    BUCKETS,
    format_func=lambda value: f"{_bucket_label(value)} ({counts[value]})",
    key=SELECTED_BUCKET,
)
st.caption(labels("click_hint"))
invoices = unpaid.sort(["days_past_due", "invoice_no"], descending=[True, False])
if bucket is not None:
    invoices = invoices.filter(pl.col("bucket") == bucket)
st.markdown(f"**{labels('invoices_in', bucket=_bucket_label(bucket)) if bucket else labels('invoices_all')}**")
ui.table(
    # what a chaser reads first on the left; the rest scrolls
    invoices.select(
        "invoice_no", "customer_code", "days_past_due",
        pl.col("bucket").replace({code: _bucket_label(code) for code in BUCKETS}),
        "currency", "outstanding", "outstanding_base", pl.col("due_date").alias("payment_due_date"),
        "invoice_date", "amount", "paid_amount", "merchandiser",
    ),
    key="receivables_invoices",
    height=320,
    column_config=ui.money_columns("outstanding", "outstanding_base", "amount", "paid_amount"),
)  # fmt: skip

# --- payment, follow-up note and history of one invoice of the list (the forms show to editors only) ---
if not invoices.is_empty():
    # the invoices the table shows: a choice among a hundred thousand would take seconds to send
    choices = {row["invoice_no"]: row for row in invoices.head(ui.TABLE_ROWS).iter_rows(named=True)}
    invoice_no = st.selectbox(
        labels("act_on"),
        list(choices),
        format_func=lambda number: _invoice_choice(choices[number]),
        key="receivables.invoice",
    )
    payment_column, note_column = st.columns(2)
    with payment_column:
        forms.payment_form(invoice_no)
    with note_column:
        forms.follow_up_form("invoice", invoice_no)
    forms.record_history("invoice", invoice_no)

# --- by customer and bucket ---
st.subheader(labels("by_customer", base=base))
if by_customer.is_empty():
    st.info(t("nothing_here"))
else:
    # the largest customers in the chart (the rest are slivers); every customer in the table
    largest = by_customer["customer_code"].unique(maintain_order=True).head(CHART_CUSTOMERS).to_list()
    stacked = go.Figure()
    for bucket in BUCKETS:
        rows = by_customer.filter((pl.col("bucket") == bucket) & pl.col("customer_code").is_in(largest))
        stacked.add_bar(
            y=rows["customer_code"].to_list(),
            x=rows["outstanding_base"].to_list(),
            orientation="h",
            name=_bucket_label(bucket),
            marker_color=BUCKET_COLORS[bucket],
            customdata=rows.select("customer_name", "invoices").rows(),
            hovertemplate="%{y} %{customdata[0]}<br>" + _bucket_label(bucket)
            + ": %{x:,.2f} " + base + " (%{customdata[1]})<extra></extra>",
        )  # fmt: skip
    stacked.update_layout(barmode="stack")
    stacked.update_yaxes(categoryorder="array", categoryarray=largest, autorange="reversed")
    stacked.update_xaxes(tickformat=",.0f")
    ui.chart(stacked, key="receivables_by_customer", height=26 * len(largest) + 100)
    st.caption(labels("largest_customers", count=len(largest)))
    per_customer = by_customer.pivot(
        on="bucket", index=["customer_code", "customer_name", "customer_outstanding_base"], values="outstanding_base"
    )
    ui.table(
        per_customer.select(
            "customer_code", "customer_name",
            # a customer with nothing in a bucket owes 0 there
            *[pl.col(bucket).fill_null(0) if bucket in per_customer.columns else pl.lit(0).alias(bucket)
              for bucket in BUCKETS],
            "customer_outstanding_base",
        ),
        key="receivables_by_customer_table",
        column_config=ui.money_columns(*BUCKETS, "customer_outstanding_base"),
    )  # fmt: skip
