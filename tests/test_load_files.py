"""Reading contract files: encodings, Excel, headers, line numbers, and files that cannot be loaded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from contract_files import VALID_ROWS, file_digest, table, write_csv, write_valid_folder, write_xlsx

from etl.loader import load_folder, load_sources
from etl.read import Source
from gendan.cli import main

ORDER_HEADER = ["order_no", "line_no", "customer_code", "order_date", "style_no", "quantity", "unit_price", "due_date"]
ORDER_ALIASES = ["订单号", "行号", "客户编号", "下单日期", "款号", "数量", "单价", "交期"]


def order_cells(order_no: str, line_no: str = "1", **changes: str) -> list[str]:
    row = {**VALID_ROWS["orders"], "order_no": order_no, "line_no": line_no, **changes}
    return [row[name] for name in ORDER_HEADER]


def loaded_orders(store) -> list[tuple]:
    return [row[:2] for row in table(store, "orders")]


def test_gbk_file_with_chinese_headers_and_values(store, tmp_path):
    """What Chinese Excel writes by default: GBK bytes, alias headers."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(
        folder / "customers.csv", ["客户编号", "客户名称", "国家"], [["C1", "杭州纺织有限公司", "中国"]], encoding="gbk"
    )
    write_csv(
        folder / "orders.csv",
        [*ORDER_ALIASES, "优先级", "品名"],
        [[*order_cells("单-1"), "加急", "男式衬衫"]],
        encoding="gbk",
    )
    report = load_folder(store, folder)
    assert report.rejects == []
    assert table(store, "customers")[0][:3] == ("C1", "杭州纺织有限公司", "中国")
    [order] = table(store, "orders")
    assert (order[0], order[5], order[11]) == ("单-1", "男式衬衫", "rush")


def test_utf8_with_bom(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_csv(folder / "orders.csv", ORDER_HEADER, [order_cells("SO1")], encoding="utf-8-sig")
    report = load_folder(store, folder)
    assert report.rejects == [] and report.ignored_columns == {}
    assert loaded_orders(store) == [("SO1", 1)]


@pytest.mark.parametrize(
    "header",
    [
        [" ORDER_NO ", "Line_No", "customer_code", "Order_Date", "STYLE_NO", "quantity ", " unit_price", "Due_Date"],
        [" 订单号", "行号 ", "客户编号", "下单日期", "款号", "数量", "单价", "交期"],
        ["order_no", "行号", "Customer_Code", "下单日期", "style_no", "数量", "UNIT_PRICE", "交期"],
    ],
    ids=["english-case-and-spaces", "chinese-with-spaces", "mixed"],
)
def test_header_variants(store, tmp_path, header):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_csv(folder / "orders.csv", header, [order_cells("SO1")])
    assert load_folder(store, folder).rejects == []
    assert loaded_orders(store) == [("SO1", 1)]


def test_columns_may_come_in_any_order_and_unknown_ones_are_listed(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    header = [*reversed(ORDER_HEADER), "", "Remarks", "备注", " "]  # column 9 is empty, column 12 is not
    write_csv(folder / "orders.csv", header, [[*reversed(order_cells("SO1")), "", "x", "y", "z"]])
    report = load_folder(store, folder)
    assert report.rejects == []
    assert report.ignored_columns == {"orders.csv": ["Remarks", "备注", "(column 12)"]}
    assert loaded_orders(store) == [("SO1", 1)]


def test_file_names_are_case_insensitive_and_other_files_are_listed(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_csv(folder / "Orders.CSV", ORDER_HEADER, [order_cells("SO1")])
    write_csv(folder / "orders-2025.csv", ORDER_HEADER, [order_cells("SO2")])
    (folder / "readme.txt").write_text("not data")
    report = load_folder(store, folder)
    assert loaded_orders(store) == [("SO1", 1)]
    assert report.ignored_files == ["orders-2025.csv"]


def test_line_numbers_count_newlines_inside_quoted_values(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    header = [*ORDER_HEADER, "description"]
    write_csv(
        folder / "orders.csv",
        header,
        [
            [*order_cells("SO1"), "line one\nline two\nline three"],  # lines 2-4
            [*order_cells("SO2", quantity="x"), "plain"],  # line 5
            [*order_cells("SO3"), "a\r\nb"],  # lines 6-7
            [*order_cells("SO4", quantity="y"), ""],  # line 8
        ],
    )
    report = load_folder(store, folder)
    assert [(r.line, r.value) for r in report.rejects] == [(5, "x"), (8, "y")]
    assert table(store, "orders")[0][5] == "line one\nline two\nline three"


def test_blank_lines_are_skipped_but_counted_in_line_numbers(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    header = ",".join(ORDER_HEADER)
    lines = ["", header, ",".join(order_cells("SO1")), "", ",,,,,,,", ",".join(order_cells("SO2", quantity="x"))]
    (folder / "orders.csv").write_text("\r\n".join(lines) + "\r\n")
    report = load_folder(store, folder)
    assert report.entities["orders"].read == 2
    assert [(r.line, r.value) for r in report.rejects] == [(6, "x")]


def test_a_row_with_more_values_than_the_header_is_rejected_alone(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    rows = [order_cells("SO1"), [*order_cells("SO2"), "1", "200"], order_cells("SO3")]
    write_csv(folder / "orders.csv", ORDER_HEADER, rows)
    report = load_folder(store, folder)
    assert [(r.line, r.column, r.reason) for r in report.rejects] == [
        (3, None, "has more values than the header has columns")
    ]
    assert loaded_orders(store) == [("SO1", 1), ("SO3", 1)]


def test_xlsx_first_sheet_with_date_and_number_cells(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_xlsx(
        folder / "orders.xlsx",
        [
            ["订单号", "Line_No", "customer_code", "order_date", "style_no", "quantity", "unit_price", "due_date"],
            ["SO1", 1, "C1", dt.date(2026, 1, 5), "ST-1", 1200, 199.9900055, dt.datetime(2026, 2, 20, 17, 30)],
            ["SO2", 2.0, "C1", "2026/1/6", 12345, "1,500", 0.00025, "2026年2月21日"],
            [],  # sheet row 4 is empty
            ["SO3", 1, "C1", dt.date(2026, 1, 7), "ST-3", 2.5, 1, dt.date(2026, 2, 22)],  # sheet row 5
        ],
    )
    report = load_folder(store, folder)
    assert [(r.file, r.line, r.column, r.value, r.reason) for r in report.rejects] == [
        ("orders.xlsx", 5, "quantity", "2.5", "not a whole number")
    ]
    rows = [(row[0], row[1], row[3], row[4], row[6], row[7], row[9]) for row in table(store, "orders")]
    assert rows == [
        ("SO1", 1, dt.date(2026, 1, 5), "ST-1", 1200, Decimal("199.9900"), dt.date(2026, 2, 20)),
        ("SO2", 2, dt.date(2026, 1, 6), "12345", 1500, Decimal("0.0003"), dt.date(2026, 2, 21)),
    ]


def test_xlsx_line_numbers_are_sheet_rows_even_below_empty_rows(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_xlsx(folder / "orders.xlsx", [ORDER_HEADER, order_cells("SO1", quantity="none")], first_row=2)
    report = load_folder(store, folder)
    assert [(r.line, r.value) for r in report.rejects] == [(4, "none")]


def test_load_sources_reads_uploaded_bytes_like_files(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers", "orders"])
    sources = [Source(name=path.name, data=path.read_bytes()) for path in sorted(folder.iterdir())]
    report = load_sources(store, [*sources, Source(name="notes.txt", data=b"x")], source_label="upload by li")
    assert report.rejects == [] and report.ignored_files == ["notes.txt"]
    assert loaded_orders(store) == [("SO1", 1)]
    assert report.source == "upload by li"


def run_load(folder: Path, db: Path, *extra: str):
    return CliRunner().invoke(main, ["load", str(folder), "--db", str(db), *extra])


def workbook_with_empty_sheet(path: Path) -> None:
    write_xlsx(path, [])


# (file name, how to write it, the one-line error after "Error: ")
BAD_FILES = [
    (
        "orders.csv",
        lambda path: path.write_bytes(b"order_no\n\xff\xfe\xfa\n"),
        "orders.csv: the text is neither UTF-8 nor GBK/GB18030; save it as 'CSV UTF-8' and try again",
    ),
    ("orders.csv", lambda path: path.write_bytes(b""), "orders.csv: the file is empty"),
    ("orders.csv", lambda path: path.write_bytes(b"\r\n\r\n  \n"), "orders.csv: the file is empty"),
    (
        "orders.csv",
        lambda path: path.write_bytes(b'order_no,style_no\n"SO1,ST\n'),
        "orders.csv: not a readable CSV file (a quoted value is never closed)",
    ),
    (
        "orders.xlsx",
        lambda path: path.write_bytes(b"PK\x03\x04 not really a zip"),
        "orders.xlsx: not a readable Excel workbook (.xlsx)",
    ),
    ("orders.xlsx", workbook_with_empty_sheet, "orders.xlsx: the first sheet is empty"),
    (
        "orders.csv",
        lambda path: write_csv(path, [h for h in ORDER_HEADER if h != "due_date"] + ["Due Dt", "Due"], []),
        "orders.csv: required column 'due_date' (交期) is missing; closest headers: 'Due Dt', 'Due'",
    ),
    (
        "orders.csv",
        lambda path: write_csv(path, ["order_no", "style_no"], []),
        "orders.csv: required column 'customer_code' (客户编号) is missing; no similar header; "
        "also missing: 'order_date', 'quantity', 'unit_price', 'due_date'",
    ),
    (
        "orders.csv",
        lambda path: write_csv(path, [*ORDER_HEADER, "订单号"], []),
        "orders.csv: several columns mean 'order_no' ('order_no', '订单号'); keep one",
    ),
]


@pytest.mark.parametrize(("name", "write", "message"), BAD_FILES, ids=[message for _, _, message in BAD_FILES])
def test_a_bad_file_fails_the_whole_load_with_one_line(store, tmp_path, name, write, message):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write(folder / name)
    assert_load_fails(folder, store, message)


def test_two_files_for_one_entity_fail_the_load(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_xlsx(folder / "ORDERS.xlsx", [ORDER_HEADER])
    write_csv(folder / "orders.csv", ORDER_HEADER, [])
    assert_load_fails(folder, store, "ORDERS.xlsx and orders.csv are both orders; keep one")


def assert_load_fails(folder: Path, store, message: str) -> None:
    """`gendan load` exits non-zero with exactly one line, no traceback, and the store unchanged."""
    before = file_digest(store.path)
    result = run_load(folder, store.path)
    assert result.exit_code != 0
    assert result.output == f"Error: {message}\n"
    assert file_digest(store.path) == before  # the good customers file loaded nothing either


def test_a_folder_without_contract_files_is_an_error(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "notes.csv").write_text("a\n1\n")
    result = run_load(folder, tmp_path / "db.duckdb")
    assert result.exit_code != 0
    assert result.output.startswith(
        "Error: no contract files to load (expected one or more of fx_rates.csv, customers.csv,"
    )
    assert not (tmp_path / "db.duckdb").exists()


def test_a_header_only_file_loads_nothing_and_is_fine(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_csv(folder / "orders.csv", ORDER_HEADER, [])
    report = load_folder(store, folder)
    assert report.entities["orders"].read == 0 and report.rejects == []


def test_a_store_that_cannot_be_written_is_a_one_line_error(tmp_path):
    folder = write_valid_folder(tmp_path / "in")
    (tmp_path / "not-a-folder").write_text("")
    result = run_load(folder, tmp_path / "not-a-folder" / "gendan.duckdb")
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and result.output.startswith("Error: ")
