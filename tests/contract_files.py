"""Small contract files (CSV / XLSX) for loader tests, written by hand in tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import xlsxwriter

from warehouse.store import Store

# One valid row per entity, each referring to the others, so a test changes only what it is about.
VALID_ROWS: dict[str, dict[str, str]] = {
    "fx_rates": {"currency": "EUR", "rate_to_base": "1.08"},
    "customers": {"customer_code": "C1", "customer_name": "Acme Apparel", "payment_terms_days": "45"},
    "orders": {
        "order_no": "SO1",
        "line_no": "1",
        "customer_code": "C1",
        "order_date": "2026-01-05",
        "style_no": "ST-100",
        "quantity": "1200",
        "unit_price": "3.5",
        "due_date": "2026-02-20",
    },
    "production_daily": {
        "report_date": "2026-01-20",
        "order_no": "SO1",
        "line_no": "1",
        "workshop": "Sewing line 3",
        "process": "sewing",
        "output_qty": "300",
    },
    "purchase_orders": {
        "po_no": "PO1",
        "supplier": "Fabric Co",
        "material": "Poplin",
        "order_date": "2026-01-06",
        "promised_date": "2026-01-16",
        "quantity": "2500",
    },
    "shipments": {
        "shipment_no": "SH1",
        "order_no": "SO1",
        "line_no": "1",
        "ship_date": "2026-02-18",
        "shipped_qty": "1200",
        "invoice_no": "INV1",
    },
    "payments": {"payment_no": "PAY1", "invoice_no": "INV1", "payment_date": "2026-03-01", "amount": "4200"},
}

DATA_TABLES = ("fx_rates", "customers", "orders", "production_daily", "purchase_orders", "shipments", "payments")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], *, encoding: str = "utf-8") -> Path:
    """A CSV file as Excel writes one (minimal quoting); `encoding="utf-8-sig"` adds a BOM, "gbk" is Chinese Excel."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def write_rows(folder: Path, entity: str, rows: list[dict[str, str]], *, encoding: str = "utf-8") -> Path:
    """`<entity>.csv` with one column per key seen in `rows`, in first-seen order."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    return write_csv(
        folder / f"{entity}.csv", header, ([row.get(key) for key in header] for row in rows), encoding=encoding
    )


def write_valid_folder(folder: Path, entities: Iterable[str] = DATA_TABLES) -> Path:
    """A folder with the valid row of each of `entities`."""
    folder.mkdir(parents=True, exist_ok=True)
    for entity in entities:
        write_rows(folder, entity, [VALID_ROWS[entity]])
    return folder


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, first_row: int = 0) -> Path:
    """An .xlsx whose first sheet holds `rows` from sheet row `first_row + 1`: dates become date cells,
    numbers number cells, None stays empty."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for row_number, row in enumerate(rows, start=first_row):
        for column_number, cell in enumerate(row):
            if isinstance(cell, dt.date):
                moment = cell if isinstance(cell, dt.datetime) else dt.datetime.combine(cell, dt.time())
                sheet.write_datetime(row_number, column_number, moment, date_format)
            elif isinstance(cell, int | float):
                sheet.write_number(row_number, column_number, cell)
            elif cell is not None:
                sheet.write_string(row_number, column_number, cell)
    workbook.close()
    return path


def table(store: Store, name: str) -> list[tuple]:
    """Every row of a warehouse table, sorted, read straight from the published file."""
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        return con.sql(f'select * from "{name}" order by all').fetchall()
    finally:
        con.close()


def data_tables(store: Store) -> dict[str, list[tuple]]:
    """Every data table's rows (not loads / rejects / meta)."""
    return {name: table(store, name) for name in DATA_TABLES}


def file_digest(path: Path) -> str | None:
    """sha256 of a file's bytes; None when there is no file."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
