"""The import template of ../shared/spec/data-contract.md, as data.

One `Entity` per contract table: its columns in contract order, their Chinese
aliases, kinds, codes and defaults. The loader, the demo writer, the header mapper
and the docs all read this; nothing else spells the contract out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    INT = "int"  # whole number
    NUMBER = "number"  # quantity that may be fractional (metres of fabric)
    MONEY = "money"  # stored rounded half-up to 4 decimals
    RATE = "rate"  # fx rate, stored with 8 decimals
    CODE = "code"  # one of a fixed set, English or Chinese
    CURRENCY = "currency"  # ISO 4217 code


@dataclass(frozen=True)
class Column:
    name: str
    alias: str
    kind: Kind
    required: bool = False
    key: bool = False
    default: object = None
    minimum: int | None = None  # inclusive lower bound
    exclusive_minimum: bool = False  # True: value must be > minimum
    codes: dict[str, str] = field(default_factory=dict)  # accepted spelling (lowercase) -> stored code


def _codes(pairs: dict[str, str]) -> dict[str, str]:
    """English code -> Chinese name, as accepted spellings -> English code."""
    accepted = {}
    for english, chinese in pairs.items():
        accepted[english.lower()] = english
        accepted[chinese.lower()] = english
    return accepted


PROCESS_CODES = {"cutting": "裁床", "sewing": "车缝", "finishing": "后整", "packing": "包装"}
PRIORITY_CODES = {"normal": "普通", "rush": "加急"}
ORDER_STATUS_CODES = {"open": "正常", "cancelled": "取消"}
PO_STATUS_CODES = {"open": "未结", "closed": "已结", "cancelled": "取消"}
TIER_CODES = {"A": "A", "B": "B", "C": "C"}
DELAY_REASON_CODES = {
    "plan_error": "计划错误",
    "machine_breakdown": "设备故障",
    "material_shortage": "待料",
    "high_defects": "不良率高",
    "rush_order_insert": "插单",
    "upstream_delay": "前工序延误",
    "absenteeism": "缺勤",
    "other": "其他",
}


@dataclass(frozen=True)
class Reference:
    """Columns of this entity that must match a key of another entity."""

    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]
    label: str  # "customer", "order line", "invoice"


@dataclass(frozen=True)
class Entity:
    name: str
    alias: str
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()

    @property
    def key(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.key)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


C = Column
ENTITIES: dict[str, Entity] = {
    entity.name: entity
    for entity in (
        Entity(
            "fx_rates",
            "汇率",
            (
                C("currency", "币种", Kind.CURRENCY, required=True, key=True),
                C("rate_to_base", "汇率", Kind.RATE, required=True, minimum=0, exclusive_minimum=True),
            ),
        ),
        Entity(
            "customers",
            "客户",
            (
                C("customer_code", "客户编号", Kind.TEXT, required=True, key=True),
                C("customer_name", "客户名称", Kind.TEXT, required=True),
                C("country", "国家", Kind.TEXT),
                C("payment_terms_days", "账期天数", Kind.INT, default=30, minimum=0),
                C("tier", "客户等级", Kind.CODE, codes=_codes(TIER_CODES)),
                C("merchandiser", "跟单员", Kind.TEXT),
            ),
        ),
        Entity(
            "orders",
            "订单",
            (
                C("order_no", "订单号", Kind.TEXT, required=True, key=True),
                C("line_no", "行号", Kind.INT, key=True, default=1, minimum=1),
                C("customer_code", "客户编号", Kind.TEXT, required=True),
                C("order_date", "下单日期", Kind.DATE, required=True),
                C("style_no", "款号", Kind.TEXT, required=True),
                C("description", "品名", Kind.TEXT),
                C("quantity", "数量", Kind.INT, required=True, minimum=0, exclusive_minimum=True),
                C("unit_price", "单价", Kind.MONEY, required=True, minimum=0),
                C("currency", "币种", Kind.CURRENCY),
                C("due_date", "交期", Kind.DATE, required=True),
                C("merchandiser", "跟单员", Kind.TEXT),
                C("priority", "优先级", Kind.CODE, default="normal", codes=_codes(PRIORITY_CODES)),
                C("status", "状态", Kind.CODE, default="open", codes=_codes(ORDER_STATUS_CODES)),
            ),
            (Reference(("customer_code",), "customers", ("customer_code",), "customer"),),
        ),
        Entity(
            "production_daily",
            "生产日报",
            (
                C("report_date", "日期", Kind.DATE, required=True, key=True),
                C("order_no", "订单号", Kind.TEXT, required=True, key=True),
                C("line_no", "行号", Kind.INT, key=True, default=1, minimum=1),
                C("workshop", "车间", Kind.TEXT, required=True, key=True),
                C("process", "工序", Kind.CODE, required=True, key=True, codes=_codes(PROCESS_CODES)),
                C("planned_qty", "计划数量", Kind.INT, minimum=0),
                C("output_qty", "产量", Kind.INT, required=True, minimum=0),
                C("defect_qty", "次品数量", Kind.INT, default=0, minimum=0),
                C("delay_reason", "延误原因", Kind.CODE, codes=_codes(DELAY_REASON_CODES)),
            ),
            (Reference(("order_no", "line_no"), "orders", ("order_no", "line_no"), "order line"),),
        ),
        Entity(
            "purchase_orders",
            "采购订单",
            (
                C("po_no", "采购单号", Kind.TEXT, required=True, key=True),
                C("po_line", "采购行号", Kind.INT, key=True, default=1, minimum=1),
                C("supplier", "供应商", Kind.TEXT, required=True),
                C("material", "物料", Kind.TEXT, required=True),
                C("order_no", "订单号", Kind.TEXT),
                C("order_date", "采购日期", Kind.DATE, required=True),
                C("promised_date", "承诺交期", Kind.DATE, required=True),
                C("quantity", "数量", Kind.NUMBER, required=True, minimum=0, exclusive_minimum=True),
                C("unit", "单位", Kind.TEXT),
                C("received_qty", "已收数量", Kind.NUMBER, default=0, minimum=0),
                C("received_date", "收货日期", Kind.DATE),
                C("status", "状态", Kind.CODE, default="open", codes=_codes(PO_STATUS_CODES)),
            ),
        ),
        Entity(
            "shipments",
            "出货",
            (
                C("shipment_no", "出货单号", Kind.TEXT, required=True, key=True),
                C("order_no", "订单号", Kind.TEXT, required=True, key=True),
                C("line_no", "行号", Kind.INT, key=True, default=1, minimum=1),
                C("ship_date", "出货日期", Kind.DATE, required=True),
                C("shipped_qty", "出货数量", Kind.INT, required=True, minimum=0, exclusive_minimum=True),
                C("invoice_no", "发票号", Kind.TEXT, required=True),
                C("amount", "金额", Kind.MONEY, minimum=0),
                C("currency", "币种", Kind.CURRENCY),
            ),
            (Reference(("order_no", "line_no"), "orders", ("order_no", "line_no"), "order line"),),
        ),
        Entity(
            "payments",
            "收款",
            (
                C("payment_no", "收款单号", Kind.TEXT, required=True, key=True),
                C("invoice_no", "发票号", Kind.TEXT, required=True),
                C("payment_date", "收款日期", Kind.DATE, required=True),
                C("amount", "金额", Kind.MONEY, required=True, minimum=0, exclusive_minimum=True),
            ),
            (Reference(("invoice_no",), "shipments", ("invoice_no",), "invoice"),),
        ),
    )
}

# Load order: every entity after the entities it references.
LOAD_ORDER = ("fx_rates", "customers", "orders", "production_daily", "purchase_orders", "shipments", "payments")
