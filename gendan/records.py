"""Records typed into gendan: one service function per operation, shared by the forms and the CLI.

Every operation runs the same steps, and writes nothing unless all of them pass:

1. parse the input with its Pydantic model (per-field problems in English and Chinese);
2. take the app file's write lock (`Store.write_app`: copy-on-write, atomic publish);
3. check the actor's role in the users table, so the check holds whatever the UI shows;
4. check references against the warehouse (attached read-only) and the app records;
5. for an edit of an existing record, check the version the caller read (optimistic
   concurrency): if the record moved on, refuse with who changed it and when;
6. write the record and its audit rows (who, when, entity + key, field, old -> new) in
   the same transaction.

Reads for the forms and the audit page (`order_line_state`, `audit_trail`, ...) take a
reader connection (`Store.connect()` or the dashboard's `data.cursor()`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Annotated, Literal, TypeVar

import duckdb
import polars as pl
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from etl.contract import DELAY_REASON_CODES, ENTITIES, ORDER_STATUS_CODES, PRIORITY_CODES, PROCESS_CODES
from etl.parse import DATE_PATTERN
from warehouse.store import Store


class Role(StrEnum):
    """What a user may do: viewer reads; editor also updates records; admin also loads data and manages users."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


ROLE_CODES = {"viewer": "只读", "editor": "编辑", "admin": "管理员"}
SUBJECT_CODES = {"order_line": "订单行", "po_line": "采购行", "invoice": "发票", "customer": "客户"}


# --- problems --------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One reason an operation was refused; `field` None = about the record as a whole."""

    field: str | None
    en: str
    zh: str

    def text(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


class Refused(Exception):
    """An operation was refused and nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.field}: {p.en}" if p.field else p.en for p in problems))
        self.problems = problems


class InvalidInput(Refused):
    """A value is missing, malformed, out of range, or refers to something that does not exist."""


class NotAllowed(Refused):
    """The actor's role does not allow the operation."""


class Conflict(Refused):
    """The record changed since the caller read it (or is already in the requested state)."""


def bilingual_error(en: str, zh: str) -> PydanticCustomError:
    """A validator error carrying both languages (read back by `_problems`)."""
    return PydanticCustomError("gendan", "{en}", {"en": en, "zh": zh})


# Pydantic's own error types, in both languages ({...} filled from the error's context).
_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("required", "必填"),
    "string_too_short": ("at least {min_length} characters", "至少 {min_length} 个字符"),
    "string_too_long": ("at most {max_length} characters", "最多 {max_length} 个字符"),
    "greater_than": ("must be more than {gt}", "必须大于 {gt}"),
    "greater_than_equal": ("must be {ge} or more", "不能小于 {ge}"),
    "int_parsing": ("must be a whole number", "必须是整数"),
    "int_from_float": ("must be a whole number", "必须是整数"),
    "int_type": ("must be a whole number", "必须是整数"),
    "decimal_parsing": ("must be a number", "必须是数字"),
    "decimal_type": ("must be a number", "必须是数字"),
    "date_type": ("must be a date, e.g. 2026-11-22", "应为日期，例如 2026-11-22"),
}


def _problems(error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else None
        context = item.get("ctx") or {}
        if item["type"] == "gendan":
            en, zh = context["en"], context["zh"]
        elif item.get("input", "") is None or item["type"] == "missing":
            en, zh = _MESSAGES["missing"]
        elif item["type"] in _MESSAGES:
            en, zh = (text.format(**context) for text in _MESSAGES[item["type"]])
        else:
            en = zh = item["msg"]
        problems.append(Problem(field, en, zh))
    return problems


Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], values: Mapping | Model) -> Model:
    """`values` as a `model`, or InvalidInput with one problem per bad field."""
    if isinstance(values, model):
        return values
    try:
        return model.model_validate(dict(values))
    except ValidationError as error:
        raise InvalidInput(_problems(error)) from None


# --- field types -----------------------------------------------------------------------


def _trimmed(value: object) -> object:
    """Surrounding spaces go; an empty text is a missing value."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _zero_when_missing(value: object) -> object:
    value = _trimmed(value)
    return 0 if value is None else value


def _date(value: object) -> object:
    """Dates as the data contract writes them: 2026-11-22, 2026/11/22, 2026.11.22, 2026年11月22日."""
    value = _trimmed(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, str):
        return value
    if not re.match(DATE_PATTERN, value):
        raise bilingual_error("must be a date, e.g. 2026-11-22", "应为日期，例如 2026-11-22 或 2026年11月22日")
    year, month, day = (int(part) for part in re.findall(r"\d+", value))
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise bilingual_error("no such day in the calendar", "日历上没有这一天") from None


def _not_future(value: dt.date) -> dt.date:
    if value > dt.date.today():
        raise bilingual_error("cannot be after today", "不能晚于今天")
    return value


def _not_past(value: dt.date | None) -> dt.date | None:
    if value is not None and value < dt.date.today():
        raise bilingual_error("cannot be before today", "不能早于今天")
    return value


def _four_decimals(value: Decimal | None) -> Decimal | None:
    """Rounded half-up to 4 decimals, as the contract stores money and quantities."""
    return None if value is None else value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def code_field(what_en: str, what_zh: str, pairs: dict[str, str]):
    """Accepts a code in English or Chinese, any case; stores the English code."""
    accepted = {**{code.lower(): code for code in pairs}, **{chinese: code for code, chinese in pairs.items()}}
    choices = ", ".join(f"{code} ({chinese})" for code, chinese in pairs.items())

    def check(value: object) -> object:
        value = _trimmed(value)
        if value is None:
            return None
        code = accepted.get(str(value).lower())
        if code is None:
            raise bilingual_error(
                f"unknown {what_en} '{value}'; use one of: {choices}", f"未知{what_zh}“{value}”，可选：{choices}"
            )
        return code

    return BeforeValidator(check)


def _currency(value: object) -> object:
    value = _trimmed(value)
    if value is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{3}", str(value)):
        raise bilingual_error("must be a 3-letter currency code, e.g. USD", "应为3个字母的币种代码，例如 USD")
    return str(value).upper()


Text = Annotated[str, BeforeValidator(_trimmed), Field(max_length=100)]
LongText = Annotated[str, BeforeValidator(_trimmed), Field(max_length=2000)]
OptionalText = Annotated[Annotated[str, Field(max_length=500)] | None, BeforeValidator(_trimmed)]
LineNo = Annotated[int, BeforeValidator(_trimmed), Field(ge=1)]
Version = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_trimmed)]
Day = Annotated[dt.date, BeforeValidator(_date)]
PastDay = Annotated[dt.date, BeforeValidator(_date), AfterValidator(_not_future)]
OptionalDay = Annotated[dt.date | None, BeforeValidator(_date)]
Count = Annotated[int, BeforeValidator(_trimmed), Field(ge=0)]
CountOrZero = Annotated[int, BeforeValidator(_zero_when_missing), Field(ge=0)]
PositiveCount = Annotated[int, BeforeValidator(_trimmed), Field(gt=0)]
Amount = Annotated[Decimal, BeforeValidator(_trimmed), Field(ge=0), AfterValidator(_four_decimals)]
AmountOrZero = Annotated[Decimal, BeforeValidator(_zero_when_missing), Field(ge=0), AfterValidator(_four_decimals)]
PositiveAmount = Annotated[Decimal, BeforeValidator(_trimmed), Field(gt=0), AfterValidator(_four_decimals)]
Currency = Annotated[str | None, BeforeValidator(_currency)]


class InputModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReceiptInput(InputModel):
    """A goods receipt on a PO line: received_qty delivered, of which rejected_qty refused at inspection."""

    po_no: Text
    po_line: LineNo = 1
    receipt_date: PastDay
    received_qty: PositiveAmount
    rejected_qty: AmountOrZero = Decimal(0)

    @field_validator("rejected_qty")
    @classmethod
    def _within_received(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        received = info.data.get("received_qty")
        if received is not None and value > received:
            raise bilingual_error("cannot be more than the received qty", "不能大于收货数量")
        return value


class ShipmentInput(InputModel):
    """A shipment of an order line (the contract's shipments row)."""

    shipment_no: Text
    order_no: Text
    line_no: LineNo = 1
    ship_date: PastDay
    shipped_qty: PositiveCount
    invoice_no: Text
    amount: Annotated[Amount | None, BeforeValidator(_trimmed)] = None
    currency: Currency = None


class PaymentInput(InputModel):
    """A payment received against an invoice, in the invoice's currency."""

    payment_no: Text
    invoice_no: Text
    payment_date: PastDay
    amount: PositiveAmount


class OrderLineChange(InputModel):
    """A change to an order line: only the fields given (not None) change.

    `expected_version` is the version the caller read (None: whatever it is now).
    `reason` is required when the due date or the status changes.
    """

    order_no: Text
    line_no: LineNo = 1
    expected_version: Version = None
    due_date: OptionalDay = None
    priority: Annotated[str | None, code_field("priority", "优先级", PRIORITY_CODES)] = None
    status: Annotated[str | None, code_field("status", "状态", ORDER_STATUS_CODES)] = None
    reason: OptionalText = None


class ProductionReportInput(InputModel):
    """One production daily report row (the contract's production_daily)."""

    report_date: PastDay
    order_no: Text
    line_no: LineNo = 1
    workshop: Text
    process: Annotated[str, code_field("process", "工序", PROCESS_CODES)]
    planned_qty: Annotated[Count | None, BeforeValidator(_trimmed)] = None
    output_qty: Count
    defect_qty: CountOrZero = 0
    delay_reason: Annotated[str | None, code_field("delay reason", "延误原因", DELAY_REASON_CODES)] = None


class NoteInput(InputModel):
    """A follow-up note on an order line, PO line, invoice or customer."""

    subject_kind: Annotated[str, code_field("subject", "对象", SUBJECT_CODES)]
    subject_ref: Text
    note: LongText
    next_chase_date: Annotated[OptionalDay, AfterValidator(_not_past)] = None


class MarkDoneInput(InputModel):
    note_id: Annotated[int, BeforeValidator(_trimmed), Field(ge=1)]
    expected_version: Version = None


@dataclass(frozen=True)
class Saved:
    """What an operation wrote: the record, its version after the change, and a sentence to show."""

    entity: str
    key: str
    version: int
    en: str
    zh: str

    def text(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


# --- the write: lock, role, audit ------------------------------------------------------


def username(name: str | None) -> str:
    """User names are compared trimmed and in lower case."""
    return (name or "").strip().lower()


def _value_text(value: object) -> str | None:
    """A value as the audit trail stores it."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class Change:
    """One operation in progress: the app file's connection (warehouse attached as `wh`) and who acts."""

    con: duckdb.DuckDBPyConnection
    actor: str
    role: Role
    at: dt.datetime
    change_id: int

    def audit(
        self,
        entity: str,
        key: str,
        subject: tuple[str, str],
        old: Mapping[str, object] | None,
        new: Mapping[str, object] | None,
    ) -> None:
        """One audit row per field whose value changed (old None: insert; new None: delete)."""
        action = "insert" if old is None else "delete" if new is None else "update"
        before, after = old or {}, new or {}
        for field in dict.fromkeys([*before, *after]):
            old_text, new_text = _value_text(before.get(field)), _value_text(after.get(field))
            if old_text == new_text:
                continue
            self.con.execute(
                """
                insert into audit_log (change_id, changed_at, changed_by, action, entity, record_key,
                    subject_kind, subject_ref, field, old_value, new_value)
                values ($change_id, $at, $actor, $action, $entity, $key, $subject_kind, $subject_ref,
                    $field, $old, $new)
                """,
                {
                    "change_id": self.change_id,
                    "at": self.at,
                    "actor": self.actor,
                    "action": action,
                    "entity": entity,
                    "key": key,
                    "subject_kind": subject[0],
                    "subject_ref": subject[1],
                    "field": field,
                    "old": old_text,
                    "new": new_text,
                },
            )

    def last_change(self, entity: str, key: str) -> tuple[str, dt.datetime] | None:
        """Who changed this record last, and when (from the audit trail)."""
        return self.con.execute(
            "select changed_by, changed_at from audit_log where entity = $entity and record_key = $key "
            "order by audit_id desc limit 1",
            {"entity": entity, "key": key},
        ).fetchone()


def role_in_file(
    con: duckdb.DuckDBPyConnection, name: str, users_table: Literal["users", "app.users"] = "users"
) -> Role | None:
    """The role of a user; every name is an admin while the store has no users (an open store).

    `users_table`: "users" on the app file's writer, "app.users" on a reader.
    """
    if not con.execute(f"select count(*) from {users_table}").fetchone()[0]:
        return Role.ADMIN
    row = con.execute(f"select role from {users_table} where username = $name", {"name": username(name)}).fetchone()
    return Role(row[0]) if row else None


@contextmanager
def changing(store: Store, actor: str, needed: Role) -> Iterator[Change]:
    """The app file opened for writing under its lock, after checking that `actor` has the `needed` role.

    Everything done inside is published at once when the block exits, or not at all.
    """
    name = username(actor)
    store.warehouse.ensure_current()
    with store.write_app() as con:
        if not name:
            raise NotAllowed([Problem(None, "say who you are (sign in, or --user NAME)", "请先登录（或使用 --user 用户名）")])
        role = role_in_file(con, name)
        if role is None:
            raise NotAllowed([Problem(None, f"'{name}' is not a user of this store", f"“{name}”不是本系统的用户")])
        if not role.allows(needed):
            raise NotAllowed(
                [
                    Problem(
                        None,
                        f"{name} has the {role} role: changing this needs the {needed} role",
                        f"{name} 的角色是{ROLE_CODES[role]}，此操作需要{ROLE_CODES[needed]}角色",
                    )
                ]
            )
        con.execute("attach $path as wh (read_only)", {"path": str(store.warehouse.path)})
        try:
            change_id = con.execute("select nextval('audit_change_ids')").fetchone()[0]
            yield Change(con, name, role, dt.datetime.now().replace(microsecond=0), change_id)
        finally:
            con.execute("detach wh")


def _conflict(change: Change, entity: str, key: str, what_en: str, what_zh: str) -> Conflict:
    who, when = change.last_change(entity, key) or ("?", None)
    at = when.strftime("%Y-%m-%d %H:%M") if when else "?"
    return Conflict(
        [
            Problem(
                None,
                f"{what_en} was changed by {who} at {at} after you opened it; reload and try again",
                f"{what_zh}已被 {who} 于 {at} 修改；请刷新后重试",
            )
        ]
    )


# --- references ------------------------------------------------------------------------


def line_ref(number: str, line: int) -> str:
    """ORDER/LINE or PO/LINE, as the core views and the chase list spell it."""
    return f"{number}/{line}"


def split_ref(ref: str) -> tuple[str, int]:
    """ORDER/LINE -> (ORDER, LINE); the line is after the last '/', so order numbers may contain '/'."""
    number, _, line = ref.strip().rpartition("/")
    if not number or not line.isdigit():
        raise InvalidInput([Problem(None, f"'{ref}' is not NUMBER/LINE", f"“{ref}”应为 单号/行号")])
    return number, int(line)


def _order_line(change: Change, order_no: str, line_no: int) -> tuple:
    row = change.con.execute(
        "select order_date, due_date, priority, status from wh.orders where order_no = $no and line_no = $line",
        {"no": order_no, "line": line_no},
    ).fetchone()
    if row is None:
        ref = line_ref(order_no, line_no)
        raise InvalidInput([Problem("order_no", f"order line {ref} is not in the data", f"订单行 {ref} 不存在")])
    return row


def _require_po_line(change: Change, po_no: str, po_line: int) -> None:
    found = change.con.execute(
        "select count(*) from wh.purchase_orders where po_no = $no and po_line = $line", {"no": po_no, "line": po_line}
    ).fetchone()[0]
    if not found:
        ref = line_ref(po_no, po_line)
        raise InvalidInput([Problem("po_no", f"PO line {ref} is not in the data", f"采购行 {ref} 不存在")])


def _require_invoice(change: Change, invoice_no: str, field: str) -> None:
    found = change.con.execute(
        "select (select count(*) from wh.shipments where invoice_no = $no)"
        " + (select count(*) from shipments where invoice_no = $no)",
        {"no": invoice_no},
    ).fetchone()[0]
    if not found:
        raise InvalidInput([Problem(field, f"invoice {invoice_no} is not in the data", f"发票 {invoice_no} 不存在")])


def _require_customer(change: Change, code: str, field: str) -> None:
    found = change.con.execute("select count(*) from wh.customers where customer_code = $code", {"code": code})
    if not found.fetchone()[0]:
        raise InvalidInput([Problem(field, f"customer {code} is not in the data", f"客户 {code} 不存在")])


def _refuse_repeat(change: Change, table: str, key: dict, field: str | None, what_en: str, what_zh: str) -> None:
    """Refuse a record whose key was already loaded or entered (tables and columns are constants)."""
    condition = " and ".join(f"{column} = ${column}" for column in key)
    if change.con.execute(f"select count(*) from wh.{table} where {condition}", key).fetchone()[0]:
        raise InvalidInput([Problem(field, f"{what_en} is already in the loaded data", f"{what_zh}已在导入的数据中")])
    entered = change.con.execute(f"select entered_by, entered_at from {table} where {condition}", key).fetchone()
    if entered:
        at = entered[1].strftime("%Y-%m-%d %H:%M")
        raise InvalidInput(
            [
                Problem(
                    field, f"{what_en} was already entered by {entered[0]} at {at}", f"{what_zh}已由 {entered[0]} 于 {at} 录入"
                )
            ]
        )


# --- operations ------------------------------------------------------------------------


def record_receipt(store: Store, actor: str, values: Mapping | ReceiptInput) -> Saved:
    """Record a goods receipt on a PO line (editor)."""
    data = parse(ReceiptInput, values)
    ref = line_ref(data.po_no, data.po_line)
    with changing(store, actor, Role.EDITOR) as change:
        _require_po_line(change, data.po_no, data.po_line)
        row = data.model_dump()
        receipt_id = change.con.execute(
            """
            insert into po_receipts (po_no, po_line, receipt_date, received_qty, rejected_qty, entered_by, entered_at)
            values ($po_no, $po_line, $receipt_date, $received_qty, $rejected_qty, $actor, $at)
            returning receipt_id
            """,
            {**row, "actor": change.actor, "at": change.at},
        ).fetchone()[0]
        change.audit("po_receipt", str(receipt_id), ("po_line", ref), None, row)
    accepted = _value_text(data.received_qty - data.rejected_qty)
    return Saved(
        "po_receipt", str(receipt_id), 1, f"receipt #{receipt_id} saved: +{accepted} on PO line {ref}",
        f"收货 #{receipt_id} 已保存：采购行 {ref} +{accepted}",
    )  # fmt: skip


def record_shipment(store: Store, actor: str, values: Mapping | ShipmentInput) -> Saved:
    """Record a shipment of an order line (editor)."""
    data = parse(ShipmentInput, values)
    ref = line_ref(data.order_no, data.line_no)
    key = f"{data.shipment_no} {ref}"
    with changing(store, actor, Role.EDITOR) as change:
        _order_line(change, data.order_no, data.line_no)
        identity = {"shipment_no": data.shipment_no, "order_no": data.order_no, "line_no": data.line_no}
        _refuse_repeat(change, "shipments", identity, "shipment_no", f"shipment {key}", f"出货 {key} ")
        row = data.model_dump()
        change.con.execute(
            """
            insert into shipments (shipment_no, order_no, line_no, ship_date, shipped_qty, invoice_no, amount,
                currency, entered_by, entered_at)
            values ($shipment_no, $order_no, $line_no, $ship_date, $shipped_qty, $invoice_no, $amount, $currency,
                $actor, $at)
            """,
            {**row, "actor": change.actor, "at": change.at},
        )
        change.audit("shipment", key, ("order_line", ref), None, row)
    return Saved(
        "shipment", key, 1, f"shipment {data.shipment_no} saved: {data.shipped_qty} pcs of {ref}",
        f"出货 {data.shipment_no} 已保存：{ref} {data.shipped_qty} 件",
    )  # fmt: skip


def record_payment(store: Store, actor: str, values: Mapping | PaymentInput) -> Saved:
    """Record a payment received against an invoice (editor)."""
    data = parse(PaymentInput, values)
    with changing(store, actor, Role.EDITOR) as change:
        _require_invoice(change, data.invoice_no, "invoice_no")
        payment = f"payment {data.payment_no}"
        identity = {"payment_no": data.payment_no}
        _refuse_repeat(change, "payments", identity, "payment_no", payment, f"收款 {data.payment_no} ")
        row = data.model_dump()
        change.con.execute(
            """
            insert into payments (payment_no, invoice_no, payment_date, amount, entered_by, entered_at)
            values ($payment_no, $invoice_no, $payment_date, $amount, $actor, $at)
            """,
            {**row, "actor": change.actor, "at": change.at},
        )
        change.audit("payment", data.payment_no, ("invoice", data.invoice_no), None, row)
    amount = _value_text(data.amount)
    return Saved(
        "payment", data.payment_no, 1, f"{payment} saved: {amount} on invoice {data.invoice_no}",
        f"收款 {data.payment_no} 已保存：发票 {data.invoice_no} {amount}",
    )  # fmt: skip


def record_production_report(store: Store, actor: str, values: Mapping | ProductionReportInput) -> Saved:
    """Record a production daily report row (editor)."""
    data = parse(ProductionReportInput, values)
    ref = line_ref(data.order_no, data.line_no)
    key = f"{data.report_date.isoformat()} {ref} {data.workshop} {data.process}"
    with changing(store, actor, Role.EDITOR) as change:
        _order_line(change, data.order_no, data.line_no)
        identity = {column: getattr(data, column) for column in ENTITIES["production_daily"].key}
        _refuse_repeat(change, "production_daily", identity, None, f"the report {key}", f"日报 {key} ")
        row = data.model_dump()
        change.con.execute(
            """
            insert into production_daily (report_date, order_no, line_no, workshop, process, planned_qty, output_qty,
                defect_qty, delay_reason, entered_by, entered_at)
            values ($report_date, $order_no, $line_no, $workshop, $process, $planned_qty, $output_qty, $defect_qty,
                $delay_reason, $actor, $at)
            """,
            {**row, "actor": change.actor, "at": change.at},
        )
        change.audit("production_report", key, ("order_line", ref), None, row)
    return Saved(
        "production_report", key, 1, f"production report saved: {ref} {data.process} {data.output_qty} pcs",
        f"生产日报已保存：{ref} {PROCESS_CODES[data.process]} {data.output_qty} 件",
    )  # fmt: skip


def change_order_line(store: Store, actor: str, values: Mapping | OrderLineChange) -> Saved:
    """Change an order line's due date (with a reason), priority, or status (cancel/reopen, with a reason) (editor).

    The new values override the loaded ones; a later load does not undo them.
    """
    data = parse(OrderLineChange, values)
    ref = line_ref(data.order_no, data.line_no)
    with changing(store, actor, Role.EDITOR) as change:
        order_date, *loaded = _order_line(change, data.order_no, data.line_no)
        override = change.con.execute(
            "select due_date, due_date_reason, priority, status, status_reason, version from order_line_overrides "
            "where order_no = $no and line_no = $line",
            {"no": data.order_no, "line": data.line_no},
        ).fetchone()
        columns = ("due_date", "due_date_reason", "priority", "status", "status_reason", "version")
        stored = dict(zip(columns, override or (None,) * 5 + (0,)))
        if data.expected_version is not None and data.expected_version != stored["version"]:
            raise _conflict(change, "order_line", ref, f"order line {ref}", f"订单行 {ref} ")
        current = {
            field: stored[field] if stored[field] is not None else loaded_value
            for field, loaded_value in zip(("due_date", "priority", "status"), loaded)
        }
        wanted = {field: getattr(data, field) for field in current if getattr(data, field) is not None}
        changed = {field: value for field, value in wanted.items() if value != current[field]}
        _check_order_line_change(changed, data.reason, order_date, ref)
        new = {**stored, **changed, "version": stored["version"] + 1}
        if "due_date" in changed:
            new["due_date_reason"] = data.reason
        if "status" in changed:
            new["status_reason"] = data.reason
        change.con.execute(
            """
            insert or replace into order_line_overrides (order_no, line_no, due_date, due_date_reason, priority,
                status, status_reason, version, changed_by, changed_at)
            values ($order_no, $line_no, $due_date, $due_date_reason, $priority, $status, $status_reason, $version,
                $actor, $at)
            """,
            {**new, "order_no": data.order_no, "line_no": data.line_no, "actor": change.actor, "at": change.at},
        )
        old = {field: current[field] for field in changed}
        change.audit("order_line", ref, ("order_line", ref), old | {"reason": None}, changed | {"reason": data.reason})
    fields = ", ".join(f"{field} {_value_text(value)}" for field, value in changed.items())
    return Saved("order_line", ref, new["version"], f"order line {ref} changed: {fields}", f"订单行 {ref} 已修改：{fields}")


def _check_order_line_change(changed: dict, reason: str | None, order_date: dt.date, ref: str) -> None:
    problems = []
    if not changed:
        problems.append(Problem(None, f"nothing to change on order line {ref}", f"订单行 {ref} 没有要修改的内容"))
    if "due_date" in changed and changed["due_date"] < order_date:
        problems.append(
            Problem("due_date", f"cannot be before the order date {order_date}", f"不能早于下单日期 {order_date}")
        )
    if {"due_date", "status"} & changed.keys() and not reason:
        problems.append(
            Problem("reason", "a reason is required to change the due date or the status", "修改交期或状态时必须填写原因")
        )
    if problems:
        raise InvalidInput(problems)


def add_note(store: Store, actor: str, values: Mapping | NoteInput) -> Saved:
    """Add a follow-up note on an order line, PO line, invoice or customer (editor)."""
    data = parse(NoteInput, values)
    with changing(store, actor, Role.EDITOR) as change:
        if data.subject_kind == "order_line":
            _order_line(change, *split_ref(data.subject_ref))
        elif data.subject_kind == "po_line":
            _require_po_line(change, *split_ref(data.subject_ref))
        elif data.subject_kind == "invoice":
            _require_invoice(change, data.subject_ref, "subject_ref")
        else:
            _require_customer(change, data.subject_ref, "subject_ref")
        row = data.model_dump()
        note_id = change.con.execute(
            """
            insert into follow_up_notes (subject_kind, subject_ref, note, next_chase_date, created_by, created_at)
            values ($subject_kind, $subject_ref, $note, $next_chase_date, $actor, $at)
            returning note_id
            """,
            {**row, "actor": change.actor, "at": change.at},
        ).fetchone()[0]
        subject = (data.subject_kind, data.subject_ref)
        change.audit("follow_up_note", str(note_id), subject, None, {**row, "status": "open"})
    return Saved(
        "follow_up_note", str(note_id), 1,
        f"note #{note_id} added on {data.subject_kind.replace('_', ' ')} {data.subject_ref}",
        f"跟进备注 #{note_id} 已添加：{SUBJECT_CODES[data.subject_kind]} {data.subject_ref}",
    )  # fmt: skip


def mark_note_done(store: Store, actor: str, values: Mapping | MarkDoneInput) -> Saved:
    """Mark a follow-up note done (editor); refused if it changed since `expected_version` or is already done."""
    data = parse(MarkDoneInput, values)
    key = str(data.note_id)
    with changing(store, actor, Role.EDITOR) as change:
        row = change.con.execute(
            "select status, version, subject_kind, subject_ref from follow_up_notes where note_id = $id",
            {"id": data.note_id},
        ).fetchone()
        if row is None:
            raise InvalidInput([Problem("note_id", f"there is no note #{key}", f"没有跟进备注 #{key}")])
        status, version, subject_kind, subject_ref = row
        if status == "done" or (data.expected_version is not None and data.expected_version != version):
            raise _conflict(change, "follow_up_note", key, f"note #{key}", f"跟进备注 #{key} ")
        change.con.execute(
            "update follow_up_notes set status = 'done', done_by = $actor, done_at = $at, version = version + 1 "
            "where note_id = $id",
            {"actor": change.actor, "at": change.at, "id": data.note_id},
        )
        change.audit("follow_up_note", key, (subject_kind, subject_ref), {"status": status}, {"status": "done"})
    return Saved("follow_up_note", key, version + 1, f"note #{key} done", f"跟进备注 #{key} 已完成")


# --- reads (on a reader connection: Store.connect() or the dashboard's data.cursor()) ---


class OrderLineState(BaseModel):
    """An order line as the app shows it: the values that count, the loaded ones, and the app version."""

    order_no: str
    line_no: int
    customer_code: str
    order_date: dt.date
    quantity: int
    due_date: dt.date
    priority: str
    status: str
    loaded_due_date: dt.date
    loaded_priority: str
    loaded_status: str
    app_version: int
    due_date_reason: str | None
    status_reason: str | None
    changed_by: str | None
    changed_at: dt.datetime | None


class NoteState(BaseModel):
    note_id: int
    status: str
    version: int
    done_by: str | None
    done_at: dt.datetime | None


def order_line_state(con: duckdb.DuckDBPyConnection, order_no: str, line_no: int) -> OrderLineState | None:
    rows = con.sql(
        "select * from int_order_lines where order_no = $no and line_no = $line",
        params={"no": order_no, "line": line_no},
    ).pl()
    return OrderLineState.model_validate(rows.row(0, named=True)) if rows.height else None


def note_state(con: duckdb.DuckDBPyConnection, note_id: int) -> NoteState | None:
    rows = con.sql("select * from stg_app_follow_up_notes where note_id = $id", params={"id": note_id}).pl()
    return NoteState.model_validate(rows.row(0, named=True)) if rows.height else None


def notes(
    con: duckdb.DuckDBPyConnection,
    status: str | None = "open",
    subject_kind: str | None = None,
    subject_ref: str | None = None,
) -> pl.DataFrame:
    """Follow-up notes, oldest first; None = no filter."""
    return con.sql(
        """
        select * from stg_app_follow_up_notes
        where ($status is null or status = $status)
            and ($kind is null or subject_kind = $kind)
            and ($ref is null or subject_ref = $ref)
        order by note_id
        """,
        params={"status": status, "kind": subject_kind, "ref": subject_ref},
    ).pl()


def audit_trail(
    con: duckdb.DuckDBPyConnection,
    user: str | None = None,
    entity: str | None = None,
    record: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> pl.DataFrame:
    """The audit trail, newest first; `record` matches a record's key or what it is about (substring)."""
    return con.sql(
        "select * from audit_trail($user, $entity, $record, $date_from, $date_to)",
        params={"user": user, "entity": entity, "record": record, "date_from": date_from, "date_to": date_to},
    ).pl()


def record_history(con: duckdb.DuckDBPyConnection, kind: str, ref: str) -> pl.DataFrame:
    """Every change of a record and of the records entered against it, newest first."""
    return con.sql("select * from record_history($kind, $ref)", params={"kind": kind, "ref": ref}).pl()


def app_records(con: duckdb.DuckDBPyConnection, kind: str, ref: str) -> pl.DataFrame:
    """Shipments, payments, production reports and receipts entered in the app about a record, newest first."""
    return con.sql(
        "select * from int_app_records where subject_kind = $kind and subject_ref = $ref order by entered_at desc",
        params={"kind": kind, "ref": ref},
    ).pl()
