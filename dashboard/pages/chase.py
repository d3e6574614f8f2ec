"""Chase today: what to chase, grouped by kind, most urgent first; each row opens its record.

Built for a phone (merchandisers walk the workshops): one collapsed row per item with
its reason in plain words; a row's details, forms and history load only when opened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import polars as pl
import streamlit as st

from dashboard import data, forms, ui
from dashboard.auth_ui import current_actor
from dashboard.filters import current_filters
from dashboard.i18n import Labels, chase_reasons, column_label, language, quantity_text, t
from etl.contract import PRIORITY_CODES
from gendan.records import Role

labels = Labels(
    {
        "title": ("Chase today", "今日跟进"),
        "caption": (
            "As of {as_of} · merchandiser: {who} (choose in the sidebar) · {count} to chase",
            "截至 {as_of} · 跟单员：{who}（在侧边栏选择）· 共 {count} 项",
        ),
        "nothing_of_kind": ("Nothing of this kind to chase today.", "今天没有这类事项需要跟进。"),
        "not_found": ("This record is no longer in the data.", "数据中已找不到这条记录。"),
        "whole_list": ("Whole list as a table (download)", "完整清单表格（可下载）"),
        "showing": ("The {shown} most urgent of {total}; the whole list is in the table at the end.",
                    "最紧急的 {shown} 条，共 {total} 条；完整清单见页末表格。"),
        "show_more": ("Show {count} more", "再显示 {count} 条"),
        "note_ref": ("Note #{id}", "备注 #{id}"),
        "add_note": ("Follow-up note", "跟进备注"),
        "change_line": ("Change line", "修改订单行"),
        "record_receipt": ("Goods receipt", "收货"),
        "record_payment": ("Payment", "收款"),
        "subject": ("About", "跟进对象"),
        "next_chase_date": ("Chase on", "跟进日期"),
        "note": ("Note", "备注"),
        "fact": ("{label}: **{value}**", "{label}：**{value}**"),
        "paid_amount": ("Paid", "已收金额"),
    }
)

KINDS = ("order_line", "po_line", "invoice", "follow_up")
REASON_ICONS = {
    "late": ":material/schedule:",
    "at_risk_stalled": ":material/pause_circle:",
    "at_risk_behind": ":material/trending_down:",
    "at_risk_not_started": ":material/hourglass_empty:",
    "po_overdue": ":material/local_shipping:",
    "po_due_soon": ":material/event:",
    "invoice_past_due": ":material/payments:",
    "follow_up": ":material/edit_note:",
}
def _shown_ref() -> pl.Expr:
    """A chase row's reference as shown: a follow-up note's id as "Note #12"."""
    return pl.when(pl.col("kind") == "follow_up").then(pl.format(labels("note_ref", id="{}"), "ref")).otherwise("ref")


def _value_text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return quantity_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _facts(record: dict, names: tuple[str, ...]) -> None:
    """A record's fields as short "label: value" lines (narrow enough for a phone)."""
    lines = []
    for name in names:
        try:
            label = labels(name)
        except KeyError:
            label = column_label(name)
        lines.append(labels("fact", label=label, value=_value_text(record[name])))
    st.markdown("  \n".join(lines))


def _record(kind: str, ref: str) -> dict | None:
    """The record behind a chase row (its order line, PO line or invoice), None when it is gone."""
    return data.call("chase_record", kind=kind, ref=ref, **current_filters().as_params())


def _actions(*popovers: tuple[str, str, Callable[[], None]]) -> None:
    """Forms behind buttons (popovers), editors only: a collapsed row stays one line on a phone."""
    actor = current_actor()
    if actor is None or not actor.can(Role.EDITOR):
        return
    with st.container(horizontal=True):
        for label, icon, draw in popovers:
            with st.popover(label, icon=icon):
                draw()


def _open_order_line(row: dict) -> None:
    line = _record("order_line", row["ref"])
    if line is None:
        st.info(labels("not_found"))
        return
    priority = PRIORITY_CODES[line["priority"]] if language() == "zh" else line["priority"]
    _facts({**line, "priority": priority}, ("customer_code", "customer_name", "merchandiser", "style_no",
           "description", "priority", "due_date", "quantity", "shipped_qty", "packed_qty", "projected_finish"))  # fmt: skip
    _actions(
        (labels("change_line"), ":material/edit_calendar:", lambda: forms.order_line_form(row["ref"])),
        (labels("add_note"), ":material/edit_note:", lambda: forms.follow_up_form("order_line", row["ref"])),
    )
    forms.record_history("order_line", row["ref"])


def _open_po_line(row: dict) -> None:
    po_line = _record("po_line", row["ref"])
    if po_line is None:
        st.info(labels("not_found"))
        return
    _facts(po_line, ("supplier", "material", "order_no", "customer_code", "merchandiser", "promised_date",
                     "quantity", "received_qty", "open_qty", "unit"))  # fmt: skip
    _actions(
        (labels("record_receipt"), ":material/inventory:", lambda: forms.receipt_form(row["ref"])),
        (labels("add_note"), ":material/edit_note:", lambda: forms.follow_up_form("po_line", row["ref"])),
    )
    forms.record_history("po_line", row["ref"])


def _open_invoice(row: dict) -> None:
    invoice = _record("invoice", row["ref"])
    if invoice is None:
        st.info(labels("not_found"))
        return
    _facts(invoice, ("customer_code", "merchandiser", "invoice_date", "due_date", "currency", "amount",
                     "paid_amount", "outstanding"))  # fmt: skip
    _actions(
        (labels("record_payment"), ":material/payments:", lambda: forms.payment_form(row["ref"])),
        (labels("add_note"), ":material/edit_note:", lambda: forms.follow_up_form("invoice", row["ref"])),
    )
    forms.record_history("invoice", row["ref"])


def _open_follow_up(row: dict) -> None:
    subject = labels("subject_" + row["subject_kind"]) + " " + row["subject_ref"]
    _facts({**row, "subject": subject, "next_chase_date": row["due_date"]},
           ("subject", "note", "next_chase_date", "customer_code", "merchandiser"))  # fmt: skip
    forms.mark_done_button(row["note_id"])
    _actions(
        (labels("add_note"), ":material/edit_note:",
         lambda: forms.follow_up_form(row["subject_kind"], row["subject_ref"])),
    )  # fmt: skip
    forms.record_history("follow_up_note", row["ref"])


OPEN_RECORD = {
    "order_line": _open_order_line,
    "po_line": _open_po_line,
    "invoice": _open_invoice,
    "follow_up": _open_follow_up,
}


def chase_item(row: dict) -> None:
    """One collapsed row: the reference and the reason as shown; opening it loads the record behind it."""
    item = st.expander(
        f"**{row['shown_ref']}** · {row['shown_reason']}",
        key=f"chase.{row['kind']}.{row['ref']}",
        icon=REASON_ICONS.get(row["reason_code"]),
        on_change="rerun",
    )
    if item.open:
        with item:
            OPEN_RECORD[row["kind"]](row)


# Rows drawn per kind, and added per "show more": a list of tens of thousands of rows
# would take the browser minutes to draw, and nobody chases past the first screens.
ROWS_AT_A_TIME = 50


def shown_rows(kind: str) -> int:
    return st.session_state.get(f"chase.shown.{kind}", ROWS_AT_A_TIME)


def show_more(kind: str) -> None:
    st.session_state[f"chase.shown.{kind}"] = shown_rows(kind) + ROWS_AT_A_TIME


def whole_list(chase: pl.DataFrame) -> pl.DataFrame:
    """The chase list as a table for download, in the interface language."""
    return chase.select(
        "chase_rank",
        pl.col("kind").replace({kind: t(f"kind_{kind}") for kind in KINDS}),
        _shown_ref(),
        chase_reasons(chase),
        "customer_code",
        "merchandiser",
        "due_date",
        "days_past_due",
    )


filters = current_filters()
st.title(labels("title"))
ui.stop_if_empty(data.has_data())

chase = data.frame("chase_today", filters)
st.caption(
    labels("caption", as_of=filters.as_of.isoformat(), who=filters.merchandiser or t("all"), count=chase.height)
)
by_kind = {kind: chase.filter(pl.col("kind") == kind) for kind in KINDS}
tabs = st.tabs([f"{t(f'kind_{kind}')} ({by_kind[kind].height})" for kind in KINDS])
for tab, kind in zip(tabs, KINDS):
    with tab:
        rows, shown = by_kind[kind], shown_rows(kind)
        if rows.is_empty():
            st.info(labels("nothing_of_kind"))
        drawn = rows.head(shown)
        drawn = drawn.with_columns(_shown_ref().alias("shown_ref"), chase_reasons(drawn).alias("shown_reason"))
        for row in drawn.iter_rows(named=True):
            chase_item(row)
        if rows.height > shown:
            st.caption(labels("showing", shown=shown, total=rows.height))
            st.button(labels("show_more", count=min(ROWS_AT_A_TIME, rows.height - shown)), key=f"chase.more.{kind}",
                      on_click=show_more, args=(kind,))

table_view = st.expander(labels("whole_list"), key="chase.whole_list", on_change="rerun")
if table_view.open:
    with table_view:
        ui.table(whole_list(chase), key="chase_today")
