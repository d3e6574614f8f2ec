"""Every kind of reject: its stored code and detail, its English sentence and the Chinese the Data page
shows; and rejects stored before codes existed, which the migration to version 7 reads back from their
sentences."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from contract_files import write_valid_folder

from dashboard.i18n import REJECT_KINDS, REJECT_REASONS_ZH, reject_reasons
from etl.loader import Reject, load_folder
from etl.parse import REASON_CODES
from gendan.settings import Settings
from warehouse import metrics
from warehouse.sql_files import sql_text
from warehouse.store import Store, migrations

PO_HEADER = "po_no,supplier,material,order_date,promised_date,quantity,received_qty,status"
ORDER_HEADER = "order_no,line_no,customer_code,order_date,style_no,quantity,unit_price,due_date"


@dataclass(frozen=True)
class Case:
    """A tiny file (`csv`, with the valid rows of `needs` beside it) whose one reject is of `code`."""

    name: str
    entity: str
    csv: str
    line: int
    column: str | None
    value: str | None
    code: str
    detail: str | None
    english: str
    chinese: str
    needs: tuple[str, ...] = ()


CASES = [
    Case("missing", "customers", "customer_code,customer_name\nC1,\n", 2, "customer_name", None,
         "missing", None, "missing required value", "缺少必填值"),
    Case("surplus", "customers", "customer_code,customer_name\nC1,Acme,extra\n", 2, None, None,
         "surplus_values", None, "has more values than the header has columns", "值的个数多于表头的列数"),
    Case("day first", "purchase_orders", f"{PO_HEADER}\nPO1,Fabric Co,Poplin,05/01/2026,2026-01-16,2500,,\n", 2,
         "order_date", "05/01/2026", "not_a_date", None,
         "not a date (expected YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)",
         "不是日期（应为 YYYY-MM-DD、YYYY/M/D、YYYY.M.D 或 YYYY年M月D日）"),
    Case("30 February", "purchase_orders", f"{PO_HEADER}\nPO1,Fabric Co,Poplin,2026-01-06,2026-02-30,2500,,\n", 2,
         "promised_date", "2026-02-30", "no_such_day", None, "no such day in the calendar", "日历上没有这一天"),
    Case("words", "customers", "customer_code,customer_name,payment_terms_days\nC1,Acme,thirty\n", 2,
         "payment_terms_days", "thirty", "not_a_number", None, "not a number", "不是数字"),
    Case("fraction", "customers", "customer_code,customer_name,payment_terms_days\nC1,Acme,30.5\n", 2,
         "payment_terms_days", "30.5", "not_whole", None, "not a whole number", "不是整数"),
    Case("15 digits", "purchase_orders", f"{PO_HEADER}\nPO1,Fabric Co,Poplin,2026-01-06,2026-01-16,"
         "123456789012345,,\n", 2, "quantity", "123456789012345", "too_large", None, "number too large", "数字过大"),
    Case("four letters", "fx_rates", "currency,rate_to_base\nEURO,1.08\n", 2, "currency", "EURO",
         "not_a_currency", None, "not a currency code (expected 3 letters, e.g. USD)",
         "不是货币代码（应为 3 个字母，如 USD）"),
    # the sentences quote the cell trimmed, as it was checked; the value is the cell as written
    Case("status", "purchase_orders", f"{PO_HEADER}\nPO1,Fabric Co,Poplin,2026-01-06,2026-01-16,2500,, done \n", 2,
         "status", " done ", "unknown_code", "open/未结, closed/已结, cancelled/取消",
         "unknown status code 'done' (expected open/未结, closed/已结, cancelled/取消)",
         "未知的代码“done”（应为 open/未结、closed/已结、cancelled/取消）"),
    Case("status over two lines", "purchase_orders",
         f'{PO_HEADER}\nPO1,Fabric Co,Poplin,2026-01-06,2026-01-16,2500,,"do\nne"\n', 2, "status", "do\nne",
         "unknown_code", "open/未结, closed/已结, cancelled/取消",
         "unknown status code 'do\nne' (expected open/未结, closed/已结, cancelled/取消)",
         "未知的代码“do\nne”（应为 open/未结、closed/已结、cancelled/取消）"),
    Case("negative", "customers", "customer_code,customer_name,payment_terms_days\nC1,Acme,-1\n", 2,
         "payment_terms_days", "-1", "below_minimum", ">= 0", "must be >= 0", "必须 ≥ 0"),
    Case("zero rate", "fx_rates", "currency,rate_to_base\nEUR,0\n", 2, "rate_to_base", "0",
         "below_minimum", "> 0", "must be > 0", "必须 > 0"),
    Case("due early", "orders", f"{ORDER_HEADER}\nSO1,1,C1,2026-01-05,ST-1,1200,3.5,2026-01-04\n", 2,
         "due_date", "2026-01-04", "due_before_order", None, "due_date is before order_date", "交期早于下单日期",
         ("customers",)),
    Case("no receipt date", "purchase_orders", f"{PO_HEADER}\nPO1,Fabric Co,Poplin,2026-01-06,2026-01-16,2500,100,\n",
         2, "received_date", None, "received_without_date", None,
         "received_qty > 0 but received_date is empty", "已收数量 > 0 但收货日期为空"),
    Case("same key", "customers", "customer_code,customer_name\nC1,Acme\nC1,Acme again\n", 3, "customer_code", "C1",
         "repeated_key", "2", "repeats the key of line 2", "与第 2 行的主键重复"),
    Case("customer", "orders", f"{ORDER_HEADER}\nSO1,1,C9,2026-01-05,ST-1,1200,3.5,2026-02-20\n", 2,
         "customer_code", "C9", "unknown_reference", "customer", "customer 'C9' is not in this load or the store",
         "客户“C9”不在本次导入中，也不在库里", ("customers",)),
    Case("order line", "shipments", "shipment_no,order_no,line_no,ship_date,shipped_qty,invoice_no\n"
         "SH1,SO1,2,2026-02-18,1200,INV1\n", 2, "order_no, line_no", "SO1/2", "unknown_reference", "order line",
         "order line 'SO1/2' is not in this load or the store", "订单行“SO1/2”不在本次导入中，也不在库里",
         ("customers", "orders")),
    Case("invoice", "payments", "payment_no,invoice_no,payment_date,amount\nPAY1,INV9,2026-03-01,4200\n", 2,
         "invoice_no", "INV9", "unknown_reference", "invoice", "invoice 'INV9' is not in this load or the store",
         "发票“INV9”不在本次导入中，也不在库里", ("customers", "orders", "shipments")),
]  # fmt: skip


def test_every_kind_has_a_case_a_chinese_sentence_and_a_label():
    assert {case.code for case in CASES} == set(REASON_CODES)
    assert set(REJECT_REASONS_ZH) == set(REASON_CODES)
    assert set(REJECT_KINDS) == set(REASON_CODES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_kind_of_reject(store, tmp_path, case):
    """The report and the rejects table carry the code and detail; the sentence reads in either language."""
    folder = write_valid_folder(tmp_path / "in", case.needs)
    (folder / f"{case.entity}.csv").write_text(case.csv, encoding="utf-8")
    report = load_folder(store, folder)
    assert report.rejects == [
        Reject(
            file=f"{case.entity}.csv",
            line=case.line,
            column=case.column,
            value=case.value,
            reason=case.english,
            reason_code=case.code,
            reason_detail=case.detail,
        )
    ]
    con = store.connect()
    try:
        stored = metrics.load_rejects(con)
    finally:
        con.close()
    assert stored.select("line", "reason", "reason_code", "reason_detail").rows() == [
        (case.line, case.english, case.code, case.detail)
    ]
    assert reject_reasons(stored, "en").to_list() == [case.english]
    assert reject_reasons(stored, "zh").to_list() == [case.chinese]


def store_of_version_6(path: Path, rejects: list[tuple]) -> Store:
    """A store as version 6 left it, holding `rejects` (load_id, file, entity, line, column, value, reason)."""
    con = duckdb.connect(str(path))
    try:
        for version, relative in migrations("schema"):
            if version <= 6:
                con.execute(sql_text(relative))
        con.execute("insert or replace into meta values ('schema_version', '6')")
        con.executemany("insert into rejects values (?, ?, ?, ?, ?, ?, ?)", rejects)
    finally:
        con.close()
    return Store(path, Settings(db=path))


def test_migration_reads_the_code_and_detail_back_from_older_rejects(tmp_path):
    never_written = "a sentence no version wrote"
    old_rows = [
        (1, f"{case.entity}.csv", case.entity, line, case.column, case.value, case.english)
        for line, case in enumerate(CASES, start=2)
    ] + [(1, "orders.csv", "orders", 99, "quantity", "x", never_written)]
    store = store_of_version_6(tmp_path / "old.duckdb", old_rows)
    con = store.connect()  # migrates the file to this version first
    try:
        stored = metrics.load_rejects(con).sort("line")
        references = metrics.load_rejects(con, reason_code="unknown_reference")
    finally:
        con.close()

    rows = stored.to_dicts()
    kept = [(1, row["file"], row["entity"], row["line"], row["column"], row["value"], row["reason"]) for row in rows]
    assert kept == old_rows  # nothing stored is lost or changed
    assert [(row["reason_code"], row["reason_detail"]) for row in rows] == [
        *((case.code, case.detail) for case in CASES),
        (None, None),
    ]
    assert reject_reasons(stored, "zh").to_list() == [*(case.chinese for case in CASES), never_written]
    reference_lines = [line for line, case in enumerate(CASES, start=2) if case.code == "unknown_reference"]
    assert sorted(references["line"]) == reference_lines
