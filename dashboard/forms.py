"""Forms the pages embed to update records, and a record's history next to them.

Every form is hidden from anyone below editor, and saves through the same service
function as the command line (`gendan.records`), which checks the role, the references
and the version again under the app file's lock. When a save is refused, each problem
is shown under the field it is about and nothing is saved; when it succeeds the form
clears and says what was saved. The page then shows the new data on its next rerun
(the app file's generation changed).

    receipt_form(po_ref)                 goods receipt on a PO line ("PO/LINE")
    shipment_form(order_line_ref)        shipment of an order line ("ORDER/LINE")
    payment_form(invoice_no)             payment against an invoice
    order_line_form(order_line_ref)      due date (with reason), priority, cancel/reopen (with reason)
    production_report_form(order_line_ref=None)  production daily report (order line asked when None)
    follow_up_form(subject_kind, subject_ref)    note on an order_line / po_line / invoice / customer
    mark_done_button(note_id)            mark a follow-up note done
    record_history(kind, ref)            records entered against it and its audit trail (everyone)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl
import streamlit as st

from dashboard import data
from dashboard.auth_ui import current_actor
from dashboard.i18n import Labels, column_label, language
from etl.contract import DELAY_REASON_CODES, ORDER_STATUS_CODES, PRIORITY_CODES, PROCESS_CODES
from gendan import records
from gendan.records import Problem, Refused, Role, Saved
from warehouse.store import Store

labels = Labels(
    {
        "save": ("Save", "保存"),
        "receipt_title": ("Record a goods receipt", "登记收货"),
        "shipment_title": ("Record a shipment", "登记出货"),
        "payment_title": ("Record a payment", "登记收款"),
        "order_line_title": ("Change the order line", "修改订单行"),
        "production_title": ("Enter a production daily report", "录入生产日报"),
        "note_title": ("Add a follow-up note", "添加跟进备注"),
        "mark_done": ("Mark done", "标记完成"),
        "done_by": ("Done by {name} at {at}", "已由 {name} 于 {at} 完成"),
        "not_found": ("Order line {ref} is not in the data.", "订单行 {ref} 不存在。"),
        "loaded_values": (
            "Loaded: due {due}, {priority}, {status}.",
            "导入值：交期 {due}，{priority}，{status}。",
        ),
        "changed_in_app": (
            "Changed in the app by {name} at {at} (version {version}).",
            "已由 {name} 于 {at} 在系统中修改（版本 {version}）。",
        ),
        "history": ("History", "修改记录"),
        "no_history": ("No changes recorded yet.", "还没有修改记录。"),
        "entered": ("Entered in the app", "系统中录入的记录"),
        "counted": ("counted", "计入"),
        "confirmed_by_load": ("confirmed by load", "已由导入确认"),
        "none": ("—", "—"),
        # fields
        "received_qty": ("Received qty", "本次收货数量"),
        "rejected_qty": ("Rejected qty", "拒收数量"),
        "receipt_date": ("Receipt date", "收货日期"),
        "reason": ("Reason (required for a due date or status change)", "原因（修改交期或状态时必填）"),
        "note": ("Note", "备注"),
        "next_chase_date": ("Next chase date", "下次跟进日期"),
        # history columns
        "changed_at": ("Changed at", "修改时间"),
        "changed_by": ("Changed by", "修改人"),
        "action": ("Action", "操作"),
        "entity": ("Record type", "记录类型"),
        "record_key": ("Record", "记录"),
        "field": ("Field", "字段"),
        "old_value": ("Old value", "原值"),
        "new_value": ("New value", "新值"),
        "document_no": ("Document", "单据"),
        "record_date": ("Date", "日期"),
        "quantity": ("Quantity", "数量"),
        "entered_by": ("Entered by", "录入人"),
        "entered_at": ("Entered at", "录入时间"),
        "status": ("Status", "状态"),
    }
)


def _pair_label(pairs: Mapping[str, str]) -> Callable[[str | None], str]:
    """Show a contract code in the interface language (pairs: code -> Chinese).

    The language is read once, when the form is drawn: the function may be called outside the script run.
    """
    chinese, none = language() == "zh", labels("none")
    return lambda code: none if code is None else pairs[code] if chinese else code


@dataclass(frozen=True)
class Field:
    """One input of a form; `name` is the service model's field."""

    name: str
    kind: str  # date | int | number | text | area | choice
    default: object = None
    choices: tuple = ()
    format_func: Callable[[object], str] = field(default=str)

    def label(self) -> str:
        try:
            return labels(self.name)
        except KeyError:
            return column_label(self.name)

    def render(self, key: str) -> None:
        label = self.label()
        if self.kind == "date":
            st.date_input(label, value=self.default, key=key)
        elif self.kind == "int":
            st.number_input(label, value=self.default, step=1, key=key)
        elif self.kind == "number":
            st.number_input(label, value=self.default, step=1.0, key=key)
        elif self.kind == "area":
            st.text_area(label, value=self.default or "", key=key)
        elif self.kind == "choice":
            index = self.choices.index(self.default) if self.default in self.choices else 0
            st.selectbox(label, self.choices, index=index, format_func=self.format_func, key=key)
        else:
            st.text_input(label, value=self.default or "", key=key)


def _store() -> Store:
    settings = data.settings()
    return Store(settings.db, settings)


def _show_problems(slot: str, about: Callable[[str | None], bool]) -> None:
    """The refused save's problems whose field passes `about`, where they are drawn (under a widget)."""
    problems: list[Problem] = st.session_state.get(f"{slot}.problems", [])
    for problem in problems:
        if about(problem.field):
            st.error(problem.text(language()))


def _submit(
    slot: str,
    prefix: str,
    operation: Callable[[Store, str, Mapping], Saved],
    fixed: Mapping[str, object],
    names: tuple[str, ...],
    unchanged: Mapping[str, object],
) -> None:
    """The submit callback: runs before the rerun, so the problems can be drawn under their fields."""
    values = {name: st.session_state.get(f"{prefix}.{name}") for name in names}
    # An edit sends only what the user changed, so a value moved meanwhile by a load is not overwritten.
    values = {name: None if name in unchanged and unchanged[name] == value else value for name, value in values.items()}
    actor = current_actor()
    try:
        saved = operation(_store(), actor.username if actor else "", {**fixed, **values})
    except Refused as refused:
        st.session_state[f"{slot}.problems"] = refused.problems
        return
    st.session_state.pop(f"{slot}.problems", None)
    for name in names:
        st.session_state.pop(f"{prefix}.{name}", None)
    st.session_state[f"{slot}.saved"] = saved


def _form(
    slot: str,
    title: str,
    fields: list[Field],
    operation: Callable[[Store, str, Mapping], Saved],
    fixed: Mapping[str, object],
    *,
    version: int | None = None,
    unchanged: Mapping[str, object] | None = None,
) -> None:
    """Draw a form whose values go to `operation` (with `fixed` added), editors only.

    `version`: the version of the record the form shows; it is part of the widget keys,
    so when the record moves on the form reloads with its new values.
    """
    actor = current_actor()
    if actor is None or not actor.can(Role.EDITOR):
        return
    prefix = slot if version is None else f"{slot}.v{version}"
    names = tuple(item.name for item in fields)
    with st.form(prefix):
        st.markdown(f"**{title}**")
        for item in fields:
            item.render(f"{prefix}.{item.name}")
            _show_problems(slot, lambda about, name=item.name: about == name)
        # problems about the record itself or a value the form does not ask (a PO line that does not exist)
        _show_problems(slot, lambda about: about not in names)
        st.form_submit_button(
            labels("save"),
            type="primary",
            key=f"{prefix}.save",
            on_click=_submit,
            args=(slot, prefix, operation, dict(fixed), names, dict(unchanged or {})),
        )
    saved: Saved | None = st.session_state.pop(f"{slot}.saved", None)
    if saved is not None:
        st.success(saved.text(language()))


def receipt_form(po_ref: str) -> None:
    """Record a goods receipt on the PO line `po_ref` ("PO/LINE")."""
    po_no, po_line = records.split_ref(po_ref)
    fields = [
        Field("received_qty", "number"),
        Field("rejected_qty", "number", default=0.0),
        Field("receipt_date", "date", default=dt.date.today()),
    ]
    fixed = {"po_no": po_no, "po_line": po_line}
    _form(f"receipt.{po_ref}", labels("receipt_title"), fields, records.record_receipt, fixed)


def shipment_form(order_line_ref: str) -> None:
    """Record a shipment of the order line `order_line_ref` ("ORDER/LINE")."""
    order_no, line_no = records.split_ref(order_line_ref)
    fields = [
        Field("shipment_no", "text"),
        Field("shipped_qty", "int"),
        Field("ship_date", "date", default=dt.date.today()),
        Field("invoice_no", "text"),
        Field("amount", "number"),
        Field("currency", "text"),
    ]
    fixed = {"order_no": order_no, "line_no": line_no}
    _form(f"shipment.{order_line_ref}", labels("shipment_title"), fields, records.record_shipment, fixed)


def payment_form(invoice_no: str) -> None:
    """Record a payment against the invoice `invoice_no`."""
    fields = [
        Field("payment_no", "text"),
        Field("amount", "number"),
        Field("payment_date", "date", default=dt.date.today()),
    ]
    _form(f"payment.{invoice_no}", labels("payment_title"), fields, records.record_payment, {"invoice_no": invoice_no})


def order_line_form(order_line_ref: str) -> None:
    """Change the due date, priority or status of the order line `order_line_ref` ("ORDER/LINE")."""
    actor = current_actor()
    if actor is None or not actor.can(Role.EDITOR):
        return
    order_no, line_no = records.split_ref(order_line_ref)
    state = records.order_line_state(data.cursor(), order_no, line_no)
    if state is None:
        st.warning(labels("not_found", ref=order_line_ref))
        return
    priority_text, status_text = _pair_label(PRIORITY_CODES), _pair_label(ORDER_STATUS_CODES)
    fields = [
        Field("due_date", "date", default=state.due_date),
        Field("priority", "choice", state.priority, tuple(PRIORITY_CODES), priority_text),
        Field("status", "choice", state.status, tuple(ORDER_STATUS_CODES), status_text),
        Field("reason", "text"),
    ]
    fixed = {"order_no": order_no, "line_no": line_no, "expected_version": state.app_version}
    unchanged = {"due_date": state.due_date, "priority": state.priority, "status": state.status}
    _form(
        f"order_line.{order_line_ref}", labels("order_line_title"), fields, records.change_order_line, fixed,
        version=state.app_version, unchanged=unchanged,
    )  # fmt: skip
    st.caption(
        labels(
            "loaded_values",
            due=state.loaded_due_date,
            priority=priority_text(state.loaded_priority),
            status=status_text(state.loaded_status),
        )
    )
    if state.changed_by:
        at = f"{state.changed_at:%Y-%m-%d %H:%M}"
        st.caption(labels("changed_in_app", name=state.changed_by, at=at, version=state.app_version))


def production_report_form(order_line_ref: str | None = None) -> None:
    """Enter a production daily report for `order_line_ref` ("ORDER/LINE"), or for an order line typed in."""
    fixed: dict[str, object] = {}
    line_fields: list[Field] = []
    if order_line_ref is None:
        line_fields = [Field("order_no", "text"), Field("line_no", "int", default=1)]
    else:
        order_no, line_no = records.split_ref(order_line_ref)
        fixed = {"order_no": order_no, "line_no": line_no}
    fields = [
        *line_fields,
        Field("report_date", "date", default=dt.date.today()),
        Field("workshop", "text"),
        Field("process", "choice", "sewing", tuple(PROCESS_CODES), _pair_label(PROCESS_CODES)),
        Field("planned_qty", "int"),
        Field("output_qty", "int"),
        Field("defect_qty", "int", default=0),
        Field("delay_reason", "choice", None, (None, *DELAY_REASON_CODES), _pair_label(DELAY_REASON_CODES)),
    ]
    slot = f"production.{order_line_ref or 'any'}"
    _form(slot, labels("production_title"), fields, records.record_production_report, fixed)


def follow_up_form(subject_kind: str, subject_ref: str) -> None:
    """Add a follow-up note on an order_line ("ORDER/LINE"), po_line ("PO/LINE"), invoice or customer."""
    fields = [Field("note", "area"), Field("next_chase_date", "date")]
    fixed = {"subject_kind": subject_kind, "subject_ref": subject_ref}
    _form(f"note.{subject_kind}.{subject_ref}", labels("note_title"), fields, records.add_note, fixed)


def _mark_done(note_id: int, version: int) -> None:
    slot = f"done.{note_id}"
    actor = current_actor()
    try:
        values = {"note_id": note_id, "expected_version": version}
        records.mark_note_done(_store(), actor.username if actor else "", values)
    except Refused as refused:
        st.session_state[f"{slot}.problems"] = refused.problems
        return
    st.session_state.pop(f"{slot}.problems", None)


def mark_done_button(note_id: int) -> None:
    """A "Mark done" button for an open note (editors); who did it, once done."""
    actor = current_actor()
    if actor is None or not actor.can(Role.EDITOR):
        return
    slot = f"done.{note_id}"
    state = records.note_state(data.cursor(), note_id)
    if state is None:
        return
    if state.status == "done":
        st.caption(labels("done_by", name=state.done_by, at=f"{state.done_at:%Y-%m-%d %H:%M}"))
    else:
        st.button(labels("mark_done"), key=f"{slot}.button", on_click=_mark_done, args=(note_id, state.version))
    _show_problems(slot, lambda about: True)


def _localized(frame: pl.DataFrame) -> pl.DataFrame:
    def header(name: str) -> str:
        try:
            return labels(name)
        except KeyError:
            return column_label(name)

    return frame.rename({name: header(name) for name in frame.columns})


def history_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Audit rows as people read them (also the audit page's table)."""
    return frame.select(
        pl.col("changed_at").dt.strftime("%Y-%m-%d %H:%M:%S"),
        "changed_by", "action", "entity", "record_key", "field", "old_value", "new_value",
    )  # fmt: skip


def record_history(kind: str, ref: str) -> None:
    """What was entered in the app against a record, and every change of it (shown to every role).

    kind/ref: "order_line"/"ORDER/LINE", "po_line"/"PO/LINE", "invoice"/INVOICE, "customer"/CODE,
    "follow_up_note"/NOTE_ID, "user"/NAME.
    """
    with data.cursor() as con:
        history = records.record_history(con, kind, ref)
        entered = records.app_records(con, kind, ref)
    with st.expander(labels("history")):
        if not entered.is_empty():
            st.markdown(f"**{labels('entered')}**")
            status = pl.when(pl.col("confirmed_by_load")).then(pl.lit(labels("confirmed_by_load")))
            shown = entered.with_columns(status=status.otherwise(pl.lit(labels("counted"))))
            shown = shown.select(
                "entity", "document_no", "record_date", "quantity", "amount", "entered_by", "entered_at", "status"
            )
            st.dataframe(_localized(shown), hide_index=True, key=f"entered.{kind}.{ref}")
        if history.is_empty():
            st.caption(labels("no_history"))
        else:
            st.dataframe(_localized(history_frame(history)), hide_index=True, key=f"history.{kind}.{ref}")
