"""Reading one contract file (CSV or XLSX) as text cells, a batch of records at a time.

Every cell is read as text, so that the parser sees what the user wrote and can say
exactly which value is wrong; typing happens in `etl.parse`. Each record keeps the
physical line it starts on (CSV, counting newlines inside quoted values) or its sheet
row number (XLSX), because that is how a user finds it in the file.

A CSV file is never held in memory whole: one pass over its bytes checks its encoding
(a GBK file is transcoded to a temporary UTF-8 file on a second pass), then Polars
streams it in batches of `BATCH_ROWS` records.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import IO, BinaryIO, Protocol

import fastexcel
import polars as pl
from pydantic import BaseModel, ConfigDict, model_validator

LINE = "__line"  # physical line / sheet row where the record starts
SURPLUS = "__surplus"  # number of non-empty cells beyond the header's last column
SUFFIXES = (".csv", ".xlsx")
BATCH_ROWS = 250_000  # records per batch: bounds the memory of reading and checking a big file
HEADER_SEARCH_ROWS = 1_000  # records per batch while looking for the header row
CHUNK_BYTES = 1 << 18  # small enough to stay in cache, and below the size glibc maps afresh for each read
NON_ASCII = bytes(range(0x80, 0x100))

# How calamine renders a date cell when read as text; the time part of a date cell is dropped.
XLSX_DATE_CELL = r"^(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}:\d{2}$"


class LoadError(Exception):
    """A load that could not run or did not commit; the message is one line for the user."""


class Source(BaseModel):
    """One contract file, found in a folder (`path`, read as it is loaded) or uploaded (`data`).

    Its name decides its entity.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    data: bytes | None = None
    path: Path | None = None

    @model_validator(mode="after")
    def _has_content(self) -> Source:
        if (self.data is None) == (self.path is None):
            raise ValueError("a source has either data or a path")
        return self

    @property
    def stem(self) -> str:
        return PurePath(self.name).stem.lower()

    @property
    def suffix(self) -> str:
        return PurePath(self.name).suffix.lower()

    def open(self) -> BinaryIO:
        """The file's bytes, as a stream."""
        return io.BytesIO(self.data) if self.path is None else self.path.open("rb")

    def sha256(self) -> str:
        """The hex sha256 of the file's bytes, read a chunk at a time."""
        with self.open() as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()


class Records(Protocol):
    """A file's records from its first (up to `limit`), with `LINE`, in batches; `width`: fields of the first."""

    width: int

    def __call__(self, batch_rows: int, limit: int | None = None) -> Iterator[pl.DataFrame]: ...


@dataclass
class RawTable:
    """A file's header row and, batch by batch, its records as text.

    `headers` are the header row's cells, trimmed ("" when blank), up to the width of the
    file's first record; cells beyond it are surplus values of a ragged record. Once
    `batches()` has been read through, `filled` holds the positions of blank headers
    with a value below them: such a column is reported as an unknown column, one
    without values (trailing commas, formatted but empty Excel columns) is dropped.
    """

    name: str
    rows: int  # at least the number of data records, for progress
    headers: tuple[str, ...]
    records: Records
    header_index: int  # the header row's place among all records
    filled: set[int] = field(default_factory=set)

    def column_names(self, *, all_blank: bool = False) -> dict[int, str]:
        """Position -> name of the kept columns: a blank header is "(column N)", N counted from 1.

        With `all_blank`, blank headers are kept whether or not `filled` says they hold values.
        """
        return {
            position: header or f"(column {position + 1})"
            for position, header in enumerate(self.headers)
            if header or all_blank or position in self.filled
        }

    def batches(self) -> Iterator[pl.DataFrame]:
        """The data records, without blank ones: `c0`, `c1`, ... per header position, `LINE`, `SURPLUS`.

        At least one batch, which may be empty.
        """
        width = len(self.headers)
        blank = [position for position, header in enumerate(self.headers) if not header]
        seen = 0
        for rows in self.records(BATCH_ROWS):
            skip, seen = min(max(self.header_index + 1 - seen, 0), rows.height), seen + rows.height
            if skip:
                rows = rows.slice(skip)
            cells = [name for name in rows.columns if name != LINE]
            blank_record = pl.all_horizontal(pl.col(cells).is_null())
            if rows.select(blank_record.any()).item():  # rare; filtering copies every column
                rows = rows.filter(~blank_record)
            if blank:
                has_value = rows.select(pl.col(map(cell_column, blank)).is_not_null().any()).row(0)
                self.filled |= {position for position, found in zip(blank, has_value, strict=True) if found}
            surplus = pl.sum_horizontal(pl.col(cells[width:]).is_not_null()) if width < len(cells) else pl.lit(0)
            yield rows.select(*cells[:width], LINE, surplus.cast(pl.UInt32).alias(SURPLUS))

    def read_through(self) -> None:
        """Read every record (to find read errors, and fill `filled`) without keeping any."""
        for _ in self.batches():
            pass


def normalise_header(text: str | None) -> str:
    """The form headers are compared in: trimmed (also of BOMs and full-width spaces), case-folded."""
    return (text or "").strip().strip("\ufeff").strip().casefold()


def cell_column(position: int) -> str:
    return f"c{position}"


def open_table(source: Source, *, first_record_only: bool = False) -> RawTable:
    """Check that a contract file can be read and find its header row; `LoadError` if it cannot.

    `first_record_only` looks no further than a CSV file's first record for the header.
    """
    search_rows = 1 if first_record_only else HEADER_SEARCH_ROWS
    if source.suffix == ".xlsx":
        rows = _xlsx_rows(source)
        return _with_header(source.name, rows.height, _XlsxRecords(rows.width - 1, rows), search_rows)
    return _csv_table(source, search_rows)


def read_headers(source: Source) -> tuple[str, ...]:
    """Just the header cells of a contract file (for the upload form's mapping step).

    A CSV file's header must be its first record, and its blank headers are dropped.
    """
    if source.suffix == ".xlsx":
        table = open_table(source)
        table.read_through()
    else:
        table = open_table(source, first_record_only=True)
        if table.header_index:
            raise LoadError(f"{source.name}: the file has no header row")
    return tuple(table.column_names().values())


def _with_header(name: str, lines: int, records: Records, search_rows: int) -> RawTable:
    """The table whose header row is its first record with a non-empty cell.

    It is looked for in the first `search_rows` records, read alone (an open-ended read
    would read ahead far into a big file), then in all of them.
    """
    for batches in (records(search_rows, limit=search_rows), records(BATCH_ROWS)):
        seen = 0
        for batch in batches:
            cells = [column for column in batch.columns if column != LINE]
            non_empty = batch.select(~pl.all_horizontal(pl.col(cells).is_null())).to_series()
            if non_empty.any():
                header_row = batch.row(non_empty.arg_max())[: records.width]
                headers = tuple((header or "").strip() for header in header_row)
                return RawTable(name, lines - 1, headers, records, seen + non_empty.arg_max())
            seen += batch.height
    raise LoadError(f"{name}: the file has no header row")


@dataclass
class _Prescan:
    """What one pass over a CSV file's bytes tells: its encoding, lines, and the blank lines it starts with."""

    utf8: bool = True
    blank: bool = True  # nothing but whitespace (after a BOM)
    quoted: bool = False  # holds a quote, so values may hold newlines
    newlines: int = 0
    ends_with_newline: bool = False
    leading_lines: int = 0  # newlines before the first line with anything but CR / LF on it
    prefix_end: bytes = b""  # the last byte before that line: LF, or a lone CR that `skip_lines` would leave


def _prescan(source: Source) -> _Prescan:
    scan, in_prefix, first = _Prescan(), True, True
    unchecked = b""  # bytes after a chunk's last ASCII byte, which may be part of a character
    with source.open() as handle:
        while chunk := handle.read(CHUNK_BYTES):
            text = chunk.removeprefix(codecs.BOM_UTF8) if first else chunk
            first = False
            if in_prefix:
                body = text.lstrip(b"\r\n")
                prefix = text[: len(text) - len(body)]
                scan.leading_lines += prefix.count(b"\n")
                scan.prefix_end = prefix[-1:] or scan.prefix_end
                in_prefix = not body
            scan.blank = scan.blank and (not text or text.isspace())
            scan.quoted = scan.quoted or b'"' in text
            scan.newlines += text.count(b"\n")
            scan.ends_with_newline = text.endswith(b"\n")
            whole = text.rstrip(NON_ASCII)  # ends on an ASCII byte, which no character straddles
            if scan.utf8 and whole:
                scan.utf8 = _is_utf8(unchecked + whole)
                unchecked = text[len(whole) :]
            elif scan.utf8:
                unchecked += text
    scan.utf8 = scan.utf8 and _is_utf8(unchecked)
    return scan


def _is_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)  # validates as fast as memory reads
    except pl.exceptions.ComputeError:
        return False
    return True


def _transcode_gbk(source: Source) -> IO[bytes]:
    """The file (BOM dropped) re-encoded from GB18030/GBK to UTF-8, in a temporary file removed when closed."""
    decoder = codecs.getincrementaldecoder("gb18030")()
    target = tempfile.NamedTemporaryFile(prefix="gendan-", suffix=".csv")  # lives as long as the table
    try:
        with source.open() as handle:
            first = True
            while chunk := handle.read(CHUNK_BYTES):
                target.write(decoder.decode(chunk.removeprefix(codecs.BOM_UTF8) if first else chunk).encode("utf-8"))
                first = False
            target.write(decoder.decode(b"", final=True).encode("utf-8"))
        target.flush()
    except UnicodeDecodeError:
        target.close()
        raise LoadError(
            f"{source.name}: the text is neither UTF-8 nor GBK/GB18030; save it as 'CSV UTF-8' and try again"
        ) from None
    return target


def _csv_table(source: Source, search_rows: int) -> RawTable:
    scan = _prescan(source)
    transcoded = None if scan.utf8 else _transcode_gbk(source)
    if scan.blank:
        raise LoadError(f"{source.name}: the file is empty")
    data: str | bytes = source.data if source.path is None else str(source.path)
    if transcoded is not None:
        data = transcoded.name
    skip_lines = scan.leading_lines
    if scan.prefix_end == b"\r":  # rare: give Polars the text after the blank lines, as it has no option for it
        with open(data, "rb") if isinstance(data, str) else io.BytesIO(data) as handle:
            data, skip_lines = handle.read().removeprefix(codecs.BOM_UTF8).lstrip(b"\r\n"), 0
    records = _CsvRecords(source.name, data, skip_lines, scan.leading_lines + 1, scan.quoted, transcoded)
    lines = scan.newlines - scan.leading_lines + (not scan.ends_with_newline)
    return _with_header(source.name, lines, records, search_rows)


class _CsvRecords:
    """A CSV file's records as text, in batches, each with the line it starts on.

    Widened to the widest record when some have more fields than the first.
    """

    def __init__(
        self, name: str, data: str | bytes, skip_lines: int, first_line: int, quoted: bool, keep: IO[bytes] | None
    ):
        self.name, self.data, self.first_line, self.quoted = name, data, first_line, quoted
        self.options = {"has_header": False, "infer_schema": False, "quote_char": '"', "skip_lines": skip_lines}
        self.keep = keep  # the temporary UTF-8 copy of a GBK file, kept open (so kept) while the table lives
        try:
            self.width = len(pl.scan_csv(data, **self.options).collect_schema())  # fields of the first record
        except pl.exceptions.ComputeError:
            raise self._unreadable() from None

    def __call__(self, batch_rows: int, limit: int | None = None) -> Iterator[pl.DataFrame]:
        done, inside = 0, 0  # records yielded; newlines inside the values of those records
        while True:
            try:
                records = pl.scan_csv(self.data, **self.options).slice(done, None if limit is None else limit - done)
                batches = records.collect_batches(chunk_size=batch_rows)
                for batch in batches:
                    rows = batch.rename({name: cell_column(position) for position, name in enumerate(batch.columns)})
                    line = pl.int_range(pl.len(), dtype=pl.Int64) + (self.first_line + done + inside)
                    if self.quoted:
                        newlines = rows.select(
                            pl.sum_horizontal(pl.all().str.count_matches("\n", literal=True).fill_null(0))
                        ).to_series().cast(pl.Int64)
                        line = line + newlines.cum_sum().shift(1, fill_value=0)
                        inside += newlines.sum()
                    done += rows.height
                    yield rows.with_columns(line.alias(LINE))
                return
            except pl.exceptions.ComputeError as error:
                if "schema" in self.options or "more fields than defined" not in str(error):
                    raise self._unreadable() from None
                schema = dict.fromkeys(map(cell_column, range(self._widest_record())), pl.String)
                self.options |= {"schema": schema, "missing_columns": "insert"}

    def _unreadable(self) -> LoadError:
        # Every cell is read as text, so the only parse failure left is an unbalanced quote.
        return LoadError(f"{self.name}: not a readable CSV file (a quoted value is never closed)")

    def _widest_record(self) -> int:
        """Fields of the widest record; only needed for files with ragged records."""
        binary = open(self.data, "rb") if isinstance(self.data, str) else io.BytesIO(self.data)
        with io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as text:
            return max(len(record) for record in csv.reader(text))


@dataclass(frozen=True)
class _XlsxRecords:
    """A sheet's rows, read whole (a sheet holds at most about a million rows)."""

    width: int
    rows: pl.DataFrame

    def __call__(self, batch_rows: int, limit: int | None = None) -> Iterator[pl.DataFrame]:
        yield self.rows


def _xlsx_rows(source: Source) -> pl.DataFrame:
    """The first sheet, every cell as text, from the sheet's row 1 (so sheet row = index + 1)."""
    try:
        rows = pl.read_excel(
            source.data if source.path is None else source.path,
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
