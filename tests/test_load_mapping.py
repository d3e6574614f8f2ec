"""Header maps for exports with the factory's own headers, and the upload form's header check."""

from __future__ import annotations

import tomllib

import pytest
from click.testing import CliRunner
from contract_files import VALID_ROWS, table, write_csv, write_valid_folder, write_xlsx

from etl.mapping import HeaderMap, inspect_headers, load_header_map, save_header_map
from etl.read import LoadError, Source
from gendan.cli import main

ERP_HEADER = ["Order Id", "Item", "Buyer", "PO Date", "Style", "Qty", "FOB", "Ship By", "Remarks"]
ERP_ROW = ["SO1", "1", "C1", "2026/1/5", "ST-100", "1,200", "3.50", "2026/2/20", "rush it"]
ERP_MAP = """\
[orders]
"Order Id" = "order_no"
"item" = "line_no"
" BUYER " = "customer_code"
"PO Date" = "order_date"
"Style" = "style_no"
"Qty" = "quantity"
"FOB" = "unit_price"
"Ship By" = "due_date"
"""


def test_load_with_a_toml_header_map(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_csv(folder / "orders.csv", ERP_HEADER, [ERP_ROW])
    map_file = tmp_path / "erp.toml"
    map_file.write_text(ERP_MAP, encoding="utf-8")
    result = CliRunner().invoke(main, ["load", str(folder), "--db", str(store.path), "--map", str(map_file)])
    assert result.exit_code == 0, result.output
    assert "Ignored columns of orders.csv: Remarks" in result.output
    [order] = table(store, "orders")
    assert (order[0], order[1], order[2], order[4], order[6]) == ("SO1", 1, "C1", "ST-100", 1200)


def test_without_the_map_the_same_file_fails_with_suggestions(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_csv(folder / "orders.csv", ERP_HEADER, [ERP_ROW])
    result = CliRunner().invoke(main, ["load", str(folder), "--db", str(store.path)])
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: orders.csv: required column 'order_no' (订单号) is missing; closest headers: 'Order Id'"
    )


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[order]\n"Order Id" = "order_no"\n',
            "erp.toml: [order] is not an entity (expected one of fx_rates, customers,",
        ),
        (
            '[orders]\n"Order Id" = "order_number"\n',
            "erp.toml: [orders] 'Order Id' = 'order_number': orders has no column 'order_number'",
        ),
        ('[orders]\n"Order Id" = 3\n', "erp.toml: orders Order Id: Input should be a valid string"),
        ('[orders\n"Order Id" = "order_no"\n', "erp.toml: not a readable TOML header map (Expected ']'"),
    ],
    ids=["unknown entity", "unknown column", "not text", "not TOML"],
)
def test_a_bad_header_map_is_a_one_line_error(store, tmp_path, toml, message):
    map_file = tmp_path / "erp.toml"
    map_file.write_text(toml, encoding="utf-8")
    with pytest.raises(LoadError) as raised:
        load_header_map(map_file)
    assert str(raised.value).startswith(message)
    result = CliRunner().invoke(
        main, ["load", str(write_valid_folder(tmp_path / "in")), "--db", str(store.path), "--map", str(map_file)]
    )
    assert (
        result.exit_code == 1 and result.output.startswith(f"Error: {message}") and len(result.output.splitlines()) == 1
    )


def test_a_saved_header_map_reads_back_the_same(tmp_path):
    header_map = HeaderMap(
        {"orders": {'Order "No"': "order_no", "交货\\日期": "due_date"}, "customers": {"Buyer": "customer_code"}}
    )
    save_header_map(header_map, tmp_path / "saved.toml")
    assert load_header_map(tmp_path / "saved.toml") == header_map


def test_inspect_headers_for_the_upload_form(tmp_path):
    path = write_csv(
        tmp_path / "orders.csv", ["订单号", "Cust Code", "order_date", "Style No", "qty", "Remarks", "Due Dt"], []
    )
    check = inspect_headers(Source(name="orders.csv", data=path.read_bytes()), "orders")
    assert check.matched == {"订单号": "order_no", "order_date": "order_date"}
    assert check.missing_required == ["customer_code", "style_no", "quantity", "unit_price", "due_date"]
    assert check.missing_optional == ["line_no", "description", "currency", "merchandiser", "priority", "status"]
    assert check.unknown == ["Cust Code", "Style No", "qty", "Remarks", "Due Dt"]
    assert check.suggestions["customer_code"][0] == "Cust Code"
    assert check.suggestions["style_no"][0] == "Style No"
    assert check.suggestions["due_date"] == ["Due Dt"]
    assert not check.ok


def test_inspect_headers_with_the_map_the_user_chose(tmp_path):
    path = write_xlsx(tmp_path / "orders.xlsx", [ERP_HEADER])
    header_map = HeaderMap(tomllib.loads(ERP_MAP))
    check = inspect_headers(Source(name="orders.xlsx", data=path.read_bytes()), "orders", header_map)
    assert check.ok and check.unknown == ["Remarks"]


def test_the_valid_rows_need_no_map(tmp_path):
    """The fixtures' own headers are the contract's names."""
    for entity, row in VALID_ROWS.items():
        path = write_csv(tmp_path / f"{entity}.csv", list(row), [list(row.values())])
        assert inspect_headers(Source(name=path.name, data=path.read_bytes()), entity).ok
