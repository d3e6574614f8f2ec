"""Rows a load must reject, planted among the demo's good rows so the load report has something to show.

Each is a copy of a real row with one thing wrong, the mistakes people make in
export sheets: a day-first date, a date that does not exist, a process nobody
defined, an empty required cell, a due date before the order date, a receipt
without a date, a shipment for an order line that does not exist, a payment for
an invoice that does not exist, a made-up customer tier. A copy gets a key of its
own (an amended number such as ``SO2601-00042A``), so it never repeats a good
row's key and no good row references it: the load rejects exactly these rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from etl.contract import ENTITIES
from gendan.demo.simulate import MAX_LINES_PER_ORDER


@dataclass(frozen=True)
class PlantedRow:
    """A deliberately bad row of a demo file: where it is and what the load must say about it."""

    file: str
    line: int  # physical line (CSV) or sheet row (xlsx); the header is line 1
    column: str  # the column the loader reports
    problem: str


@dataclass(frozen=True)
class BadRow:
    """A bad row before it has a place: typed values, plus raw texts no typed value can hold."""

    values: dict
    raw: dict[str, str]
    column: str
    problem: str


def _amended(number: str, letter: str = "A") -> str:
    return f"{number}{letter}"


def _customers(frame: pl.DataFrame, pick: Callable[[], dict]) -> list[BadRow]:
    row = pick()
    new_code = f"C{frame.height + 1:0{len(row['customer_code']) - 1}d}"
    return [BadRow({**row, "customer_code": new_code}, {"tier": "VIP"}, "tier", "unknown tier code")]


def _orders(frame: pl.DataFrame, pick: Callable[[], dict]) -> list[BadRow]:
    day_first, before, no_style = pick(), pick(), pick()
    ordered: dt.date = day_first["order_date"]
    return [
        BadRow(
            {**day_first, "order_no": _amended(day_first["order_no"], "A")},
            {"order_date": f"{ordered.day:02d}/{ordered.month:02d}/{ordered.year}"},
            "order_date",
            "a day-first date",
        ),
        BadRow(
            {
                **before,
                "order_no": _amended(before["order_no"], "B"),
                "due_date": before["order_date"] - dt.timedelta(days=14),
            },
            {},
            "due_date",
            "due date before order date",
        ),
        BadRow(
            {**no_style, "order_no": _amended(no_style["order_no"], "C"), "style_no": None},
            {},
            "style_no",
            "missing style",
        ),
    ]


def _production_daily(frame: pl.DataFrame, pick: Callable[[], dict]) -> list[BadRow]:
    ironing, impossible = pick(), pick()
    year = impossible["report_date"].year
    return [
        # Ironing is part of finishing here; someone typed it as a process of its own.
        BadRow({**ironing, "workshop": "后整车间"}, {"process": "熨烫"}, "process", "unknown process"),
        BadRow(impossible, {"report_date": f"{year}年2月30日"}, "report_date", "a date that does not exist"),
    ]


def _purchase_orders(frame: pl.DataFrame, pick: Callable[[], dict]) -> list[BadRow]:
    row = pick()
    received = {"received_qty": round(row["quantity"] / 2, 1), "received_date": None, "status": "open"}
    return [BadRow({**row, "po_no": _amended(row["po_no"]), **received}, {}, "received_date", "receipt without a date")]


def _shipments(frame: pl.DataFrame, pick: Callable[[], dict]) -> list[BadRow]:
    row = pick()
    reference = ", ".join(ENTITIES["shipments"].references[0].columns)
    values = {**row, "line_no": MAX_LINES_PER_ORDER + 1}
    return [BadRow(values, {}, reference, "shipment for an order line that does not exist")]


def _payments(frame: pl.DataFrame, pick: Callable[[], dict]) -> list[BadRow]:
    row = pick()
    values = {**row, "payment_no": _amended(row["payment_no"]), "invoice_no": _amended(row["invoice_no"])}
    return [BadRow(values, {}, "invoice_no", "payment for an invoice that does not exist")]


BUILDERS: dict[str, Callable[[pl.DataFrame, Callable[[], dict]], list[BadRow]]] = {
    "customers": _customers,
    "orders": _orders,
    "production_daily": _production_daily,
    "purchase_orders": _purchase_orders,
    "shipments": _shipments,
    "payments": _payments,
}


def plant(
    entity: str, frame: pl.DataFrame, rng: np.random.Generator
) -> tuple[pl.DataFrame, dict[int, dict[str, str]], list[tuple[int, BadRow]]]:
    """Insert the entity's bad rows at random places among `frame`'s rows.

    Returns the new frame, the raw texts to put in place of formatted values (by row
    index), and each bad row with its row index.
    """
    if entity not in BUILDERS or frame.height == 0:
        return frame, {}, []
    bad = BUILDERS[entity](frame, lambda: frame.row(int(rng.integers(frame.height)), named=True))
    # Not before the first good row: the report then shows a line number worth reading.
    positions = np.sort(rng.integers(1, frame.height + 1, size=len(bad)))
    pieces, placed, previous = [], [], 0
    for offset, (position, row) in enumerate(zip(positions, bad, strict=True)):
        pieces += [frame.slice(previous, position - previous), pl.DataFrame([row.values], schema=frame.schema)]
        placed.append((int(position) + offset, row))
        previous = position
    pieces.append(frame.slice(previous))
    raw = {index: row.raw for index, row in placed if row.raw}
    return pl.concat(pieces), raw, placed
