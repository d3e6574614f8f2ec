"""Concurrent use with real processes: a load, several update commands and a serving dashboard at once;
a load killed half-way; two edits of one record from two processes. Nothing entered or loaded is lost."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from etl.contract import ENTITIES
from etl.loader import load_folder
from gendan import auth, records
from gendan.demo import DemoParameters, write_demo_files
from gendan.settings import Settings
from warehouse.store import Store

GENDAN = str(Path(sys.executable).with_name("gendan"))
AS_OF = dt.date(2026, 11, 20)
WAREHOUSE_TABLES = (*ENTITIES, "rejects")


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """A small export (the store's starting point) and a big one (the load that runs during the test)."""
    folder = tmp_path_factory.mktemp("exports")
    for name, scale in (("small", 1), ("big", 20)):
        write_demo_files(folder / name, DemoParameters(scale=scale, seed=11, as_of=AS_OF, plain_files=True))
    return folder


@pytest.fixture
def factory(exports, tmp_path):
    """A store holding the small export, the demo users and one note."""
    store = Store(tmp_path / "factory.duckdb", Settings(db=tmp_path / "factory.duckdb"))
    load_folder(store, exports / "small")
    auth.create_demo_users(store)
    customer = first(store, "customer_code", "customers")
    records.add_note(store, "editor", {"subject_kind": "customer", "subject_ref": customer, "note": "before"})
    return store


def first(store: Store, column: str, table: str, offset: int = 0) -> str:
    """A value that exists in the warehouse (column and table are constants of the tests)."""
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        query = f"select distinct {column} from {table} order by 1 limit 1 offset $offset"
        return con.execute(query, {"offset": offset}).fetchone()[0]
    finally:
        con.close()


def gendan(store: Store, *arguments: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        [GENDAN, *arguments, "--db", str(store.path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "GENDAN_USER": ""},
        **options,
    )


def finished(process: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def contents(path: Path, tables: tuple[str, ...]) -> dict[str, list[tuple]]:
    """Every row of these warehouse tables (load ids aside), sorted, from a published file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = {table: con.execute(f"select * exclude (load_id) from {table}").fetchall() for table in tables}
        return {table: sorted(found, key=repr) for table, found in rows.items()}
    finally:
        con.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.fixture
def dashboard(factory):
    """`gendan serve` on the factory store, healthy."""
    port = free_port()
    server = gendan(factory, "serve", "--port", str(port), start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert server.poll() is None, server.stderr.read()
        try:
            if fetch(f"{url}/_stcore/health") == (200, "ok"):
                break
        except OSError:
            assert time.monotonic() < deadline, "the dashboard did not become healthy"
            time.sleep(0.3)
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def test_updates_and_a_serving_dashboard_during_a_load_lose_nothing(factory, exports, dashboard, tmp_path):
    # What the load alone must produce: the same load into a copy of the warehouse.
    oracle = Store(tmp_path / "oracle" / "factory.duckdb")
    oracle.path.parent.mkdir()
    shutil.copyfile(factory.path, oracle.path)
    load_folder(oracle, exports / "big")

    po_lines = [(first(factory, "po_no", "purchase_orders", offset), "1") for offset in range(2)]
    invoices = [first(factory, "invoice_no", "shipments", offset) for offset in range(2)]
    updates = [
        *[
            ("receive", "--po-no", po, "--po-line", line, "--received-qty", "7", "--receipt-date", "2026-11-19")
            for po, line in po_lines
        ],
        *[
            ("pay", "--payment-no", f"APP-{index}", "--invoice-no", invoice, "--amount", "12.5",
             "--payment-date", "2026-11-19")
            for index, invoice in enumerate(invoices)
        ],
        *[
            ("note", "add", "--subject-kind", "invoice", "--subject-ref", invoice, "--note", f"chase {invoice}")
            for invoice in invoices
        ],
    ]  # fmt: skip

    load = gendan(factory, "load", str(exports / "big"))
    writers = [gendan(factory, *update, "--user", "editor") for update in updates]
    reading = gendan(factory, "note", "list")
    polls, overlapped = [], 0
    while load.poll() is None:
        polls.append(fetch(f"{dashboard}/_stcore/health"))
        polls.append(fetch(dashboard)[:1])
        overlapped += sum(writer.poll() is not None for writer in writers)
        time.sleep(0.1)
    load_code, load_out, load_err = finished(load)
    results = [finished(writer) for writer in writers]

    assert load_code == 0, load_err
    assert [code for code, _, _ in results] == [0] * len(updates), [err for _, _, err in results]
    assert overlapped > 0, "no update finished while the load was running: the test did not test concurrency"
    assert finished(reading)[0] == 0
    assert polls and set(polls) == {(200, "ok"), (200,)}
    assert fetch(f"{dashboard}/_stcore/health") == (200, "ok")

    # Every loaded row is there, exactly as a load alone would have left it ...
    assert contents(factory.path, WAREHOUSE_TABLES) == contents(oracle.path, WAREHOUSE_TABLES)
    # ... and every update, with its audit rows.
    con = factory.connect()
    assert sorted(con.execute("select po_no, received_qty from app.po_receipts").fetchall()) == sorted(
        (po, 7) for po, _ in po_lines
    )
    assert sorted(con.execute("select payment_no, invoice_no from app.payments").fetchall()) == [
        (f"APP-{index}", invoice) for index, invoice in enumerate(invoices)
    ]
    assert sorted(con.execute("select note from app.follow_up_notes").fetchall()) == sorted(
        [("before",), *[(f"chase {invoice}",) for invoice in invoices]]
    )
    audited = con.execute("select count(distinct change_id) from app.audit_log where changed_by = 'editor'").fetchone()
    assert audited == (1 + len(updates),)


def test_a_load_killed_half_way_leaves_warehouse_and_app_data_as_they_were(factory, exports):
    records.record_receipt(factory, "editor", {"po_no": first(factory, "po_no", "purchase_orders"), "received_qty": 3,
                                               "receipt_date": "2026-11-19"})  # fmt: skip
    before = {path: sha256(path) for path in (factory.path, factory.app.path)}
    rows_before = contents(factory.path, WAREHOUSE_TABLES)

    load = gendan(factory, "load", str(exports / "big"))
    for line in load.stderr:  # progress lines, as the load command prints them for big loads
        if line.startswith("Writing rows: ") and not line.startswith("Writing rows: 0 "):
            break
    working_copy = factory.path.with_name(f".factory.duckdb.writing-{load.pid}")
    assert working_copy.exists(), "the load was not writing when it was killed"
    load.send_signal(signal.SIGKILL)
    assert load.wait(timeout=60) == -signal.SIGKILL

    assert {path: sha256(path) for path in before} == before  # both published files untouched, byte for byte
    assert contents(factory.path, WAREHOUSE_TABLES) == rows_before
    assert factory.connect().execute("select count(*) from app.po_receipts").fetchone() == (1,)

    # The lock died with the load: the next load runs, and clears the dead load's working copy.
    code, _, err = finished(gendan(factory, "load", str(exports / "small")))
    assert code == 0, err
    assert not working_copy.exists()
    entities = tuple(ENTITIES)  # (rejects are kept per load, so they grow)
    assert contents(factory.path, entities) == {table: rows_before[table] for table in entities}  # same export: no change


def test_two_processes_editing_one_order_line_at_the_same_version_the_second_is_told(factory):
    order_no = first(factory, "order_no", "orders")
    edits = [
        gendan(factory, "order", "--order-no", order_no, "--due-date", due, "--reason", "vessel moved", "--if-version", "0",
               "--user", user)
        for due, user in (("2027-01-10", "editor"), ("2027-01-11", "admin"))
    ]  # fmt: skip
    results = [finished(edit) for edit in edits]
    winners = [index for index, (code, _, _) in enumerate(results) if code == 0]
    assert len(winners) == 1, results
    winner = winners[0]
    code, _, err = results[1 - winner]
    assert code == 1
    assert err.startswith(f"gendan: order line {order_no}/1 was changed by {('editor', 'admin')[winner]} at ")
    state = records.order_line_state(factory.connect(), order_no, 1)
    assert (state.due_date.isoformat(), state.app_version) == (("2027-01-10", "2027-01-11")[winner], 1)
