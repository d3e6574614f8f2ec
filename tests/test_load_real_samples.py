"""Real exports nobody on this project wrote (see ../shared/data/real/README.md), loaded with no row lost."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import polars as pl
from click.testing import CliRunner
from conftest import REAL_DATA
from contract_files import table

from etl.loader import load_folder
from gendan.cli import main
from warehouse.metrics import kpi_report

DATACO = REAL_DATA / "dataco-supply-chain-sample.csv"
GARMENT = REAL_DATA / "garment-orders-sample.csv"


def write_dataco_contract_files(folder: Path) -> None:
    """The DataCo sample as contract files, mapped as its README says.

    order = `Order Id`, line = rank of `Order Item Id` in the order, due date = order
    date + `Days for shipment (scheduled)`, ship date = `shipping date`. A line whose
    shipping the source cancelled (`Delivery Status` "Shipping canceled": order status
    CANCELED or SUSPECTED_FRAUD) is a cancelled line and has no shipment; every
    other line ships in full, with one shipment and one invoice per order.
    """
    source = pl.read_csv(io.StringIO(DATACO.read_text(encoding="latin-1")), infer_schema=False)
    moment = "%m/%d/%Y %H:%M"
    lines = source.select(
        order_no=pl.col("Order Id"),
        line_no=pl.col("Order Item Id").cast(pl.Int64).rank("ordinal").over("Order Id"),
        customer_code=pl.col("Order Customer Id"),
        customer_name=pl.concat_str("Customer Fname", "Customer Lname", separator=" "),
        order_date=pl.col("order date (DateOrders)").str.to_datetime(moment).dt.date(),
        ship_date=pl.col("shipping date (DateOrders)").str.to_datetime(moment).dt.date(),
        scheduled_days=pl.col("Days for shipment (scheduled)").cast(pl.Int64),
        style_no=pl.col("Product Card Id"),
        description=pl.col("Product Name"),
        quantity=pl.col("Order Item Quantity"),
        unit_price=pl.col("Order Item Product Price"),  # float noise such as 199.9900055, kept as text
        cancelled=pl.col("Delivery Status") == "Shipping canceled",
    )
    folder.mkdir()
    lines.group_by("customer_code").agg(pl.col("customer_name").first()).sort("customer_code").write_csv(
        folder / "customers.csv"
    )
    lines.select(
        "order_no",
        "line_no",
        "customer_code",
        "order_date",
        "style_no",
        "description",
        "quantity",
        "unit_price",
        due_date=pl.col("order_date") + pl.duration(days=pl.col("scheduled_days")),
        status=pl.when(pl.col("cancelled")).then(pl.lit("cancelled")).otherwise(pl.lit("open")),
    ).write_csv(folder / "orders.csv")
    lines.filter(~pl.col("cancelled")).select(
        shipment_no=pl.format("SH-{}", "order_no"),
        order_no="order_no",
        line_no="line_no",
        ship_date="ship_date",
        shipped_qty="quantity",
        invoice_no=pl.format("INV-{}", "order_no"),
    ).write_csv(folder / "shipments.csv")


def test_dataco_sample_loads_whole_and_gives_the_sources_on_time_rate(store, tmp_path):
    folder = tmp_path / "dataco"
    write_dataco_contract_files(folder)
    report = load_folder(store, folder)
    assert report.rejects == []
    assert {name: counts.loaded for name, counts in report.entities.items()} == {
        "customers": 4680,
        "orders": 6000,
        "shipments": 5739,
    }
    # README: of the 5,739 lines not cancelled, 2,374 are on time (Late_delivery_risk = 0).
    # 2374 / 5739 = 0.41366 -> 0.4137
    otd = kpi_report(store.connect(), as_of=dt.date(2018, 12, 31))["on_time_delivery"]
    assert otd == {"due_lines": 5739, "on_time_lines": 2374, "rate": 0.4137}


GARMENT_MAP = """\
# The garment exporter's own headers, mapped onto the contract.
[customers]
"buyer" = "customer_code"
"buyer name" = "customer_name"

[orders]
"po" = "order_no"
"buyer" = "customer_code"
"style" = "style_no"
"po_qty" = "quantity"
"po date" = "order_date"
"fob" = "unit_price"
"""


def test_garment_sample_loads_through_a_header_map(store, tmp_path):
    """The garment file keeps its own headers and values ("2021/1/8"); it lacks an order date
    and a price, which the contract requires, so they are appended as two more factory-style
    columns (PO date = due date − 60 days, in the file's own date form; price 0 = unknown).
    `packed_qty` has no contract column here and is reported as ignored."""
    garment = pl.read_csv(GARMENT, infer_schema=False)
    due = pl.col("due_date").str.to_date("%Y/%m/%d")
    folder = tmp_path / "garment"
    folder.mkdir()
    garment.with_columns(
        (due - pl.duration(days=60)).dt.strftime("%Y/%-m/%-d").alias("po date"), pl.lit("0").alias("fob")
    ).write_csv(folder / "orders.csv")
    garment.select(pl.col("buyer").unique().sort()).with_columns(pl.col("buyer").alias("buyer name")).write_csv(
        folder / "customers.csv"
    )
    (tmp_path / "garment.toml").write_text(GARMENT_MAP, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["load", str(folder), "--db", str(store.path), "--map", str(tmp_path / "garment.toml"), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["rejects"] == []
    assert report["entities"]["orders"]["loaded"] == garment.height == 100
    assert report["ignored_columns"] == {"orders.csv": ["packed_qty"]}
    first = next(row for row in table(store, "orders") if row[0] == "185021243")
    assert (first[1], first[2], first[3], first[4], first[6], first[9]) == (
        1,
        "RTS",
        dt.date(2020, 11, 9),
        "S700612",
        14,
        dt.date(2021, 1, 8),
    )
