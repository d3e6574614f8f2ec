"""The simulated tables written as the files a factory hands over: the contract's format, with real exports' habits.

By default each file imitates a different export (`EXPORT_STYLES`): customers and
production dailies from Chinese Excel (GBK, Chinese headers and codes, CRLF), orders
as Excel's "CSV UTF-8" (BOM, 2026/1/5 dates, 1,200 quantities, a few prices with float
noise), purchase orders as an .xlsx with real date cells, and so on. `plain` writes
every file as UTF-8 CSV with English headers, ISO dates and English codes instead: what
large benchmark data sets use, so the same files can be read by DuckDB's read_csv.
Only the spelling differs: plain and export-style files hold the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl
import xlsxwriter

from etl.contract import ENTITIES, LOAD_ORDER, Column, Entity, Kind
from gendan.demo.bad_rows import PlantedRow, plant
from gendan.demo.simulate import Streams

HEADER_LINES = 1  # a data row at index i is on line i + 1 + HEADER_LINES


@dataclass(frozen=True)
class FileStyle:
    """How one file is written: the habits of the export it imitates."""

    excel: bool = False
    encoding: str = "utf-8"  # "utf-8-sig" is Excel's "CSV UTF-8"; "gbk" what Chinese Excel writes
    headers: str = "names"  # "aliases" (the Chinese ones) or "mixed" (either, odd case, stray spaces)
    date_formats: tuple[str, ...] = ("iso",)  # each row takes one of these at random
    chinese_codes: float = 0.0  # share of rows whose codes are written in Chinese
    thousands: bool = False  # 1,200
    noisy_money: float = 0.0  # share of money values with float noise, as 199.9900055
    line_terminator: str = "\n"

    @property
    def suffix(self) -> str:
        return ".xlsx" if self.excel else ".csv"


PLAIN = FileStyle()
EXPORT_STYLES = {
    "fx_rates": FileStyle(),
    "customers": FileStyle(encoding="gbk", headers="aliases", line_terminator="\r\n"),
    "orders": FileStyle(
        encoding="utf-8-sig",
        date_formats=("slash", "slash", "iso"),
        chinese_codes=0.3,
        thousands=True,
        noisy_money=0.03,
    ),
    "production_daily": FileStyle(
        encoding="gbk",
        headers="aliases",
        date_formats=("iso", "iso", "chinese"),
        chinese_codes=1.0,
        line_terminator="\r\n",
    ),
    "purchase_orders": FileStyle(excel=True, headers="aliases", chinese_codes=0.8),
    "shipments": FileStyle(headers="mixed", date_formats=("dot", "iso"), noisy_money=0.05),
    "payments": FileStyle(encoding="utf-8-sig", date_formats=("chinese", "slash"), thousands=True),
}

DATE_FORMATS: dict[str, Callable[[pl.Expr], pl.Expr]] = {
    "iso": lambda date: date.dt.strftime("%Y-%m-%d"),
    "slash": lambda date: pl.format("{}/{}/{}", date.dt.year(), date.dt.month(), date.dt.day()),
    "dot": lambda date: pl.format("{}.{}.{}", date.dt.year(), date.dt.month(), date.dt.day()),
    "chinese": lambda date: pl.format("{}年{}月{}日", date.dt.year(), date.dt.month(), date.dt.day()),
}


def headers(entity: Entity, style: FileStyle) -> list[str]:
    """The header row: English names, Chinese aliases, or a mix with the odd case and spaces people type."""
    if style.headers == "names":
        return [column.name for column in entity.columns]
    if style.headers == "aliases":
        return [column.alias for column in entity.columns]
    mixed = (lambda c: c.alias, lambda c: f" {c.name.upper()} ", lambda c: c.name.title())
    return [mixed[index % len(mixed)](column) for index, column in enumerate(entity.columns)]


def _with_thousands(digits: pl.Expr) -> pl.Expr:
    """Digits with a comma every three from the right: "1234567" -> "1,234,567"."""
    return digits.str.reverse().str.replace_all(r"(\d{3})", "${1},").str.reverse().str.strip_chars_start(",")


def _chinese_codes(column: Column) -> dict[str, str]:
    """English code -> its Chinese spelling, from the contract's accepted spellings (tiers have none)."""
    return {code: spelling for spelling, code in column.codes.items() if spelling != code.lower()}


def _pick(rng: np.random.Generator, rows: int, share: float) -> pl.Series:
    return pl.Series(rng.random(rows) < share)


def _codes(column: Column, style: FileStyle, rng: np.random.Generator, rows: int) -> pl.Expr:
    value = pl.col(column.name)
    if not style.chinese_codes:
        return value
    return pl.when(_pick(rng, rows, style.chinese_codes)).then(value.replace(_chinese_codes(column))).otherwise(value)


def _text(column: Column, style: FileStyle, rng: np.random.Generator, rows: int) -> pl.Expr:
    """One column's values as the export writes them; an empty value stays empty."""
    value = pl.col(column.name)
    if column.kind is Kind.DATE:
        formats = [DATE_FORMATS[name](value) for name in style.date_formats]
        if len(formats) == 1:
            return formats[0]
        choice = pl.Series(rng.integers(0, len(formats), rows))
        text = formats[-1]
        for index, formatted in enumerate(formats[:-1]):
            text = pl.when(choice == index).then(formatted).otherwise(text)
        return text
    if column.kind is Kind.INT:
        digits = value.cast(pl.String)
        return _with_thousands(digits) if style.thousands else digits
    if column.kind is Kind.MONEY:  # simulated in cents
        units = (value // 100).cast(pl.String)
        cents = (value % 100).cast(pl.String).str.zfill(2)
        exact = pl.format("{}.{}", _with_thousands(units) if style.thousands else units, cents)
        if not style.noisy_money:
            return exact
        # Float noise far below the contract's 4 decimals, so the stored value is the exact one.
        noise = pl.Series(rng.uniform(1e-7, 9e-6, rows) * rng.choice([-1.0, 1.0], rows))
        return pl.when(_pick(rng, rows, style.noisy_money)).then((value / 100 + noise).cast(pl.String)).otherwise(exact)
    if column.kind is Kind.NUMBER:
        whole = value == value.round(0)
        return pl.when(whole).then(value.cast(pl.Int64).cast(pl.String)).otherwise(value.cast(pl.String))
    if column.kind is Kind.CODE:
        return _codes(column, style, rng, rows)
    return value.cast(pl.String)


class CsvFile:
    """A CSV file written chunk by chunk."""

    def __init__(self, path: Path, entity: Entity, style: FileStyle):
        self.entity, self.style = entity, style
        self.handle = open(path, "wb")  # noqa: SIM115 - closed by close(), after the last chunk
        self.started = False

    def write(self, frame: pl.DataFrame, raw: dict[int, dict[str, str]], rng: np.random.Generator) -> None:
        text = frame.select(
            _text(column, self.style, rng, frame.height).alias(column.name) for column in self.entity.columns
        )
        for index, cells in raw.items():
            for name, value in cells.items():
                text[index, name] = value
        csv = text.rename(dict(zip(text.columns, headers(self.entity, self.style), strict=True))).write_csv(
            None, include_header=not self.started, line_terminator=self.style.line_terminator
        )
        # The BOM starts the file, not every chunk.
        encoding = "utf-8" if self.started and self.style.encoding == "utf-8-sig" else self.style.encoding
        self.handle.write(csv.encode(encoding))
        self.started = True

    def close(self) -> None:
        self.handle.close()


class ExcelFile:
    """An .xlsx file with real number and date cells, written row by row."""

    def __init__(self, path: Path, entity: Entity, style: FileStyle, created: dt.datetime):
        self.entity, self.style = entity, style
        self.workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        # A fixed creation time keeps the file byte-identical for the same seed and date.
        self.workbook.set_properties({"created": created})
        self.sheet = self.workbook.add_worksheet(entity.alias)
        self.date_cell = self.workbook.add_format({"num_format": "yyyy/m/d"})
        self.sheet.write_row(0, 0, headers(entity, style))
        self.next_row = HEADER_LINES

    def write(self, frame: pl.DataFrame, raw: dict[int, dict[str, str]], rng: np.random.Generator) -> None:
        codes = [column for column in self.entity.columns if column.kind is Kind.CODE]
        frame = frame.with_columns(_codes(column, self.style, rng, frame.height).alias(column.name) for column in codes)
        money = {column.name for column in self.entity.columns if column.kind is Kind.MONEY}
        for index, row in enumerate(frame.iter_rows(named=True)):
            cells = raw.get(index, {})
            for position, (name, value) in enumerate(row.items()):
                if name in cells:
                    self.sheet.write_string(self.next_row, position, cells[name])
                elif isinstance(value, dt.date):
                    self.sheet.write_datetime(self.next_row, position, value, self.date_cell)
                elif isinstance(value, str):
                    self.sheet.write_string(self.next_row, position, value)
                elif value is not None:
                    self.sheet.write_number(self.next_row, position, value / 100 if name in money else value)
            self.next_row += 1

    def close(self) -> None:
        self.workbook.close()


class DemoWriter:
    """The sink for `simulate.simulate_factory`: writes each entity's frames to `<entity>.csv` / `.xlsx` in `out_dir`.

    With `bad_rows`, plants the entity's bad rows (`bad_rows.plant`) in its first frame.
    """

    def __init__(self, out_dir: Path, streams: Streams, as_of: dt.date, *, plain: bool, bad_rows: bool):
        self.out_dir, self.streams, self.as_of = out_dir, streams, as_of
        self.plain, self.bad_rows = plain, bad_rows
        self.files: dict[str, CsvFile | ExcelFile] = {}
        self.paths: dict[str, Path] = {}
        self.rows: dict[str, int] = {}
        self.planted: list[PlantedRow] = []
        self.chunks: dict[str, int] = {}

    def __call__(self, entity_name: str, frame: pl.DataFrame) -> None:
        entity = ENTITIES[entity_name]
        frame = frame.select(column.name for column in entity.columns)
        raw: dict[int, dict[str, str]] = {}
        if entity_name not in self.files:
            self._open(entity)
            if self.bad_rows:
                frame, raw, placed = plant(entity_name, frame, self.streams("bad rows", LOAD_ORDER.index(entity_name)))
                file = self.paths[entity_name].name
                self.planted += [
                    PlantedRow(file, index + 1 + HEADER_LINES, row.column, row.problem) for index, row in placed
                ]
        chunk = self.chunks.get(entity_name, 0)
        self.files[entity_name].write(frame, raw, self.streams("format", LOAD_ORDER.index(entity_name), chunk))
        self.chunks[entity_name] = chunk + 1
        self.rows[entity_name] = self.rows.get(entity_name, 0) + frame.height

    def _open(self, entity: Entity) -> None:
        style = PLAIN if self.plain else EXPORT_STYLES[entity.name]
        path = self.out_dir / f"{entity.name}{style.suffix}"
        if style.excel:
            self.files[entity.name] = ExcelFile(path, entity, style, dt.datetime.combine(self.as_of, dt.time()))
        else:
            self.files[entity.name] = CsvFile(path, entity, style)
        self.paths[entity.name] = path

    def close(self) -> None:
        for file in self.files.values():
            file.close()
