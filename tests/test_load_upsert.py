"""Loads are upserts by key, atomic (all or nothing), recorded, and reported."""

from __future__ import annotations

import datetime as dt
import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from contract_files import VALID_ROWS, data_tables, file_digest, table, write_rows, write_valid_folder

from etl.loader import load_folder
from gendan.cli import main
from gendan.commands.load import ProgressDisplay

ORDER = VALID_ROWS["orders"]


def order_quantities(store) -> list[tuple]:
    """(order_no, line_no, quantity, load_id) of every stored order line."""
    return [(row[0], row[1], row[6], row[-1]) for row in table(store, "orders")]


def test_loading_the_same_folder_twice_changes_no_data_table(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in")
    first = load_folder(store, folder)
    after_first = data_tables(store)
    second = load_folder(store, folder)
    assert data_tables(store) == after_first  # same rows, and each keeps load_id 1
    assert {counts.inserted for counts in first.entities.values()} == {1}
    assert {
        (counts.read, counts.loaded, counts.unchanged, counts.inserted, counts.updated)
        for counts in second.entities.values()
    } == {(1, 1, 1, 0, 0)}
    assert (first.load_id, second.load_id) == (1, 2)


def test_a_changed_row_replaces_the_stored_one_and_absent_rows_are_kept(store, tmp_path):
    first = write_valid_folder(tmp_path / "first", ["customers"])
    write_rows(first, "orders", [ORDER, {**ORDER, "line_no": "2", "quantity": "500"}, {**ORDER, "order_no": "SO2"}])
    load_folder(store, first)
    second = write_valid_folder(tmp_path / "second", [])
    write_rows(
        second, "orders", [{**ORDER, "quantity": "1300"}, {**ORDER, "order_no": "SO2"}, {**ORDER, "order_no": "SO3"}]
    )
    report = load_folder(store, second)
    assert report.entities["orders"].model_dump() == {
        "read": 3,
        "loaded": 3,
        "inserted": 1,  # SO3
        "updated": 1,  # SO1/1: 1200 -> 1300
        "unchanged": 1,  # SO2/1
        "rejected": 0,
    }
    assert order_quantities(store) == [
        ("SO1", 1, 1300, 2),
        ("SO1", 2, 500, 1),  # absent from the second file: kept
        ("SO2", 1, 1200, 1),  # identical: not rewritten
        ("SO3", 1, 1200, 2),
    ]


def test_a_rejected_row_leaves_the_stored_row_of_its_key_alone(store, tmp_path):
    load_folder(store, write_valid_folder(tmp_path / "first", ["customers", "orders"]))
    second = write_valid_folder(tmp_path / "second", [])
    write_rows(second, "orders", [{**ORDER, "quantity": "-5"}])
    load_folder(store, second)
    assert order_quantities(store) == [("SO1", 1, 1200, 1)]


def test_a_daily_production_only_load_refers_to_orders_already_in_the_store(store, tmp_path):
    load_folder(store, write_valid_folder(tmp_path / "setup", ["customers", "orders"]))
    daily = write_valid_folder(tmp_path / "daily", [])
    production = VALID_ROWS["production_daily"]
    write_rows(daily, "production_daily", [production, {**production, "line_no": "2"}])
    report = load_folder(store, daily)
    assert list(report.entities) == ["production_daily"]
    assert [(r.line, r.reason) for r in report.rejects] == [(3, "order line 'SO1/2' is not in this load or the store")]
    assert [row[:3] for row in table(store, "production_daily")] == [(dt.date(2026, 1, 20), "SO1", 1)]


def test_a_load_never_touches_the_records_typed_into_the_app(store, tmp_path):
    with store.write_app() as con:
        con.execute(
            "insert into follow_up_notes (subject_kind, subject_ref, note, created_by, created_at)"
            " values ('order_line', 'SO1/1', 'call the buyer', 'li', now())"
        )
    before = file_digest(store.app.path)
    load_folder(store, write_valid_folder(tmp_path / "in"))
    load_folder(store, write_valid_folder(tmp_path / "again"))
    assert file_digest(store.app.path) == before


def test_loads_and_rejects_are_recorded(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_rows(folder, "orders", [ORDER, {**ORDER, "line_no": "2", "due_date": "2025-12-31"}])
    report = load_folder(store, folder)
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        [load] = con.sql(
            "select load_id, source, files, content_hash, counts, rejected_rows, strict, finished_at >= started_at"
            " from loads"
        ).fetchall()
        rejects = con.sql(
            'select load_id, file, entity, line, "column", value, reason, reason_code, reason_detail from rejects'
        ).fetchall()
    finally:
        con.close()
    load_id, source, files, content_hash, counts, rejected_rows, strict, finished_after_start = load
    assert (load_id, source, rejected_rows, strict, finished_after_start) == (
        report.load_id,
        str(folder.resolve()),
        1,
        False,
        True,
    )
    assert json.loads(files) == [
        {"file": "customers.csv", "entity": "customers", "sha256": file_digest(folder / "customers.csv"), "rows": 1},
        {"file": "orders.csv", "entity": "orders", "sha256": file_digest(folder / "orders.csv"), "rows": 2},
    ]
    assert len(content_hash) == 64
    assert json.loads(counts)["orders"] == {
        "read": 2,
        "loaded": 1,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert rejects == [
        (
            load_id,
            "orders.csv",
            "orders",
            3,
            "due_date",
            "2025-12-31",
            "due_date is before order_date",
            "due_before_order",
            None,
        )
    ]


def run_load(folder: Path, db: Path, *extra: str):
    return CliRunner().invoke(main, ["load", str(folder), "--db", str(db), *extra])


@pytest.mark.parametrize(
    ("bad_row", "first_reject"),
    [
        ({**ORDER, "line_no": "2", "quantity": "0"}, "orders.csv line 3, quantity '0': must be > 0"),
        # found only inside the write block, against the store
        (
            {**ORDER, "line_no": "2", "customer_code": "C9"},
            "orders.csv line 3, customer_code 'C9': customer 'C9' is not in this load or the store",
        ),
    ],
    ids=["bad value", "unknown reference"],
)
def test_strict_with_any_reject_changes_nothing(store, tmp_path, bad_row, first_reject):
    load_folder(store, write_valid_folder(tmp_path / "setup", ["customers"]))
    before = file_digest(store.path)
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_rows(folder, "orders", [ORDER, bad_row])
    result = run_load(folder, store.path, "--strict")
    assert result.exit_code == 1
    assert result.output == f"Error: --strict: 1 row(s) rejected, nothing loaded; first: {first_reject}\n"
    assert file_digest(store.path) == before


def test_strict_without_rejects_loads(store, tmp_path):
    result = run_load(write_valid_folder(tmp_path / "in"), store.path, "--strict")
    assert result.exit_code == 0, result.output
    assert len(table(store, "orders")) == 1


def leftover_working_copies(store) -> list[Path]:
    return list(store.path.parent.glob(f".{store.path.name}.writing-*"))


def test_an_error_after_some_entities_were_written_publishes_nothing(store, tmp_path):
    load_folder(store, write_valid_folder(tmp_path / "setup", ["customers", "orders"]))
    before_bytes, before_rows = file_digest(store.path), data_tables(store)
    folder = write_valid_folder(tmp_path / "in")
    write_rows(folder, "orders", [{**ORDER, "quantity": "9999"}])

    def fail_before_the_third_entity(stage: str, done: int, total: int) -> None:
        if stage == "write" and done >= 2:  # fx_rates and customers are in the working copy
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        load_folder(store, folder, progress=fail_before_the_third_entity)
    assert file_digest(store.path) == before_bytes
    assert data_tables(store) == before_rows
    assert leftover_working_copies(store) == []


KILLED_LOAD = textwrap.dedent(
    """
    import os, signal, sys
    from etl.loader import load_folder
    from gendan.settings import Settings
    from warehouse.store import Store

    def kill_midway(stage, done, total):
        if stage == "write" and done >= 2:
            os.kill(os.getpid(), signal.SIGKILL)

    db = sys.argv[1]
    load_folder(Store(db, Settings(db=db)), sys.argv[2], progress=kill_midway)
    """
)


def test_a_load_killed_midway_leaves_the_store_as_it_was(store, tmp_path):
    load_folder(store, write_valid_folder(tmp_path / "setup", ["customers", "orders"]))
    before_bytes, before_rows = file_digest(store.path), data_tables(store)
    folder = write_valid_folder(tmp_path / "in")
    write_rows(folder, "orders", [{**ORDER, "quantity": "9999"}])
    killed = subprocess.run([sys.executable, "-c", KILLED_LOAD, str(store.path), str(folder)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert leftover_working_copies(store)  # it really died inside the write block
    assert file_digest(store.path) == before_bytes
    assert data_tables(store) == before_rows
    # The next load cleans up after the dead one and succeeds.
    load_folder(store, folder)
    assert leftover_working_copies(store) == []
    assert order_quantities(store) == [("SO1", 1, 9999, 2)]  # load 2: the killed one left no trace


def test_json_report_shape(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in")
    write_rows(folder, "payments", [{**VALID_ROWS["payments"], "amount": "-1", "note": "x"}])
    result = run_load(folder, store.path, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"load_id", "committed", "entities", "rejects", "ignored_columns"} <= set(report)
    assert report["committed"] is True
    assert report["entities"]["payments"] == {
        "read": 1,
        "loaded": 0,
        "inserted": 0,
        "updated": 0,
        "unchanged": 0,
        "rejected": 1,
    }
    assert report["rejects"] == [
        {
            "file": "payments.csv",
            "line": 2,
            "column": "amount",
            "value": "-1",
            "reason": "must be > 0",
            "reason_code": "below_minimum",
            "reason_detail": "> 0",
        }
    ]
    assert report["ignored_columns"] == {"payments.csv": ["note"]}


def test_text_report_lists_counts_and_rejects_and_a_committed_load_exits_0(store, tmp_path):
    folder = write_valid_folder(tmp_path / "in", ["customers"])
    write_rows(folder, "orders", [ORDER, {**ORDER, "line_no": "2", "priority": "asap"}])
    result = run_load(folder, store.path)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == f"Load 1 from {folder.resolve()}: 3 rows read, 2 loaded, 1 rejected."
    assert lines[3].split() == ["customers", "1", "1", "1", "0", "0", "0"]
    assert lines[4].split() == ["orders", "2", "1", "1", "0", "0", "1"]
    assert (
        lines[-1]
        == "  orders.csv line 3, priority 'asap': unknown priority code 'asap' (expected normal/普通, rush/加急)"
    )


def test_progress_reports_every_stage_up_to_its_total(store, tmp_path):
    calls = []
    load_folder(store, write_valid_folder(tmp_path / "in"), progress=lambda *call: calls.append(call))
    stages = list(dict.fromkeys(stage for stage, _, _ in calls))
    assert stages == ["read", "check", "write"]
    assert all(0 <= done <= total for _, done, total in calls)
    assert [call for call in calls if call[1] == call[2]] == [("read", 7, 7), ("check", 7, 7), ("write", 7, 7)]


@pytest.mark.parametrize(("total", "lines"), [(99_999, 0), (100_000, 2)])
def test_without_a_terminal_big_loads_print_stage_lines(capsys, total, lines):
    display = ProgressDisplay()  # pytest's stderr is not a terminal
    display("read", 1, 1)
    display("write", 0, total)
    display("write", total, total)
    display.close()
    assert len(capsys.readouterr().err.splitlines()) == lines
