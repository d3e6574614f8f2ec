"""The forms the pages embed, driven with AppTest over a real store: good input persists and is audited,
each bad input is refused with its message under its field and writes nothing, a viewer sees no form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from streamlit.testing.v1 import AppTest

from gendan import auth, records
from gendan.records import NotAllowed
from test_records_support import TODAY, app_counts, build_factory, clone, reader


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_factory(tmp_path_factory.mktemp("factory"))


@pytest.fixture
def factory(template, tmp_path, monkeypatch):
    """The seeded factory, served to the dashboard code through GENDAN_DB."""
    store = clone(template, tmp_path)
    monkeypatch.setenv("GENDAN_DB", str(store.path))
    return store


def form_app(form: str, arguments: tuple, user: str | None, language: str) -> None:
    """The AppTest script: a signed-in user (session state, as sign-in leaves it) and one form function."""
    import streamlit as st

    from dashboard import forms

    if user is not None:
        st.session_state["gendan_user"] = user
    st.session_state["lang"] = language
    getattr(forms, form)(*arguments)


def run_form(form: str, *arguments, user: str | None = "editor", language: str = "en") -> AppTest:
    app = AppTest.from_function(form_app, args=(form, arguments, user, language), default_timeout=30)
    return app.run()


def errors_under(app: AppTest, key: str) -> list[str]:
    """The error messages drawn right under the widget `key` in its form."""
    children = list(app.get("form")[0].children.values())
    start = next(index for index, child in enumerate(children) if getattr(child, "key", None) == key) + 1
    messages = []
    for child in children[start:]:
        if type(child).__name__ != "Error":
            break
        messages.append(child.value)
    return messages


def form_errors(app: AppTest) -> list[str]:
    """The error messages drawn just above the save button (about the record, not one field)."""
    children = list(app.get("form")[0].children.values())
    save = next(index for index, child in enumerate(children) if type(child).__name__ == "Button")
    messages = []
    for child in reversed(children[:save]):
        if type(child).__name__ != "Error":
            break
        messages.insert(0, child.value)
    return messages


# --- receipt -------------------------------------------------------------------------------


def test_receipt_form_saves_clears_and_is_audited(factory):
    app = run_form("receipt_form", "PO-1/1")
    app.number_input(key="receipt.PO-1/1.received_qty").set_value(300)
    app.number_input(key="receipt.PO-1/1.rejected_qty").set_value(20)
    app.button(key="receipt.PO-1/1.save").click().run()

    assert not app.exception
    assert [message.value for message in app.success] == ["receipt #1 saved: +280 on PO line PO-1/1"]
    assert app.number_input(key="receipt.PO-1/1.received_qty").value is None  # cleared for the next receipt
    con = reader(factory)
    assert con.execute("select received_qty, rejected_qty, receipt_date, entered_by from app.po_receipts").fetchall() == [
        (Decimal("300"), Decimal("20"), TODAY, "editor")
    ]
    assert set(records.record_history(con, "po_line", "PO-1/1")["field"]) == {
        "po_no", "po_line", "receipt_date", "received_qty", "rejected_qty"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("received", "rejected", "date", "field", "message"),
    [
        (None, 0, TODAY, "received_qty", "required"),
        (-5, 0, TODAY, "received_qty", "must be more than 0"),
        (10, 11, TODAY, "rejected_qty", "cannot be more than the received qty"),
        (10, 0, TODAY + dt.timedelta(days=1), "receipt_date", "cannot be after today"),
        (10, 0, None, "receipt_date", "required"),
    ],
)
def test_receipt_form_shows_each_problem_under_its_field_and_writes_nothing(factory, received, rejected, date, field, message):
    before = app_counts(factory)
    app = run_form("receipt_form", "PO-1/1")
    app.number_input(key="receipt.PO-1/1.received_qty").set_value(received)
    app.number_input(key="receipt.PO-1/1.rejected_qty").set_value(rejected)
    app.date_input(key="receipt.PO-1/1.receipt_date").set_value(date)
    app.button(key="receipt.PO-1/1.save").click().run()

    assert errors_under(app, f"receipt.PO-1/1.{field}") == [message]
    assert not app.success
    assert app.number_input(key="receipt.PO-1/1.received_qty").value == received  # kept, to be corrected
    assert app_counts(factory) == before


def test_receipt_form_for_a_po_line_that_does_not_exist(factory):
    app = run_form("receipt_form", "PO-1/7", language="zh")
    app.number_input(key="receipt.PO-1/7.received_qty").set_value(5)
    app.button(key="receipt.PO-1/7.save").click().run()
    assert form_errors(app) == ["采购行 PO-1/7 不存在"]
    assert app_counts(factory)["po_receipts"] == 0


# --- viewers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "arguments"),
    [
        ("receipt_form", ("PO-1/1",)),
        ("shipment_form", ("SO-1/1",)),
        ("payment_form", ("INV-1",)),
        ("order_line_form", ("SO-1/1",)),
        ("production_report_form", ()),
        ("follow_up_form", ("customer", "C1")),
        ("mark_done_button", (1,)),
    ],
)
def test_a_viewer_sees_no_form_and_cannot_save_by_calling_the_service(factory, form, arguments):
    records.add_note(factory, "editor", {"subject_kind": "customer", "subject_ref": "C1", "note": "x"})
    app = run_form(form, *arguments, user="viewer")
    assert not app.exception
    assert app.get("form") == [] and app.get("button") == [] and app.get("number_input") == []
    with pytest.raises(NotAllowed):
        records.add_note(factory, "viewer", {"subject_kind": "customer", "subject_ref": "C1", "note": "bypass"})


def test_nobody_signed_in_sees_no_form(factory):
    app = run_form("receipt_form", "PO-1/1", user=None)
    assert app.get("form") == []


def test_a_user_removed_while_the_form_is_open_cannot_save(factory):
    app = run_form("receipt_form", "PO-1/1")
    app.number_input(key="receipt.PO-1/1.received_qty").set_value(5)
    auth.remove_user(factory, "admin", {"username": "editor"})
    app.button(key="receipt.PO-1/1.save").click().run()
    assert app_counts(factory)["po_receipts"] == 0
    assert app.get("form") == []


# --- shipment, payment, production report, note ----------------------------------------------


def test_shipment_form(factory):
    app = run_form("shipment_form", "SO-1/2")
    prefix = "shipment.SO-1/2"
    app.text_input(key=f"{prefix}.shipment_no").input("SH-7")
    app.number_input(key=f"{prefix}.shipped_qty").set_value(120)
    app.text_input(key=f"{prefix}.invoice_no").input("")
    app.text_input(key=f"{prefix}.currency").input("dollars")
    app.button(key=f"{prefix}.save").click().run()
    assert errors_under(app, f"{prefix}.invoice_no") == ["required"]
    assert errors_under(app, f"{prefix}.currency") == ["must be a 3-letter currency code, e.g. USD"]
    assert app_counts(factory)["shipments"] == 0

    app.text_input(key=f"{prefix}.invoice_no").input("INV-7")
    app.text_input(key=f"{prefix}.currency").input("usd")
    app.button(key=f"{prefix}.save").click().run()
    assert [message.value for message in app.success] == ["shipment SH-7 saved: 120 pcs of SO-1/2"]
    assert reader(factory).execute("select shipment_no, invoice_no, currency from app.shipments").fetchall() == [
        ("SH-7", "INV-7", "USD")
    ]


def test_payment_form(factory):
    app = run_form("payment_form", "INV-1")
    app.text_input(key="payment.INV-1.payment_no").input("RC-2")
    app.number_input(key="payment.INV-1.amount").set_value(0.0)
    app.button(key="payment.INV-1.save").click().run()
    assert errors_under(app, "payment.INV-1.amount") == ["must be more than 0"]
    assert app_counts(factory)["payments"] == 0

    app.number_input(key="payment.INV-1.amount").set_value(1500.25)
    app.button(key="payment.INV-1.save").click().run()
    assert [message.value for message in app.success] == ["payment RC-2 saved: 1500.25 on invoice INV-1"]
    assert reader(factory).execute("select amount from app.payments where payment_no = 'RC-2'").fetchall() == [(Decimal("1500.25"),)]


def test_payment_form_tells_who_entered_a_payment_number_already(factory):
    records.record_payment(factory, "admin", {"payment_no": "RC-1", "invoice_no": "INV-1", "payment_date": "2026-11-01", "amount": 5})
    app = run_form("payment_form", "INV-1")
    app.text_input(key="payment.INV-1.payment_no").input("RC-1")
    app.number_input(key="payment.INV-1.amount").set_value(10.0)
    app.button(key="payment.INV-1.save").click().run()
    [message] = errors_under(app, "payment.INV-1.payment_no")
    assert message.startswith("payment RC-1 was already entered by admin at ")
    assert app_counts(factory)["payments"] == 1


def test_production_report_form_for_any_order_line(factory):
    app = run_form("production_report_form", language="zh")
    prefix = "production.any"
    app.text_input(key=f"{prefix}.order_no").input("SO-1")
    app.text_input(key=f"{prefix}.workshop").input("车缝三组")
    app.selectbox(key=f"{prefix}.process").set_value("packing")
    app.number_input(key=f"{prefix}.output_qty").set_value(None)
    app.number_input(key=f"{prefix}.defect_qty").set_value(-2)
    app.button(key=f"{prefix}.save").click().run()
    assert errors_under(app, f"{prefix}.output_qty") == ["必填"]
    assert errors_under(app, f"{prefix}.defect_qty") == ["不能小于 0"]
    assert app_counts(factory)["production_daily"] == 0

    app.number_input(key=f"{prefix}.output_qty").set_value(380)
    app.number_input(key=f"{prefix}.defect_qty").set_value(4)
    app.selectbox(key=f"{prefix}.delay_reason").set_value("machine_breakdown")
    app.button(key=f"{prefix}.save").click().run()
    assert [message.value for message in app.success] == ["生产日报已保存：SO-1/1 包装 380 件"]
    assert reader(factory).execute(
        "select workshop, process, output_qty, defect_qty, delay_reason from int_production_daily"
    ).fetchall() == [("车缝三组", "packing", 380, 4, "machine_breakdown")]


def test_follow_up_form_and_mark_done_button(factory):
    app = run_form("follow_up_form", "invoice", "INV-1")
    app.text_area(key="note.invoice.INV-1.note").input("promised to pay on Friday")
    app.date_input(key="note.invoice.INV-1.next_chase_date").set_value(TODAY - dt.timedelta(days=1))
    app.button(key="note.invoice.INV-1.save").click().run()
    assert errors_under(app, "note.invoice.INV-1.next_chase_date") == ["cannot be before today"]
    app.date_input(key="note.invoice.INV-1.next_chase_date").set_value(TODAY + dt.timedelta(days=3))
    app.button(key="note.invoice.INV-1.save").click().run()
    assert [message.value for message in app.success] == ["note #1 added on invoice INV-1"]

    done = run_form("mark_done_button", 1)
    stale = run_form("mark_done_button", 1, user="admin")  # opened by someone else at the same version
    done.button(key="done.1.button").click().run()
    assert done.caption[0].value.startswith("Done by editor at ")
    stale.button(key="done.1.button").click().run()
    assert stale.error[0].value.startswith("note #1 was changed by editor at ")
    assert reader(factory).execute("select status, done_by, version from app.follow_up_notes").fetchall() == [("done", "editor", 2)]


# --- order line: optimistic concurrency in the form --------------------------------------------


def test_order_line_form_saves_only_what_changed_and_reloads_at_the_new_version(factory):
    app = run_form("order_line_form", "SO-1/1")
    app.date_input(key="order_line.SO-1/1.v0.due_date").set_value(dt.date(2026, 12, 24))
    app.button(key="order_line.SO-1/1.v0.save").click().run()
    assert errors_under(app, "order_line.SO-1/1.v0.reason") == ["a reason is required to change the due date or the status"]

    app.text_input(key="order_line.SO-1/1.v0.reason").input("fabric arrived late")
    app.button(key="order_line.SO-1/1.v0.save").click().run()
    assert [message.value for message in app.success] == ["order line SO-1/1 changed: due_date 2026-12-24"]
    assert app.date_input(key="order_line.SO-1/1.v1.due_date").value == dt.date(2026, 12, 24)
    assert app.caption[0].value == "Loaded: due 2026-12-01, normal, open."
    assert app.caption[1].value.startswith("Changed in the app by editor at ")
    audit = records.record_history(reader(factory), "order_line", "SO-1/1")
    assert sorted(audit["field"]) == ["due_date", "reason"]  # priority and status were left as they were


def test_two_users_editing_the_same_order_line_the_second_is_told(factory):
    first = run_form("order_line_form", "SO-1/1")
    second = run_form("order_line_form", "SO-1/1", user="admin")
    first.selectbox(key="order_line.SO-1/1.v0.priority").set_value("rush")
    first.button(key="order_line.SO-1/1.v0.save").click().run()
    second.selectbox(key="order_line.SO-1/1.v0.status").set_value("cancelled")
    second.text_input(key="order_line.SO-1/1.v0.reason").input("customer cancelled")
    second.button(key="order_line.SO-1/1.v0.save").click().run()

    [message] = form_errors(second)
    assert message.startswith("order line SO-1/1 was changed by editor at ")
    assert message.endswith("after you opened it; reload and try again")
    assert second.selectbox(key="order_line.SO-1/1.v1.priority").value == "rush"  # reloaded
    state = records.order_line_state(reader(factory), "SO-1", 1)
    assert (state.priority, state.status, state.app_version) == ("rush", "open", 1)


# --- history -------------------------------------------------------------------------------------


def test_record_history_shows_entries_and_changes_to_every_role(factory):
    records.record_shipment(factory, "editor", {"shipment_no": "SH-5", "order_no": "SO-1", "line_no": 1,
                                                "ship_date": "2026-11-02", "shipped_qty": 10, "invoice_no": "INV-5"})  # fmt: skip
    app = run_form("record_history", "order_line", "SO-1/1", user="viewer")
    entered, history = (frame.value for frame in app.dataframe)
    assert entered["Document"].tolist() == ["SH-5"]
    assert entered["Status"].tolist() == ["counted"]
    assert set(history["Field"]) >= {"shipment_no", "shipped_qty", "invoice_no"}
    assert set(history["Changed by"]) == {"editor"}
