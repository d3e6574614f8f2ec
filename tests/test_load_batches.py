"""Big files are read and checked a batch at a time: nothing a user sees may depend on where batches split."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from contract_files import VALID_ROWS, data_tables, write_csv, write_valid_folder

import etl.read
from etl.loader import load_folder
from warehouse.store import Store

ORDER_HEADER = ["order_no", "line_no", "customer_code", "order_date", "style_no", "quantity", "unit_price", "due_date"]
QUANTITIES = ["7", " 7", "+3", "1,200", "12.0", "x", "0", "１２", "99999999999999999999", "1.5", ""]
DATES = ["2026-01-05", "2026/1/5", " 2026-01-05", "2026年9月8日", "2026-02-30", "26-1-5", "2026.1.5"]
PRICES = ["3.5", "1,234.56789", " 0.00025", "1e3", "99999999999999.99995", "12.", "-0.01"]


def order_rows() -> list[list[str]]:
    """Order lines whose cells are written plainly in some batches and not in others, with repeated keys."""
    rows = []
    for index in range(40):
        order_no = f"SO{index % 13}"  # repeats the key of an earlier line, sometimes in another batch
        quantity = QUANTITIES[index % len(QUANTITIES)] if index % 3 == 0 else str(100 + index)
        order_date = DATES[index % len(DATES)] if index % 4 == 0 else "2026-01-05"
        price = PRICES[index % len(PRICES)] if index % 5 == 0 else "3.5"
        rows.append([order_no, "1", "C1", order_date, "ST", quantity, price, "2026-03-01"])
    return rows


def csv_text(rows: list[list[str]], *, newline_at: set[int] = frozenset(), blank_at: set[int] = frozenset()) -> str:
    """A CSV text of the order header and `rows`; style numbers with a newline and blank lines where asked."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(ORDER_HEADER)
    for index, row in enumerate(rows):
        if index in blank_at:
            text.write("\r\n,,,\r\n")
        writer.writerow([*row[:4], "ST\nlong" if index in newline_at else row[4], *row[5:]])
    return text.getvalue()


def load(folder: Path, db: Path):
    store = Store(db)
    report = load_folder(store, folder)
    return report.model_dump(exclude={"load_id", "source"}), data_tables(store)


@pytest.mark.parametrize("batch_rows", [1, 3, 7])
def test_a_file_loads_the_same_whatever_its_batches(tmp_path, monkeypatch, batch_rows):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    (folder / "orders.csv").write_text(csv_text(order_rows(), newline_at={2, 9, 10}, blank_at={5, 20}))
    whole = load(folder, tmp_path / "whole.duckdb")
    monkeypatch.setattr(etl.read, "BATCH_ROWS", batch_rows)
    monkeypatch.setattr(etl.read, "HEADER_SEARCH_ROWS", 1)
    assert load(folder, tmp_path / "batched.duckdb") == whole
    report, _ = whole
    assert any("repeats the key" in reject["reason"] for reject in report["rejects"])
    assert report["entities"]["orders"]["rejected"] > 0 and report["entities"]["orders"]["loaded"] > 0


def test_line_numbers_and_repeats_across_batches(store, tmp_path, monkeypatch):
    monkeypatch.setattr(etl.read, "BATCH_ROWS", 2)
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    order = [VALID_ROWS["orders"][name] for name in ORDER_HEADER]
    rows = [order, [*order[:5], "x", *order[6:]], ["SO2", *order[1:]], order, [*order[:4], "a\nb", *order[5:]], order]
    (folder / "orders.csv").write_text(csv_text(rows, blank_at={3}))
    report = load_folder(store, folder)
    assert [(r.line, r.reason) for r in report.rejects] == [
        (3, "not a number"),
        (7, "repeats the key of line 2"),  # line 5 is blank and 6 is empty cells
        (8, "repeats the key of line 2"),  # lines 8-9: a style number with a newline
        (10, "repeats the key of line 2"),
    ]


def test_a_record_wider_than_the_header_in_a_later_batch(store, tmp_path, monkeypatch):
    monkeypatch.setattr(etl.read, "BATCH_ROWS", 2)
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    order = [VALID_ROWS["orders"][name] for name in ORDER_HEADER]
    rows = [[f"SO{index}", *order[1:]] for index in range(6)]
    rows[4] = [*rows[4], "extra", "values"]
    write_csv(folder / "orders.csv", ORDER_HEADER, rows)
    report = load_folder(store, folder)
    assert [(r.line, r.reason) for r in report.rejects] == [(6, "has more values than the header has columns")]
    assert report.entities["orders"].loaded == 5


def test_a_gbk_file_of_many_batches(store, tmp_path, monkeypatch):
    monkeypatch.setattr(etl.read, "BATCH_ROWS", 3)
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    order = [VALID_ROWS["orders"][name] for name in ORDER_HEADER]
    rows = [[f"单-{index}", *order[1:4], "男式衬衫", *order[5:]] for index in range(10)]
    rows[7][5] = "十"
    header = ["订单号", "行号", "客户编号", "下单日期", "款号", "数量", "单价", "交期"]
    write_csv(folder / "orders.csv", header, rows, encoding="gbk")
    report = load_folder(store, folder)
    assert [(r.line, r.value) for r in report.rejects] == [(9, "十")]
    assert report.entities["orders"].loaded == 9


def test_money_is_rounded_as_duckdb_casts_it(store, tmp_path):
    """Half away from zero on the first dropped digit, however many digits follow; too large past 18 digits."""
    texts = [
        "199.9900055", "0.00025", "1.23445", "0.000049999", "0.0000499999999999999999999", "1.2345500000000000001",
        "12.", "+3", "007.5", "12345678901234.5", "99999999999999.99994", "99999999999999.99995", "123456789012345",
        "1" + "0" * 40, "0." + "9" * 50,
    ]  # fmt: skip
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    order = [VALID_ROWS["orders"][name] for name in ORDER_HEADER]
    rows = [[f"SO{index}", *order[1:6], text, order[7]] for index, text in enumerate(texts)]
    write_csv(folder / "orders.csv", ORDER_HEADER, rows)
    report = load_folder(store, folder)
    cast = "select try_cast($text as decimal(18, 4))"
    expected = {row[0]: duckdb.execute(cast, {"text": row[6]}).fetchone()[0] for row in rows}
    assert stored_prices(store) == {order_no: value for order_no, value in expected.items() if value is not None}
    assert [r.reason for r in report.rejects] == ["number too large"] * list(expected.values()).count(None)
    assert stored_prices(store)["SO1"] == Decimal("0.0003")


def stored_prices(store) -> dict[str, Decimal]:
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        return dict(con.sql("select order_no, unit_price from orders").fetchall())
    finally:
        con.close()


def test_a_file_that_cannot_be_read_is_reported_before_an_earlier_header_problem(store, tmp_path):
    """Found only once the whole file is read, so the load reads on before it reports the header."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_csv(folder / "customers.csv", ["customer_code", "name"], [["C1", "Acme"]])
    order = [VALID_ROWS["orders"][name] for name in ORDER_HEADER]
    text = csv_text([[f"SO{index}", *order[1:]] for index in range(5)]) + '"SO9,1\r\n'
    (folder / "orders.csv").write_text(text)
    with pytest.raises(etl.read.LoadError, match="orders.csv: not a readable CSV file"):
        load_folder(store, folder)
