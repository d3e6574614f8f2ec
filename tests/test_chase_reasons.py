"""The chase list's reasons in Chinese, worded a whole column at a time (dashboard.i18n.chase_reasons)."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from dashboard.i18n import chase_reasons

SCHEMA = {
    "kind": pl.String,
    "reason_code": pl.String,
    "reason": pl.String,
    "is_rush": pl.Boolean,
    "due_date": pl.Date,
    "days_past_due": pl.Int64,
    "quantity": pl.Decimal(18, 4),
    "unit": pl.String,
    "amount": pl.Decimal(18, 2),
    "currency": pl.String,
    "supplier": pl.String,
    "material": pl.String,
    "projected_finish": pl.Date,
    "subject_kind": pl.String,
    "subject_ref": pl.String,
    "note": pl.String,
}
DUE = dt.date(2026, 11, 30)


def row(kind: str, reason_code: str, **values) -> dict:
    return {name: None for name in SCHEMA} | {"kind": kind, "reason_code": reason_code,
                                               "reason": f"English {reason_code}", "is_rush": False,
                                               "due_date": DUE} | values  # fmt: skip


CASES = [
    (row("order_line", "late", days_past_due=12, quantity=Decimal("1500"), is_rush=True),
     "逾期 12 天，还有 1,500 件未出货（急单）"),
    (row("order_line", "at_risk_stalled", days_past_due=0, quantity=Decimal("420")),
     "今天到期，还有 420 件未包装，近 7 天没有包装产出"),
    (row("order_line", "at_risk_behind", days_past_due=-3, quantity=Decimal("752"),
         projected_finish=dt.date(2026, 12, 5)),
     "3 天后到期，预计 2026-12-05 完成（比交期晚 5 天），还有 752 件未包装"),
    (row("order_line", "at_risk_not_started", days_past_due=-8, quantity=Decimal("2100")),
     "8 天后到期，尚未开始生产，需生产 2,100 件"),
    (row("po_line", "po_overdue", days_past_due=4, quantity=Decimal("171.2000"), unit="m", supplier="恒美包装",
         material="主唛"),
     "恒美包装 已逾期 4 天，主唛 还有 171.2 m 未到货"),
    (row("po_line", "po_due_soon", days_past_due=-2, quantity=Decimal("3773"), unit="pcs", supplier="永新织造",
         material="尼龙布"),
     "永新织造 2 天后到期，尼龙布 还有 3,773件 未到货"),
    (row("invoice", "invoice_past_due", days_past_due=31, amount=Decimal("26782.64"), currency="USD"),
     "逾期 31 天，未收 USD 26,782.64"),
    (row("follow_up", "follow_up", days_past_due=2, subject_kind="invoice", subject_ref="INV-7", note="催款"),
     "跟进发票 INV-7：催款（已过 2 天）"),
    (row("follow_up", "follow_up", days_past_due=0, subject_kind="po_line", subject_ref="PO1/2", note="问交期"),
     "跟进采购行 PO1/2：问交期"),
    # a value the template needs is missing: the English sentence rather than a gap
    (row("order_line", "late", days_past_due=12), "English late"),
    # a code without a Chinese template
    (row("order_line", "something_new", days_past_due=1), "English something_new"),
]


@pytest.mark.parametrize(("chase_row", "expected"), CASES)
def test_each_reason_in_chinese(chase_row, expected):
    assert chase_reasons(pl.DataFrame([chase_row], schema=SCHEMA), "zh").to_list() == [expected]


def test_a_whole_list_at_once_in_its_order():
    chase = pl.DataFrame([case[0] for case in CASES], schema=SCHEMA)
    assert chase_reasons(chase, "zh").to_list() == [case[1] for case in CASES]


def test_english_is_the_metric_layers_sentence():
    chase = pl.DataFrame([case[0] for case in CASES], schema=SCHEMA)
    assert chase_reasons(chase, "en").to_list() == chase["reason"].to_list()


def test_an_empty_list():
    assert chase_reasons(pl.DataFrame(schema=SCHEMA), "zh").to_list() == []
