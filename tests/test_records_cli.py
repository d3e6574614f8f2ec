"""The record-keeping commands: same service functions as the forms, --user checked like a signed-in user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner

from gendan import records
from gendan.cli import main
from test_records_support import TODAY, app_counts, build_factory, clone, reader


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_factory(tmp_path_factory.mktemp("factory"))


@pytest.fixture
def factory(template, tmp_path):
    return clone(template, tmp_path)


def gendan(store, *arguments, user="editor", input=None, env=None):
    """Run `gendan ARGUMENTS --db STORE` as `user`; the result (exit code, stdout, stderr)."""
    command = [*arguments, "--db", str(store.path)]
    if user is not None:
        command += ["--user", user]
    return CliRunner().invoke(main, command, input=input, env=env or {})


def test_receive_ship_pay_report_save_through_the_service(factory):
    assert gendan(factory, "receive", "--po-no", "PO-1", "--received-qty", "50", "--receipt-date", "2026/11/2").exit_code == 0
    shipped = gendan(factory, "ship", "--shipment-no", "SH-9", "--order-no", "SO-1", "--line-no", "2",
                     "--shipped-qty", "120", "--invoice-no", "INV-9", "--ship-date", "2026-11-03")  # fmt: skip
    assert shipped.output == "shipment SH-9 saved: 120 pcs of SO-1/2\n"
    paid = gendan(factory, "pay", "--payment-no", "RC-9", "--invoice-no", "INV-9", "--amount", "600", "--payment-date", "2026-11-04")
    assert paid.exit_code == 0, paid.output
    reported = gendan(factory, "report", "--order-no", "SO-1", "--workshop", "Sewing line 3", "--process", "包装",
                      "--output-qty", "90", "--report-date", "2026年11月5日")  # fmt: skip
    assert reported.exit_code == 0, reported.output

    con = reader(factory)
    assert con.execute("select received_qty, receipt_date from app.po_receipts").fetchall() == [(Decimal("50"), dt.date(2026, 11, 2))]
    assert con.execute("select invoice_no, amount from int_payments where source = 'app'").fetchall() == [("INV-9", Decimal("600"))]
    assert con.execute("select process, output_qty, entered_by from app.production_daily").fetchall() == [("packing", 90, "editor")]
    assert set(records.audit_trail(con, user="editor")["entity"]) == {"po_receipt", "shipment", "payment", "production_report"}


def test_dates_default_to_today(factory):
    assert gendan(factory, "receive", "--po-no", "PO-1", "--po-line", "2", "--received-qty", "5").exit_code == 0
    assert reader(factory).execute("select receipt_date from app.po_receipts").fetchall() == [(TODAY,)]


def test_refusals_name_the_option_exit_1_and_write_nothing(factory):
    before = app_counts(factory)
    result = gendan(factory, "receive", "--po-no", "PO-1", "--po-line", "9", "--received-qty", "-1", "--rejected-qty", "x")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "gendan: --received-qty: must be more than 0",
        "gendan: --rejected-qty: must be a number",
    ]
    unknown_line = gendan(factory, "receive", "--po-no", "PO-1", "--po-line", "9", "--received-qty", "1")
    assert unknown_line.stderr == "gendan: --po-no: PO line PO-1/9 is not in the data\n"
    assert app_counts(factory) == before


def test_the_user_comes_from_gendan_user_and_its_role_is_checked(factory):
    viewer = gendan(factory, "note", "add", "--subject-kind", "customer", "--subject-ref", "C1", "--note", "x",
                    user=None, env={"GENDAN_USER": "viewer"})  # fmt: skip
    assert viewer.exit_code == 1
    assert viewer.stderr == "gendan: viewer has the viewer role: changing this needs the editor role\n"
    editor = gendan(factory, "note", "add", "--subject-kind", "客户", "--subject-ref", "C1", "--note", "x",
                    user=None, env={"GENDAN_USER": "Editor"})  # fmt: skip
    assert editor.exit_code == 0, editor.output
    assert reader(factory).execute("select created_by from app.follow_up_notes").fetchall() == [("editor",)]


def test_note_add_list_done(factory):
    chase = (TODAY + dt.timedelta(days=1)).isoformat()
    added = gendan(factory, "note", "add", "--subject-kind", "invoice", "--subject-ref", "INV-1",
                   "--note", "promised Friday", "--next-chase-date", chase)  # fmt: skip
    assert added.output == "note #1 added on invoice INV-1\n"
    listed = gendan(factory, "note", "list", user=None)
    assert listed.output.startswith(f"#1 v1 open next {chase} invoice INV-1 (editor ")
    assert listed.output.endswith("): promised Friday\n")
    assert gendan(factory, "note", "done", "1", "--if-version", "1").output == "note #1 done\n"
    again = gendan(factory, "note", "done", "1", "--if-version", "1", user="admin")
    assert again.exit_code == 1
    assert again.stderr.startswith("gendan: note #1 was changed by editor at ")
    assert gendan(factory, "note", "list", user=None).output == ""
    assert "done by editor" in gendan(factory, "note", "list", "--status", "all", user=None).output


def test_order_shows_the_line_and_changes_it_with_a_version(factory):
    shown = gendan(factory, "order", "--order-no", "SO-1", "--line-no", "1", user=None)
    assert shown.output == "SO-1/1: due 2026-12-01 (loaded 2026-12-01), normal, open, version 0\n"
    changed = gendan(factory, "order", "--order-no", "SO-1", "--due-date", "2026-12-24", "--reason", "fabric late",
                     "--if-version", "0")  # fmt: skip
    assert changed.output == "order line SO-1/1 changed: due_date 2026-12-24\n"
    stale = gendan(factory, "order", "--order-no", "SO-1", "--priority", "rush", "--if-version", "0", user="admin")
    assert stale.exit_code == 1
    assert "was changed by editor at " in stale.stderr
    shown = gendan(factory, "order", "--order-no", "SO-1", user=None).output
    assert shown.startswith("SO-1/1: due 2026-12-24 (loaded 2026-12-01), normal, open, version 1, last changed by editor at ")
    cancel = gendan(factory, "order", "--order-no", "SO-1", "--line-no", "2", "--status", "cancelled")
    assert cancel.stderr == "gendan: --reason: a reason is required to change the due date or the status\n"
