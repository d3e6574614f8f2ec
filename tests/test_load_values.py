"""Every value rule of the data contract: what is accepted (and stored as what) and every reject reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from contract_files import VALID_ROWS, write_rows, write_valid_folder

from etl.contract import ENTITIES
from etl.loader import Reject, load_folder
from warehouse.sql_files import sql_text

NOT_A_DATE = "not a date (expected YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日)"


def stored(store, sql: str) -> list[tuple]:
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def load_one_order(store, tmp_path, **cells: str):
    """Load the valid customer and one order line with `cells` changed; the report."""
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_rows(folder, "orders", [{**VALID_ROWS["orders"], **cells}])
    return load_folder(store, folder)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22", dt.date(2026, 11, 22)),
        ("2026/11/22", dt.date(2026, 11, 22)),
        ("2026.11.22", dt.date(2026, 11, 22)),
        ("2026年11月22日", dt.date(2026, 11, 22)),
        ("2026/1/5", dt.date(2026, 1, 5)),
        ("2026-1-5", dt.date(2026, 1, 5)),
        ("2026.1.05", dt.date(2026, 1, 5)),
        ("2026年9月8日", dt.date(2026, 9, 8)),
        ("  2026-01-05 ", dt.date(2026, 1, 5)),
        ("2024-02-29", dt.date(2024, 2, 29)),
    ],
)
def test_every_date_form_is_accepted(store, tmp_path, text, expected):
    report = load_one_order(store, tmp_path, order_date=text, due_date="2027-01-01")
    assert report.rejects == []
    assert stored(store, "select order_date from orders") == [(expected,)]


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("quantity", "1,200", 1200),
        ("quantity", "1,234,567", 1234567),
        ("quantity", " 7 ", 7),
        ("quantity", "+3", 3),
        ("quantity", "12.0", 12),  # a whole number written by a spreadsheet
        ("quantity", "12.", 12),
        ("unit_price", "199.9900055", Decimal("199.9900")),  # float noise from an export
        ("unit_price", "1,234.5", Decimal("1234.5000")),
        ("unit_price", "0.00025", Decimal("0.0003")),  # half-up; half-to-even would give 0.0002
        ("unit_price", "1.23445", Decimal("1.2345")),  # half-up; half-to-even would give 1.2344
        ("unit_price", "0.000049999", Decimal("0.0000")),
        ("unit_price", "0", Decimal("0.0000")),  # money >= 0: free samples are fine
        ("unit_price", "12345678901234.5", Decimal("12345678901234.5000")),  # the largest DECIMAL(18,4) holds
    ],
)
def test_numbers_are_parsed_exactly(store, tmp_path, column, text, expected):
    report = load_one_order(store, tmp_path, **{column: text})
    assert report.rejects == []
    assert stored(store, f"select {column} from orders") == [(expected,)]


@pytest.mark.parametrize(
    ("column", "text", "expected"),
    [
        ("priority", "rush", "rush"),
        ("priority", "RUSH", "rush"),
        ("priority", " 加急 ", "rush"),
        ("priority", "普通", "normal"),
        ("priority", "", "normal"),  # default
        ("status", "Cancelled", "cancelled"),
        ("status", "取消", "cancelled"),
        ("status", "", "open"),  # default
        ("currency", "usd", "USD"),
        ("currency", " cny ", "CNY"),
        ("currency", "", None),  # left to the core layer: the base currency
        ("line_no", "", 1),  # default
        ("order_no", "  SO1 ", "SO1"),  # text is trimmed
        ("description", "衬衫, 全棉", "衬衫, 全棉"),
    ],
)
def test_codes_defaults_and_text(store, tmp_path, column, text, expected):
    report = load_one_order(store, tmp_path, **{column: text})
    assert report.rejects == []
    assert stored(store, f"select {column} from orders") == [(expected,)]


def test_constant_defaults_are_stored_and_row_dependent_ones_left_null(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in")
    write_rows(folder, "customers", [{"customer_code": "C1", "customer_name": "Acme"}])
    load_folder(store, folder)
    assert stored(store, "select payment_terms_days from customers") == [(30,)]
    assert stored(store, "select currency, merchandiser, priority, status from orders") == [
        (None, None, "normal", "open")
    ]
    assert stored(store, "select defect_qty, planned_qty, delay_reason from production_daily") == [(0, None, None)]
    assert stored(store, "select po_line, received_qty, received_date, status from purchase_orders") == [
        (1, Decimal("0.0000"), None, "open")
    ]
    assert stored(store, "select amount, currency from shipments") == [(None, None)]


def test_codes_of_every_entity_accept_chinese(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in")
    write_rows(folder, "customers", [{**VALID_ROWS["customers"], "tier": "b"}])
    write_rows(
        folder, "production_daily", [{**VALID_ROWS["production_daily"], "process": "包装", "delay_reason": "待料"}]
    )
    write_rows(folder, "purchase_orders", [{**VALID_ROWS["purchase_orders"], "status": "已结"}])
    report = load_folder(store, folder)
    assert report.rejects == []
    assert stored(store, "select tier from customers") == [("B",)]
    assert stored(store, "select process, delay_reason from production_daily") == [("packing", "material_shortage")]
    assert stored(store, "select status from purchase_orders") == [("closed",)]


# (entity, cells changed in that entity's valid row, rejected column, rejected value, reason)
REJECTS = [
    ("customers", {"customer_name": ""}, "customer_name", None, "missing required value"),
    ("customers", {"customer_name": "   "}, "customer_name", "   ", "missing required value"),
    ("customers", {"payment_terms_days": "-1"}, "payment_terms_days", "-1", "must be >= 0"),
    ("customers", {"payment_terms_days": "thirty"}, "payment_terms_days", "thirty", "not a number"),
    ("customers", {"payment_terms_days": "30.5"}, "payment_terms_days", "30.5", "not a whole number"),
    ("customers", {"tier": "D"}, "tier", "D", "unknown tier code 'D' (expected A, B, C)"),
    ("orders", {"line_no": "0"}, "line_no", "0", "must be >= 1"),
    ("orders", {"order_date": "05/01/2026"}, "order_date", "05/01/2026", NOT_A_DATE),
    ("orders", {"order_date": "2026/1.5"}, "order_date", "2026/1.5", NOT_A_DATE),
    ("orders", {"order_date": "26-1-5"}, "order_date", "26-1-5", NOT_A_DATE),
    ("orders", {"order_date": "2026-01-05 10:30"}, "order_date", "2026-01-05 10:30", NOT_A_DATE),
    ("orders", {"order_date": "2026-02-30"}, "order_date", "2026-02-30", "no such day in the calendar"),
    ("orders", {"order_date": "2026年13月1日"}, "order_date", "2026年13月1日", "no such day in the calendar"),
    ("orders", {"quantity": "0"}, "quantity", "0", "must be > 0"),
    ("orders", {"quantity": "1,2"}, "quantity", "1,2", "not a number"),
    ("orders", {"quantity": "1.5"}, "quantity", "1.5", "not a whole number"),
    ("orders", {"quantity": "99999999999999999999"}, "quantity", "99999999999999999999", "number too large"),
    ("orders", {"unit_price": "-0.01"}, "unit_price", "-0.01", "must be >= 0"),
    ("orders", {"unit_price": "$5"}, "unit_price", "$5", "not a number"),
    ("orders", {"unit_price": "1e3"}, "unit_price", "1e3", "not a number"),
    ("orders", {"unit_price": "123456789012345"}, "unit_price", "123456789012345", "number too large"),
    ("orders", {"currency": "US$"}, "currency", "US$", "not a currency code (expected 3 letters, e.g. USD)"),
    ("orders", {"due_date": "2026-01-04"}, "due_date", "2026-01-04", "due_date is before order_date"),
    (
        "orders",
        {"priority": "urgent"},
        "priority",
        "urgent",
        "unknown priority code 'urgent' (expected normal/普通, rush/加急)",
    ),
    (
        "orders",
        {"status": "closed"},
        "status",
        "closed",
        "unknown status code 'closed' (expected open/正常, cancelled/取消)",
    ),
    ("orders", {"customer_code": "C9"}, "customer_code", "C9", "customer 'C9' is not in this load or the store"),
    (
        "production_daily",
        {"process": "weaving"},
        "process",
        "weaving",
        "unknown process code 'weaving' (expected cutting/裁床, sewing/车缝, finishing/后整, packing/包装)",
    ),
    (
        "production_daily",
        {"delay_reason": "rain"},
        "delay_reason",
        "rain",
        "unknown delay reason code 'rain' (expected plan_error/计划错误, machine_breakdown/设备故障, "
        "material_shortage/待料, high_defects/不良率高, rush_order_insert/插单, upstream_delay/前工序延误, "
        "absenteeism/缺勤, other/其他)",
    ),
    ("production_daily", {"output_qty": "-5"}, "output_qty", "-5", "must be >= 0"),
    ("production_daily", {"report_date": ""}, "report_date", None, "missing required value"),
    (
        "production_daily",
        {"order_no": "SO9"},
        "order_no, line_no",
        "SO9/1",
        "order line 'SO9/1' is not in this load or the store",
    ),
    ("purchase_orders", {"quantity": "0"}, "quantity", "0", "must be > 0"),
    ("purchase_orders", {"received_qty": "-1"}, "received_qty", "-1", "must be >= 0"),
    (
        "purchase_orders",
        {"received_qty": "100"},
        "received_date",
        None,
        "received_qty > 0 but received_date is empty",
    ),
    (
        "purchase_orders",
        {"status": "done"},
        "status",
        "done",
        "unknown status code 'done' (expected open/未结, closed/已结, cancelled/取消)",
    ),
    ("shipments", {"shipped_qty": "0"}, "shipped_qty", "0", "must be > 0"),
    ("shipments", {"amount": "-1"}, "amount", "-1", "must be >= 0"),
    (
        "shipments",
        {"line_no": "2"},
        "order_no, line_no",
        "SO1/2",
        "order line 'SO1/2' is not in this load or the store",
    ),
    ("payments", {"amount": "0"}, "amount", "0", "must be > 0"),
    ("payments", {"amount": "0.00004"}, "amount", "0.00004", "must be > 0"),  # stored value would round to 0
    ("payments", {"invoice_no": "INV9"}, "invoice_no", "INV9", "invoice 'INV9' is not in this load or the store"),
    ("fx_rates", {"rate_to_base": "0"}, "rate_to_base", "0", "must be > 0"),
    ("fx_rates", {"currency": "EURO"}, "currency", "EURO", "not a currency code (expected 3 letters, e.g. USD)"),
]


@pytest.mark.parametrize(
    ("entity", "cells", "column", "value", "reason"), REJECTS, ids=[f"{r[0]}:{r[2]}:{r[3]}" for r in REJECTS]
)
def test_every_reject_reason(store, tmp_path, entity, cells, column, value, reason):
    """The changed row (line 2) is rejected with its own reason; the rows it refers to still load.

    Its code and detail are those the migration to version 7 reads back from the sentence
    (tests/test_reject_reasons.py works out each kind's by hand).
    """
    folder = write_valid_folder(tmp_path / "in", referenced_entities(entity))
    write_rows(folder, entity, [{**VALID_ROWS[entity], **cells}])
    report = load_folder(store, folder)
    code, detail = read_back(reason)
    assert report.rejects == [
        Reject(
            file=f"{entity}.csv",
            line=2,
            column=column,
            value=value,
            reason=reason,
            reason_code=code,
            reason_detail=detail,
        )
    ]
    assert report.entities[entity].model_dump(include={"read", "loaded", "rejected"}) == {
        "read": 1,
        "loaded": 0,
        "rejected": 1,
    }


def read_back(reason: str) -> tuple[str | None, str | None]:
    """The reason_code and reason_detail the migration to version 7 gives a reject stored with only `reason`."""
    con = duckdb.connect()
    try:
        con.execute(sql_text("schema/001_raw_tables.sql"))
        con.execute("insert into rejects values (1, 'f.csv', 'f', 2, null, null, $reason)", {"reason": reason})
        con.execute(sql_text("schema/007_reject_reason_codes.sql"))
        [found] = con.execute("select reason_code, reason_detail from rejects").fetchall()
        return found
    finally:
        con.close()


def referenced_entities(entity: str) -> set[str]:
    """The entities an entity's rows refer to, directly or not."""
    found = set()
    for reference in ENTITIES[entity].references:
        found |= {reference.target} | referenced_entities(reference.target)
    return found


def test_good_rows_of_a_file_load_around_a_rejected_one(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    order = VALID_ROWS["orders"]
    write_rows(folder, "orders", [order, {**order, "line_no": "2", "quantity": "x"}, {**order, "line_no": "3"}])
    report = load_folder(store, folder)
    assert [(r.line, r.column) for r in report.rejects] == [(3, "quantity")]
    assert stored(store, "select line_no from orders order by line_no") == [(1,), (3,)]


def test_a_repeated_key_rejects_every_repeat_even_when_the_first_is_rejected(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    order = VALID_ROWS["orders"]
    write_rows(
        folder,
        "orders",
        [
            {**order, "quantity": "0"},  # line 2: rejected itself, still the first of its key
            {**order, "line_no": "2"},  # line 3: another key
            {**order, "line_no": "01"},  # line 4: same key as line 2 once parsed
            {**order},  # line 5
        ],
    )
    report = load_folder(store, folder)
    assert [(r.line, r.column, r.value, r.reason) for r in report.rejects] == [
        (2, "quantity", "0", "must be > 0"),
        (4, "order_no, line_no", "SO1/1", "repeats the key of line 2"),
        (5, "order_no, line_no", "SO1/1", "repeats the key of line 2"),
    ]
    assert stored(store, "select order_no, line_no from orders") == [("SO1", 2)]


def test_a_row_with_several_problems_reports_the_first_in_column_order(store, tmp_path):
    report = load_one_order(store, tmp_path, order_date="someday", quantity="-1", priority="urgent", customer_code="C9")
    assert report.rejects == [
        Reject(
            file="orders.csv",
            line=2,
            column="order_date",
            value="someday",
            reason=NOT_A_DATE,
            reason_code="not_a_date",
            reason_detail=None,
        )
    ]


def test_a_problem_in_a_value_comes_before_a_repeated_key(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_rows(folder, "orders", [VALID_ROWS["orders"], {**VALID_ROWS["orders"], "due_date": "2026-13-01"}])
    report = load_folder(store, folder)
    assert [(r.line, r.column, r.reason) for r in report.rejects] == [(3, "due_date", "no such day in the calendar")]


def test_references_to_rows_of_the_same_load_are_satisfied_in_load_order(store, tmp_path):
    """Payments refer to shipments, shipments to orders, orders to customers, all in one load."""
    report = load_folder(store, write_valid_folder(tmp_path / "in"))
    assert report.rejects == []
    assert {name: counts.loaded for name, counts in report.entities.items()} == dict.fromkeys(
        ["fx_rates", "customers", "orders", "production_daily", "purchase_orders", "shipments", "payments"], 1
    )


def test_a_reference_to_a_rejected_row_of_the_same_load_is_rejected(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers", "production_daily"])
    write_rows(folder, "orders", [{**VALID_ROWS["orders"], "quantity": "none"}])
    report = load_folder(store, folder)
    assert [(r.file, r.reason) for r in report.rejects] == [
        ("orders.csv", "not a number"),
        ("production_daily.csv", "order line 'SO1/1' is not in this load or the store"),
    ]
