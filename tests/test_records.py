"""The service layer on a real store: each operation persists and is audited, bad input writes nothing,
roles are checked server side, versions are checked, and app records combine with loads without loss
or double counting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import d, insert_rows
from gendan import auth, records
from gendan.records import Conflict, InvalidInput, NotAllowed
from test_records_support import TODAY, app_counts, build_factory, clone, reader, seed_factory
from warehouse import metrics


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_factory(tmp_path_factory.mktemp("factory"))


@pytest.fixture
def factory(template, tmp_path):
    """The seeded factory with one user per role (admin, editor, viewer)."""
    return clone(template, tmp_path)


def audit_rows(store, entity, key):
    frame = records.record_history(reader(store), entity, key).filter(entity=entity, record_key=key)
    latest = {}  # field -> its latest change (the history is newest first)
    for row in frame.iter_rows(named=True):
        latest.setdefault(row["field"], (row["old_value"], row["new_value"], row["changed_by"], row["action"]))
    return latest


RECEIPT = {"po_no": "PO-1", "po_line": 1, "receipt_date": "2026-11-02", "received_qty": "300", "rejected_qty": "20"}
SHIPMENT = {"shipment_no": "SH-2", "order_no": "SO-1", "line_no": 2, "ship_date": "2026-11-03", "shipped_qty": 150,
            "invoice_no": "INV-2"}  # fmt: skip
PAYMENT = {"payment_no": "RC-1", "invoice_no": "INV-1", "payment_date": "2026-11-04", "amount": "1000.5"}
REPORT = {"report_date": "2026-11-05", "order_no": "SO-1", "line_no": 1, "workshop": "Sewing line 3", "process": "车缝",
          "planned_qty": 500, "output_qty": 430, "defect_qty": 7, "delay_reason": "待料"}  # fmt: skip


# --- each operation persists and is audited ----------------------------------------------


def test_receipt_adds_accepted_qty_to_the_po_line_and_is_audited(factory):
    saved = records.record_receipt(factory, "Editor", RECEIPT)

    con = reader(factory)
    po_line = con.sql("select received_qty, received_date, loaded_received_qty from int_purchase_orders "
                      "where po_no = 'PO-1' and po_line = 1").fetchall()  # fmt: skip
    assert po_line == [(Decimal("380"), d("2026-11-02"), Decimal("100"))]
    audit = audit_rows(factory, "po_receipt", saved.key)
    assert audit["received_qty"] == (None, "300", "editor", "insert")
    assert audit["rejected_qty"] == (None, "20", "editor", "insert")
    assert audit["receipt_date"] == (None, "2026-11-02", "editor", "insert")
    assert records.record_history(con, "po_line", "PO-1/1")["record_key"].unique().to_list() == [saved.key]


def test_shipment_counts_until_a_load_brings_the_same_key(factory):
    records.record_shipment(factory, "editor", SHIPMENT)
    counted = "select shipment_no, shipped_qty, source from int_shipments where order_no = 'SO-1' and line_no = 2"
    assert reader(factory).sql(counted).fetchall() == [("SH-2", 150, "app")]

    # The ERP export brings the same shipment (with the quantity it recorded): the loaded one counts, once.
    insert_rows(factory, "shipments", [{**SHIPMENT, "ship_date": d("2026-11-03"), "shipped_qty": 148}], load_id=2)
    con = reader(factory)
    assert con.sql(counted).fetchall() == [("SH-2", 148, "load")]
    entered = records.app_records(con, "order_line", "SO-1/2")
    assert entered.select("document_no", "confirmed_by_load").rows() == [("SH-2", True)]
    assert con.execute("select count(*) from app.shipments").fetchone() == (1,)  # kept


def test_payment_on_an_invoice_entered_in_the_app_counts_until_loaded(factory):
    records.record_shipment(factory, "editor", SHIPMENT)  # creates invoice INV-2 in the app only
    records.record_payment(factory, "editor", {**PAYMENT, "invoice_no": "INV-2", "amount": "99.99999"})
    counted = "select payment_no, amount, source from int_payments"
    assert reader(factory).sql(counted).fetchall() == [("RC-1", Decimal("100.0000"), "app")]
    assert audit_rows(factory, "payment", "RC-1")["amount"][:2] == (None, "100")

    insert_rows(factory, "payments", [{"payment_no": "RC-1", "invoice_no": "INV-2", "payment_date": d("2026-11-04"),
                                       "amount": Decimal("100")}], load_id=2)  # fmt: skip
    assert reader(factory).sql(counted).fetchall() == [("RC-1", Decimal("100.0000"), "load")]


def test_production_report_accepts_chinese_codes_and_counts_until_loaded(factory):
    saved = records.record_production_report(factory, "editor", REPORT)
    counted = "select process, delay_reason, output_qty, source from int_production_daily"
    assert reader(factory).sql(counted).fetchall() == [("sewing", "material_shortage", 430, "app")]
    assert audit_rows(factory, "production_report", saved.key)["process"][:2] == (None, "sewing")

    loaded = {**REPORT, "report_date": d("2026-11-05"), "process": "sewing", "delay_reason": None, "output_qty": 431}
    insert_rows(factory, "production_daily", [loaded], load_id=2)
    assert reader(factory).sql(counted).fetchall() == [("sewing", None, 431, "load")]


def test_receipt_stops_counting_once_a_load_reports_a_receipt_on_or_after_it(factory):
    records.record_receipt(factory, "editor", RECEIPT)  # 2026-11-02, +280
    records.record_receipt(factory, "editor", {**RECEIPT, "receipt_date": "2026-11-08", "received_qty": "50", "rejected_qty": ""})
    with factory.write() as con:  # the next ERP snapshot includes the first receipt only
        con.execute("update purchase_orders set received_qty = 380, received_date = '2026-11-02' where po_no = 'PO-1' and po_line = 1")
    con = reader(factory)
    po_line = "select received_qty, received_date from int_purchase_orders where po_no = 'PO-1' and po_line = 1"
    assert con.sql(po_line).fetchall() == [(Decimal("430"), d("2026-11-08"))]
    assert records.app_records(con, "po_line", "PO-1/1").sort("record_date")["confirmed_by_load"].to_list() == [True, False]


def test_order_line_change_overrides_the_load_and_a_later_load_does_not_undo_it(factory):
    saved = records.change_order_line(
        factory, "editor",
        {"order_no": "SO-1", "line_no": 1, "expected_version": 0, "due_date": "2026-12-20", "priority": "加急",
         "reason": "customer moved the vessel"},
    )  # fmt: skip
    assert saved.version == 1
    with factory.write() as con:  # a later load brings the line again, with other values
        con.execute("update orders set due_date = '2026-12-05', priority = 'normal', quantity = 1200 where order_no = 'SO-1' and line_no = 1")
    state = records.order_line_state(reader(factory), "SO-1", 1)
    assert (state.due_date, state.priority, state.status, state.quantity) == (d("2026-12-20"), "rush", "open", 1200)
    assert (state.loaded_due_date, state.app_version, state.changed_by) == (d("2026-12-05"), 1, "editor")
    audit = audit_rows(factory, "order_line", "SO-1/1")
    assert audit["due_date"][:2] == ("2026-12-01", "2026-12-20")
    assert audit["priority"][:2] == ("normal", "rush")
    assert audit["reason"][:2] == (None, "customer moved the vessel")
    assert audit["due_date"][3] == "update"


def test_cancelling_a_line_needs_a_reason_and_then_counts_as_cancelled(factory):
    with pytest.raises(InvalidInput) as refused:
        records.change_order_line(factory, "editor", {"order_no": "SO-1", "line_no": 2, "status": "取消"})
    assert [(p.field, p.en) for p in refused.value.problems] == [
        ("reason", "a reason is required to change the due date or the status")
    ]
    records.change_order_line(factory, "editor", {"order_no": "SO-1", "line_no": 2, "status": "取消", "reason": "customer cancelled"})
    assert reader(factory).sql("select status from int_order_lines where line_no = 2").fetchall() == [("cancelled",)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"due_date": "2026-12-20"}, "reason", "a reason is required to change the due date or the status"),
        ({"due_date": "2026-08-01", "reason": "x"}, "due_date", "cannot be before the order date 2026-09-01"),
        ({"due_date": "2026-12-01", "priority": "normal"}, None, "nothing to change on order line SO-1/1"),
        ({"priority": "urgent"}, "priority", "unknown priority 'urgent'; use one of: normal (普通), rush (加急)"),
        ({"line_no": 9, "priority": "rush"}, "order_no", "order line SO-1/9 is not in the data"),
    ],
)
def test_order_line_change_refusals(factory, change, field, message):
    before = app_counts(factory)
    with pytest.raises(InvalidInput) as refused:
        records.change_order_line(factory, "editor", {"order_no": "SO-1", "line_no": 1, **change})
    assert [(p.field, p.en) for p in refused.value.problems] == [(field, message)]
    assert app_counts(factory) == before


def test_notes_on_every_kind_of_record_and_mark_done(factory):
    chase = (TODAY + dt.timedelta(days=2)).isoformat()
    subjects = [("order_line", "SO-1/2"), ("po_line", "PO-1/2"), ("invoice", "INV-1"), ("customer", "C1")]
    ids = [
        records.add_note(factory, "editor", {"subject_kind": kind, "subject_ref": ref, "note": "call them", "next_chase_date": chase}).key
        for kind, ref in subjects
    ]
    open_notes = records.notes(reader(factory))
    assert open_notes.select("subject_kind", "subject_ref").rows() == subjects
    done = records.mark_note_done(factory, "editor", {"note_id": ids[0], "expected_version": 1})
    assert done.version == 2
    note = records.note_state(reader(factory), int(ids[0]))
    assert (note.status, note.done_by) == ("done", "editor")
    assert audit_rows(factory, "follow_up_note", ids[0])["status"][:2] == ("open", "done")
    assert records.record_history(reader(factory), "order_line", "SO-1/2")["field"].to_list()[0] == "status"


@pytest.mark.parametrize(
    ("kind", "ref", "field", "message"),
    [
        ("order_line", "SO-1/7", "order_no", "order line SO-1/7 is not in the data"),
        ("po_line", "PO-9/1", "po_no", "PO line PO-9/1 is not in the data"),
        ("invoice", "INV-404", "subject_ref", "invoice INV-404 is not in the data"),
        ("customer", "C404", "subject_ref", "customer C404 is not in the data"),
        ("order_line", "SO-1", None, "'SO-1' is not NUMBER/LINE"),
        ("supplier", "X", "subject_kind", "unknown subject 'supplier'; use one of: order_line (订单行), po_line (采购行), invoice (发票), customer (客户)"),
    ],
)  # fmt: skip
def test_note_on_something_that_does_not_exist_is_refused(factory, kind, ref, field, message):
    before = factory.app.generation()
    with pytest.raises(InvalidInput) as refused:
        records.add_note(factory, "editor", {"subject_kind": kind, "subject_ref": ref, "note": "x"})
    assert [(p.field, p.en) for p in refused.value.problems] == [(field, message)]
    assert factory.app.generation() == before  # the app file was not even republished


# --- bad input writes nothing --------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "values", "expected"),
    [
        (records.record_receipt, {**RECEIPT, "received_qty": ""}, [("received_qty", "required", "必填")]),
        (records.record_receipt, {**RECEIPT, "received_qty": "-5"}, [("received_qty", "must be more than 0", "必须大于 0")]),
        (records.record_receipt, {**RECEIPT, "rejected_qty": "301"},
         [("rejected_qty", "cannot be more than the received qty", "不能大于收货数量")]),
        (records.record_receipt, {**RECEIPT, "receipt_date": (TODAY + dt.timedelta(days=1)).isoformat()},
         [("receipt_date", "cannot be after today", "不能晚于今天")]),
        (records.record_receipt, {**RECEIPT, "receipt_date": "2026-02-30"},
         [("receipt_date", "no such day in the calendar", "日历上没有这一天")]),
        (records.record_receipt, {**RECEIPT, "po_line": 3}, [("po_no", "PO line PO-1/3 is not in the data", "采购行 PO-1/3 不存在")]),
        (records.record_shipment, {**SHIPMENT, "shipped_qty": "2.5", "currency": "dollars"},
         [("shipped_qty", "must be a whole number", "必须是整数"),
          ("currency", "must be a 3-letter currency code, e.g. USD", "应为3个字母的币种代码，例如 USD")]),
        (records.record_shipment, {**SHIPMENT, "shipment_no": "SH-1", "line_no": 1},
         [("shipment_no", "shipment SH-1 SO-1/1 is already in the loaded data", "出货 SH-1 SO-1/1 已在导入的数据中")]),
        (records.record_shipment, {**SHIPMENT, "order_no": "SO-404"},
         [("order_no", "order line SO-404/2 is not in the data", "订单行 SO-404/2 不存在")]),
        (records.record_payment, {**PAYMENT, "amount": "0"}, [("amount", "must be more than 0", "必须大于 0")]),
        (records.record_payment, {**PAYMENT, "invoice_no": "INV-404"},
         [("invoice_no", "invoice INV-404 is not in the data", "发票 INV-404 不存在")]),
        (records.record_production_report, {**REPORT, "process": "ironing", "output_qty": None},
         [("process", "unknown process 'ironing'; use one of: cutting (裁床), sewing (车缝), finishing (后整), packing (包装)",
           "未知工序“ironing”，可选：cutting (裁床), sewing (车缝), finishing (后整), packing (包装)"),
          ("output_qty", "required", "必填")]),
        (records.record_production_report, {**REPORT, "defect_qty": -1, "delay_reason": "lazy"},
         [("defect_qty", "must be 0 or more", "不能小于 0"),
          ("delay_reason", "unknown delay reason 'lazy'; use one of: plan_error (计划错误), machine_breakdown (设备故障), "
           "material_shortage (待料), high_defects (不良率高), rush_order_insert (插单), upstream_delay (前工序延误), "
           "absenteeism (缺勤), other (其他)",
           "未知延误原因“lazy”，可选：plan_error (计划错误), machine_breakdown (设备故障), material_shortage (待料), "
           "high_defects (不良率高), rush_order_insert (插单), upstream_delay (前工序延误), absenteeism (缺勤), other (其他)")]),
    ],
)  # fmt: skip
def test_bad_input_is_refused_field_by_field_and_writes_nothing(factory, operation, values, expected):
    before = app_counts(factory)
    with pytest.raises(InvalidInput) as refused:
        operation(factory, "editor", values)
    assert [(p.field, p.en, p.zh) for p in refused.value.problems] == expected
    assert app_counts(factory) == before


@pytest.mark.parametrize(
    ("operation", "values", "field"),
    [
        (records.record_shipment, SHIPMENT, "shipment_no"),
        (records.record_payment, PAYMENT, "payment_no"),
        (records.record_production_report, REPORT, None),
    ],
)
def test_a_record_entered_twice_is_refused_with_who_entered_it(factory, operation, values, field):
    operation(factory, "editor", values)
    before = app_counts(factory)
    with pytest.raises(InvalidInput) as refused:
        operation(factory, "admin", values)
    [problem] = refused.value.problems
    assert problem.field == field
    assert "already entered by editor at " in problem.en
    assert app_counts(factory) == before


# --- roles, server side ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "values"),
    [
        (records.record_receipt, RECEIPT),
        (records.record_shipment, SHIPMENT),
        (records.record_payment, PAYMENT),
        (records.record_production_report, REPORT),
        (records.change_order_line, {"order_no": "SO-1", "priority": "rush"}),
        (records.add_note, {"subject_kind": "customer", "subject_ref": "C1", "note": "x"}),
        (records.mark_note_done, {"note_id": 1}),
    ],
)
def test_a_viewer_is_refused_by_every_operation(factory, operation, values):
    records.add_note(factory, "editor", {"subject_kind": "customer", "subject_ref": "C1", "note": "x"})
    before = app_counts(factory)
    with pytest.raises(NotAllowed) as refused:
        operation(factory, "viewer", values)
    assert refused.value.problems[0].en == "viewer has the viewer role: changing this needs the editor role"
    assert app_counts(factory) == before


def test_unknown_and_blank_users_are_refused(factory):
    with pytest.raises(NotAllowed, match="'mallory' is not a user of this store"):
        records.record_receipt(factory, "mallory", RECEIPT)
    with pytest.raises(NotAllowed, match="say who you are"):
        records.record_receipt(factory, "  ", RECEIPT)


def test_a_store_without_users_is_open_to_any_name(store):
    seed_factory(store)
    records.record_receipt(store, "whoever", RECEIPT)
    assert records.audit_trail(reader(store))["changed_by"].unique().to_list() == ["whoever"]


def test_a_removed_user_is_refused_at_once(factory):
    auth.remove_user(factory, "admin", {"username": "editor"})
    with pytest.raises(NotAllowed):
        records.record_receipt(factory, "editor", RECEIPT)


# --- optimistic concurrency ----------------------------------------------------------------


def test_second_edit_of_an_order_line_with_the_same_version_is_told_who_changed_it(factory):
    first = {"order_no": "SO-1", "line_no": 1, "expected_version": 0, "priority": "rush"}
    records.change_order_line(factory, "editor", first)
    with pytest.raises(Conflict) as refused:
        records.change_order_line(factory, "admin", {**first, "priority": "normal"})
    message = refused.value.problems[0].en
    assert message.startswith("order line SO-1/1 was changed by editor at ")
    assert message.endswith("after you opened it; reload and try again")
    assert records.order_line_state(reader(factory), "SO-1", 1).priority == "rush"


def test_marking_a_note_done_twice_is_told_who_did_it(factory):
    note = records.add_note(factory, "editor", {"subject_kind": "invoice", "subject_ref": "INV-1", "note": "x"})
    records.mark_note_done(factory, "editor", {"note_id": note.key, "expected_version": 1})
    with pytest.raises(Conflict, match=r"note #1 was changed by editor at "):
        records.mark_note_done(factory, "admin", {"note_id": note.key, "expected_version": 1})
    with pytest.raises(Conflict):
        records.mark_note_done(factory, "admin", {"note_id": note.key})


# --- the audit trail ----------------------------------------------------------------------


def test_audit_trail_filters(factory):
    records.record_receipt(factory, "editor", RECEIPT)
    records.record_payment(factory, "admin", PAYMENT)
    con = reader(factory)
    assert set(records.audit_trail(con, user="admin", entity="payment")["field"]) == {
        "payment_no", "invoice_no", "payment_date", "amount"
    }  # fmt: skip
    assert records.audit_trail(con, record="po-1/1")["entity"].unique().to_list() == ["po_receipt"]
    assert records.audit_trail(con, date_from=TODAY, date_to=TODAY).height == records.audit_trail(con).height
    assert records.audit_trail(con, date_to=TODAY - dt.timedelta(days=1)).is_empty()
    assert records.audit_trail(con, user="viewer", entity="payment").is_empty()


# --- the metric layer counts app records once ----------------------------------------------


def test_kpis_count_app_records_until_a_load_confirms_them_and_never_twice(factory):
    def figures() -> tuple:
        report = metrics.kpi_report(reader(factory), dt.date(2026, 12, 31))
        [invoice] = [row for row in report["unpaid_invoices"] if row["invoice_no"] == "INV-1"]
        [po_line] = [row for row in report["overdue_po_lines"] if (row["po_no"], row["po_line"]) == ("PO-1", 1)]
        return invoice["outstanding"], po_line["open_qty"]

    assert figures() == (2000, 400)
    records.record_payment(factory, "editor", {**PAYMENT, "amount": 500})
    records.record_receipt(factory, "editor", RECEIPT)  # +280 accepted
    assert figures() == (1500, 120)

    # The next exports bring the same payment and a PO snapshot that includes the receipt.
    insert_rows(factory, "payments", [{"payment_no": "RC-1", "invoice_no": "INV-1", "payment_date": d("2026-11-04"),
                                       "amount": Decimal("500")}], load_id=2)  # fmt: skip
    with factory.write() as con:
        con.execute("update purchase_orders set received_qty = 380, received_date = '2026-11-02' where po_no = 'PO-1' and po_line = 1")
    assert figures() == (1500, 120)
