"""The demo data set: deterministic, in the contract's formats, loaded with exactly the planted rejects,
and a factory whose every KPI has something to show."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from etl.contract import DELAY_REASON_CODES, ENTITIES, LOAD_ORDER, PROCESS_CODES
from etl.loader import load_folder
from gendan.cli import main
from gendan.demo import DemoParameters, build_demo, simulate, write_demo_files
from gendan.settings import Settings
from warehouse.metrics import kpi_report
from warehouse.store import Store

AS_OF = dt.date(2026, 3, 16)
SMALL = DemoParameters(scale=0.2, seed=7, as_of=AS_OF)


def new_store(folder: Path) -> Store:
    return Store(folder / "demo.duckdb", Settings(db=folder / "demo.duckdb"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The default demo (scale 1, seed 7) as of a fixed date, written and loaded once for this module."""
    folder = tmp_path_factory.mktemp("demo")
    store = new_store(folder)
    files = write_demo_files(folder / "demo-data", DemoParameters(as_of=AS_OF))
    report = load_folder(store, files.out_dir)
    return store, files, report


@pytest.fixture(scope="module")
def kpis(demo):
    store, _, _ = demo
    return kpi_report(store.connect(), AS_OF)


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_and_date_give_byte_identical_files(tmp_path):
    first = write_demo_files(tmp_path / "first", SMALL)
    second = write_demo_files(tmp_path / "second", SMALL)
    other_seed = write_demo_files(tmp_path / "other", SMALL.model_copy(update={"seed": 8}))

    assert set(first.paths) == set(LOAD_ORDER)
    assert file_bytes(first.out_dir) == file_bytes(second.out_dir)
    assert file_bytes(first.out_dir)["orders.csv"] != file_bytes(other_seed.out_dir)["orders.csv"]


def test_rewriting_a_folder_replaces_the_files_of_another_style(tmp_path):
    write_demo_files(tmp_path, SMALL)
    write_demo_files(tmp_path, SMALL.model_copy(update={"plain_files": True}))

    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(f"{entity}.csv" for entity in LOAD_ORDER)


def test_scale_multiplies_every_volume(tmp_path):
    small = write_demo_files(tmp_path / "small", SMALL)
    large = write_demo_files(tmp_path / "large", SMALL.model_copy(update={"scale": 0.8}))

    for entity in ("orders", "production_daily", "purchase_orders", "shipments", "payments"):
        assert 3.0 < large.rows[entity] / small.rows[entity] < 5.0, entity


def test_scale_one_has_benchmark_proportions_and_is_quick(tmp_path):
    started = time.perf_counter()
    files = write_demo_files(tmp_path, DemoParameters(as_of=AS_OF))
    assert time.perf_counter() - started < 3.0

    lines = files.rows["orders"]
    assert 2200 < lines < 2800
    per_line = {"production_daily": 5, "purchase_orders": 0.3, "shipments": 0.8, "payments": 0.5}
    for entity, expected in per_line.items():
        assert 0.75 * expected < files.rows[entity] / lines < 1.3 * expected, entity


def header_row(path: Path, encoding: str) -> list[str]:
    return path.read_bytes().decode(encoding).splitlines()[0].split(",")


def assert_contract_headers(entity: str, found: list[str]) -> None:
    spellings = {column.name: {column.name, column.alias.lower()} for column in ENTITIES[entity].columns}
    matched = [name for header in found for name, accepted in spellings.items() if header.strip().lower() in accepted]
    assert matched == list(spellings), (entity, found)


def test_export_style_files_follow_the_contract(tmp_path):
    files = write_demo_files(tmp_path, SMALL)
    paths = files.paths

    assert paths["purchase_orders"].suffix == ".xlsx"
    for gbk in ("customers", "production_daily"):
        data = paths[gbk].read_bytes()
        data.decode("gb18030")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
    assert paths["orders"].read_bytes().startswith(b"\xef\xbb\xbf")  # Excel's "CSV UTF-8"
    for entity, path in paths.items():
        if path.suffix == ".csv":
            encoding = "gb18030" if entity in ("customers", "production_daily") else "utf-8-sig"
            assert_contract_headers(entity, header_row(path, encoding))

    purchase_orders = pl.read_excel(paths["purchase_orders"])
    assert_contract_headers("purchase_orders", purchase_orders.columns)
    assert purchase_orders.schema[ENTITIES["purchase_orders"].column("promised_date").alias] == pl.Date

    orders = paths["orders"].read_text(encoding="utf-8-sig")
    assert re.search(r",20\d\d/\d{1,2}/\d{1,2},", orders)  # 2026/1/5
    assert re.search(r',"\d{1,3}(,\d{3})+",', orders)  # "1,200"
    assert re.search(r",\d+\.\d{5,},", orders)  # float noise in a price
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日", paths["production_daily"].read_bytes().decode("gb18030"))


def test_plain_files_are_utf8_csv_with_english_headers_and_iso_dates(tmp_path):
    assert DemoParameters(scale=25).plain and not DemoParameters(scale=20).plain

    files = write_demo_files(tmp_path, SMALL.model_copy(update={"plain_files": True, "bad_rows": False}))

    assert files.planted == ()
    for entity, path in files.paths.items():
        assert path.suffix == ".csv"
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0].split(",") == [column.name for column in ENTITIES[entity].columns]
        assert not re.search(r"\b20\d\d[/.年]\d{1,2}[/.月]\d{1,2}", text), entity


def test_plain_and_export_style_files_load_the_same_data(tmp_path):
    """Only the spelling differs: GBK, aliases, 2026年1月5日, 1,200, float noise and xlsx cells all parse back."""
    loaded = {}
    for style, plain in (("plain", True), ("export", False)):
        store = new_store(tmp_path / style)
        build_demo(store, tmp_path / style / "files", SMALL.model_copy(update={"plain_files": plain}))
        con = store.connect()
        loaded[style] = {
            table: con.sql(f"select * exclude (load_id) from wh.{table} order by all").pl() for table in LOAD_ORDER
        }
    for table in LOAD_ORDER:
        assert loaded["plain"][table].height > 0
        assert loaded["plain"][table].equals(loaded["export"][table]), table


def test_the_load_rejects_exactly_the_planted_rows(demo):
    _, files, report = demo

    assert 5 <= len(files.planted) <= 10
    assert sorted((r.file, r.line, r.column) for r in report.rejects) == sorted(
        (p.file, p.line, p.column) for p in files.planted
    )
    assert {entity: counts.read for entity, counts in report.entities.items()} == files.rows


def test_production_written_in_chunks_is_one_file(tmp_path, monkeypatch):
    monkeypatch.setattr(simulate, "PRODUCTION_CHUNK_LINES", 100)
    files = write_demo_files(tmp_path / "files", SMALL)
    report = load_folder(new_store(tmp_path), files.out_dir)

    text = files.paths["production_daily"].read_bytes().decode("gb18030")
    assert text.count("日期,订单号") == 1
    assert files.rows["production_daily"] == len(text.splitlines()) - 1 > 5 * simulate.PRODUCTION_CHUNK_LINES
    assert sorted((r.file, r.line) for r in report.rejects) == sorted((p.file, p.line) for p in files.planted)


def test_every_kpi_list_has_something_to_show(kpis):
    chase_reasons = Counter(item["reason_code"] for item in kpis["chase_today"])

    assert kpis["late_order_lines"]
    assert kpis["at_risk_order_lines"]
    assert kpis["overdue_po_lines"]
    for reason in ("late", "at_risk_not_started", "at_risk_stalled", "po_overdue", "po_due_soon", "invoice_past_due"):
        assert chase_reasons[reason] > 0, reason
    assert {item["bucket"] for item in kpis["unpaid_invoices"]} == {"not_due", "1-30", "31-60", "61-90", "90+"}
    assert all(total > 0 for total in kpis["receivables_ageing"].values())
    assert any(customer["quiet"] for customer in kpis["customers"])
    assert not kpis["warnings"]


def test_the_numbers_look_like_a_real_factory(demo, kpis):
    store, _, _ = demo
    con = store.connect()

    assert 0.70 <= kpis["on_time_delivery"]["rate"] <= 0.88
    assert 0.01 <= kpis["production"]["defect_rate"] <= 0.05
    assert 0.7 <= kpis["production"]["plan_attainment"] <= 1.0
    late_by_customer = Counter(line["customer_code"] for line in kpis["late_order_lines"])
    assert max(late_by_customer.values()) <= 10
    supplier_rates = [supplier["rate"] for supplier in kpis["supplier_otd"]]
    assert len(supplier_rates) == 15 and min(supplier_rates) < 0.6 < 0.8 < max(supplier_rates)
    assert 35 <= len(kpis["customers"]) <= 45

    def values(query: str) -> list:
        return [row[0] for row in con.execute(query).fetchall()]

    [rush_share] = values("select avg((priority = 'rush')::int) from wh.orders")
    assert 0.05 < rush_share < 0.11
    assert values("select distinct status from wh.orders order by 1") == ["cancelled", "open"]
    assert values("select distinct currency from wh.orders order by 1") == ["CNY", "EUR", "USD"]
    assert values("select distinct payment_terms_days from wh.customers order by 1") == [30, 45, 60, 90]
    assert len(values("select distinct merchandiser from wh.customers")) == 6
    assert len(values("select distinct country from wh.customers")) >= 8
    assert values("select distinct process from wh.production_daily order by 1") == sorted(PROCESS_CODES)
    reasons = values("select distinct delay_reason from wh.production_daily where delay_reason is not null order by 1")
    assert reasons == sorted(DELAY_REASON_CODES)
    assert values("select distinct status from wh.purchase_orders order by 1") == ["cancelled", "closed", "open"]
    [partial_receipts] = values("select count(*) from wh.purchase_orders where received_qty > 0 and received_qty < quantity")
    multi_line_invoices = values("select invoice_no from wh.shipments group by invoice_no having count(*) > 1")
    assert partial_receipts > 0 and multi_line_invoices


def test_demo_command_writes_next_to_the_db_loads_and_reports(tmp_path):
    db = tmp_path / "factory.duckdb"
    result = CliRunner().invoke(main, ["demo", "--db", str(db), "--scale", "0.1", "--as-of", "2026-03-16"])

    assert result.exit_code == 0, result.output
    assert str(tmp_path / "demo-data") in result.output
    assert "rejected" in result.output
    assert sorted(path.stem for path in (tmp_path / "demo-data").iterdir()) == sorted(LOAD_ORDER)
    [(orders,)] = Store(db).connect().execute("select count(*) from wh.orders").fetchall()
    assert orders > 0


def test_demo_command_refuses_a_scale_of_zero(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "x.duckdb"), "--scale", "0"])

    assert result.exit_code == 2
    assert "scale" in result.output
    assert not (tmp_path / "x.duckdb").exists()


def test_demo_command_will_not_mix_a_second_demo_into_loaded_data(tmp_path):
    db = tmp_path / "factory.duckdb"
    first = CliRunner().invoke(main, ["demo", "--db", str(db), "--scale", "0.05", "--as-of", "2026-03-16"])
    before = db.read_bytes()
    second = CliRunner().invoke(main, ["demo", "--db", str(db), "--scale", "0.05", "--as-of", "2026-03-17"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 1
    assert "already holds loaded data" in second.output
    assert db.read_bytes() == before
