"""Reading one contract file (CSV or XLSX) into a frame of text cells.

Every cell is read as text, so that the parser sees what the user wrote and can say
exactly which value is wrong; typing happens in `etl.parse`. Each record keeps the
physical line it starts on (CSV, counting newlines inside quoted values) or its sheet
row number (XLSX), because that is how a user finds it in the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import PurePath

import fastexcel
import polars as pl
from pydantic import BaseModel, ConfigDict

LINE = "__line"  # physical line / sheet row where the record starts
SURPLUS = "__surplus"  # number of non-empty cells beyond the header's last column
SUFFIXES = (".csv", ".xlsx")

# How calamine renders a date cell when read as text; the time part of a date cell is dropped.
XLSX_DATE_CELL = r"^(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}$"


class LoadError(Exception):
    """A load that could not run or did not commit; the message is one line for the user."""


class Source(BaseModel):
    """One contract file, found in a folder or uploaded: its name decides its entity."""

    model_config = ConfigDict(frozen=True)

    name: str
    data: bytes

    @property
    def stem(self) -> str:
        return PurePath(self.name).stem.lower()

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class RawTable:
    """A file's header cells and its records as text.

    `frame` has one String column per file column (`c0`, `c1`, ...), plus `LINE` and
    `SURPLUS`; records whose cells are all empty are already dropped.
    """

    headers: tuple[str, ...]
    frame: pl.DataFrame


def normalise_header(text: str | None) -> str:
    """The form headers are compared in: trimmed (also of BOMs and full-width spaces), case-folded."""
    return (text or "").strip().strip("\ufeff").strip().casefold()


def cell_column(position: int) -> str:
    return f"c{position}"


def read_table(source: Source) -> RawTable:
    """The header and records of a contract file; `LoadError` if it cannot be read as one."""
    if source.suffix == ".xlsx":
        return _split_header(source, _xlsx_rows(source))
    rows, header_fields = _csv_rows(source)
    return _split_header(source, rows, header_fields)


def read_headers(source: Source) -> tuple[str, ...]:
    """Just the header cells of a contract file (for the upload form's mapping step)."""
    if source.suffix == ".xlsx":
        return read_table(source).headers
    rows, _ = _csv_rows(source, first_record_only=True)
    return _split_header(source, rows).headers


def _split_header(source: Source, rows: pl.DataFrame, header_fields: int | None = None) -> RawTable:
    """The first non-empty record is the header; the rest are data records.

    Cells beyond the header's `header_fields` are surplus values of a ragged record.
    A column with a blank header and no value is dropped (trailing commas, formatted
    but empty Excel columns); one with values stays, named "(column N)" after its place
    in the file, and is reported as an unknown column.
    """
    cells = [name for name in rows.columns if name not in (LINE, SURPLUS)]
    non_empty = rows.select(~pl.all_horizontal(pl.col(cells).is_null()).alias("keep")).to_series()
    if not non_empty.any():
        raise LoadError(f"{source.name}: the file has no header row")
    start = non_empty.arg_max()  # the first True
    records, keep = rows.slice(start + 1), non_empty.slice(start + 1)
    if not keep.all():  # blank records are rare; filtering copies every column
        records = records.filter(keep)
    width = header_fields or len(cells)
    header_row = rows.row(start)[:width]
    kept = [
        position
        for position, header in enumerate(header_row)
        if (header or "").strip() or not records.get_column(cell_column(position)).is_null().all()
    ]
    surplus = pl.sum_horizontal(pl.col(cells[width:]).is_not_null()) if width < len(cells) else pl.lit(0)
    frame = records.select(
        *(pl.col(cell_column(position)).alias(cell_column(index)) for index, position in enumerate(kept)),
        pl.col(LINE),
        surplus.cast(pl.UInt32).alias(SURPLUS),
    )
    headers = tuple((header_row[position] or "").strip() or f"(column {position + 1})" for position in kept)
    return RawTable(headers, frame)


def _decode_csv(source: Source) -> bytes:
    """The file as UTF-8 without a BOM: UTF-8 (with or without BOM) or GB18030/GBK."""
    data = source.data
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.isascii():
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError:
        raise LoadError(
            f"{source.name}: the text is neither UTF-8 nor GBK/GB18030; save it as 'CSV UTF-8' and try again"
        ) from None


def _csv_rows(source: Source, *, first_record_only: bool = False) -> tuple[pl.DataFrame, int | None]:
    """Every record as text with its line, and the header's field count when some record has more."""
    data = _decode_csv(source)
    body = data.lstrip(b"\r\n")
    if not body or body.isspace():
        raise LoadError(f"{source.name}: the file is empty")
    leading_lines = data[: len(data) - len(body)].count(b"\n")
    rows, header_fields = _read_csv_text(source, body, n_rows=1 if first_record_only else None)
    return rows.with_columns(_csv_lines(rows, body, first_line=leading_lines + 1).alias(LINE)), header_fields


def _read_csv_text(source: Source, body: bytes, *, n_rows: int | None) -> tuple[pl.DataFrame, int | None]:
    """Every record as text; widened to the widest record when some have more fields than the first."""
    options = {"has_header": False, "infer_schema": False, "quote_char": '"', "n_rows": n_rows}
    header_fields = None
    try:
        try:
            rows = pl.read_csv(body, **options)
        except pl.exceptions.ComputeError as error:
            if "more fields than defined" not in str(error):
                raise
            header_fields, widest = _field_counts(body)
            schema = dict.fromkeys(map(cell_column, range(widest)), pl.String)
            rows = pl.read_csv(body, **options, schema=schema, missing_columns="insert")
    except pl.exceptions.ComputeError:
        # Every cell is read as text, so the only parse failure left is an unbalanced quote.
        raise LoadError(f"{source.name}: not a readable CSV file (a quoted value is never closed)") from None
    renamed = rows.rename({name: cell_column(position) for position, name in enumerate(rows.columns)})
    return renamed, header_fields


def _field_counts(body: bytes) -> tuple[int, int]:
    """(fields of the first record, fields of the widest); only needed for files with ragged records."""
    widths = [len(record) for record in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))]
    return widths[0], max(widths)


def _csv_lines(rows: pl.DataFrame, body: bytes, *, first_line: int) -> pl.Expr:
    """The physical line each record starts on.

    When the file has exactly one newline per record, that is the record index; otherwise
    some quoted values hold newlines, and every record is shifted by those before it.
    """
    index = pl.int_range(pl.len(), dtype=pl.Int64) + first_line
    record_breaks = rows.height - 1 + body.endswith(b"\n")
    if body.count(b"\n") == record_breaks:
        return index
    newlines = pl.sum_horizontal(pl.col(rows.columns).str.count_matches("\n", literal=True).fill_null(0))
    return index + newlines.cum_sum().shift(1, fill_value=0).cast(pl.Int64)


def _xlsx_rows(source: Source) -> pl.DataFrame:
    """The first sheet, every cell as text, from the sheet's row 1 (so sheet row = index + 1)."""
    try:
        rows = pl.read_excel(
            source.data,
            sheet_id=1,
            has_header=False,
            drop_empty_rows=False,
            drop_empty_cols=False,
            read_options={"skip_rows": 0, "dtypes": "string"},
        )
    except pl.exceptions.NoDataError:
        raise LoadError(f"{source.name}: the first sheet is empty") from None
    except fastexcel.FastExcelError:
        raise LoadError(f"{source.name}: not a readable Excel workbook (.xlsx)") from None
    cells = {name: cell_column(position) for position, name in enumerate(rows.columns)}
    return rows.rename(cells).with_columns(
        pl.col(list(cells.values())).str.replace(XLSX_DATE_CELL, "$1"),
        (pl.int_range(pl.len(), dtype=pl.Int64) + 1).alias(LINE),
    )
