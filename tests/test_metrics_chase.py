"""The chase list (metrics.md "Chase list"): what is on it, the reasons, the urgency order,
follow-up notes from the app file, and filters.

A = 2026-03-10. Urgency = days past the date that matters (negative = days to go),
+10000 for rush order lines; ties: order_line, po_line, invoice, follow_up, then ref.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import d
from test_metrics_support import A, add_note, customer, order_line, po_line, reader, report, seed, shipment
from warehouse import metrics


@pytest.fixture
def chase_store(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang"), customer("C02", merchandiser="Li")],
        orders=[
            # 2 days late, rush
            order_line("LATE-RUSH", due_date=d("2026-03-08"), priority="rush"),
            # 18 days late
            order_line("LATE-N", quantity=340, due_date=d("2026-02-20")),
            # rush, behind: 70 packed in the window, 930 to go -> A + ceil(930 x 7 / 70) = A + 93 = 06-11
            order_line("RISK-RUSH", quantity=1000, due_date=d("2026-03-20"), priority="rush"),
            # not started, due A+10: at risk and within 14 days
            order_line("RISK-14", customer_code="C02", due_date=d("2026-03-20")),
            # stalled but due 03-30 > A+14: at risk, yet not on today's chase list
            order_line("RISK-FAR", due_date=d("2026-03-30")),
            # shipped complete; its invoice is 18 days past due
            order_line("INV-LINE", customer_code="C02", due_date=d("2026-01-31")),
            order_line("INV-LINE-2", customer_code="C02", due_date=d("2026-03-31")),
        ],
        production_daily=[
            report(d("2026-03-09"), "RISK-RUSH", 70),
            report(d("2026-03-01"), "RISK-FAR", 50),
        ],
        shipments=[
            # due 01-21 + 30 = 02-20: 18 days past due
            shipment("S1", "INV-LINE", d("2026-01-21"), 100, invoice_no="INV-PAST", amount=Decimal("1234.5")),
            # due 03-31: not past due
            shipment("S2", "INV-LINE-2", d("2026-03-01"), 100, invoice_no="INV-NOTDUE"),
        ],
        purchase_orders=[
            po_line("PO-OVER", d("2026-03-05"), order_no="LATE-N"),  # 5 days overdue
            po_line("PO-SOON", d("2026-03-12"), received_qty=Decimal("39.5")),  # due in 2 days, 60.5 open
        ],
    )
    notes = {
        "late": add_note(store, "order_line", "LATE-N/1", "call the printer", d("2026-03-07")),
        "customer": add_note(store, "customer", "C02", "ask for the forecast", A),
    }
    add_note(store, "order_line", "LATE-N/1", "not yet", d("2026-03-11"))  # chase date after A
    add_note(store, "invoice", "INV-PAST", "already done", d("2026-03-01"), status="done")
    add_note(store, "customer", "C01", "no date", None)
    return store, notes


def test_chase_list_order_reasons_and_codes(chase_store):
    store, notes = chase_store
    rows = metrics.chase_today(reader(store), as_of=A)
    assert rows.select("chase_rank", "kind", "ref", "reason_code", "urgency", "reason").rows() == [
        (1, "order_line", "LATE-RUSH/1", "late", 10002, "2 days late, 100 pcs still to ship (rush)"),
        (2, "order_line", "RISK-RUSH/1", "at_risk_behind", 9990,
         "due in 10 days, projected to finish 2026-06-11 (83 days after the due date), "
         "930 pcs still to pack (rush)"),
        # 18 and 18: order lines before invoices
        (3, "order_line", "LATE-N/1", "late", 18, "18 days late, 340 pcs still to ship"),
        (4, "invoice", "INV-PAST", "invoice_past_due", 18, "18 days past due, USD 1,234.50 outstanding"),
        (5, "po_line", "PO-OVER/1", "po_overdue", 5,
         "5 days overdue from Fabric Co, 100 m of Cotton twill still to receive"),
        (6, "follow_up", str(notes["late"]), "follow_up", 3,
         "follow up on order line LATE-N/1: call the printer (due 3 days ago)"),
        (7, "follow_up", str(notes["customer"]), "follow_up", 0, "follow up on customer C02: ask for the forecast"),
        (8, "po_line", "PO-SOON/1", "po_due_soon", -2,
         "due in 2 days from Fabric Co, 60.5 m of Cotton twill still to receive"),
        (9, "order_line", "RISK-14/1", "at_risk_not_started", -10,
         "due in 10 days, production not started, 100 pcs to make"),
    ]


def test_chase_rows_carry_what_the_ui_needs(chase_store):
    store, notes = chase_store
    rows = {row["ref"]: row for row in metrics.chase_today(reader(store), as_of=A).to_dicts()}
    invoice, note = rows["INV-PAST"], rows[str(notes["late"])]
    assert (invoice["customer_code"], invoice["merchandiser"], invoice["due_date"], invoice["amount"],
            invoice["currency"]) == ("C02", "Li", d("2026-02-20"), Decimal("1234.50"), "USD")
    assert (note["subject_kind"], note["subject_ref"], note["note"], note["customer_code"], note["due_date"]) == (
        "order_line", "LATE-N/1", "call the printer", "C01", d("2026-03-07")
    )
    assert rows["PO-SOON/1"]["quantity"] == Decimal("60.5")
    assert rows["RISK-RUSH/1"]["projected_finish"] == d("2026-06-11")


@pytest.mark.parametrize(
    "filters,refs",
    [
        ({"customer": "C02"}, ["INV-PAST", "note:customer", "RISK-14/1"]),
        ({"merchandiser": "Li"}, ["INV-PAST", "note:customer", "RISK-14/1"]),
        # the PO follows its sales order LATE-N; PO-SOON has none, so a filter leaves it out
        ({"customer": "C01"}, ["LATE-RUSH/1", "RISK-RUSH/1", "LATE-N/1", "PO-OVER/1", "note:late"]),
    ],
)
def test_chase_list_filters(chase_store, filters, refs):
    store, notes = chase_store
    expected = [str(notes[ref.split(":")[1]]) if ref.startswith("note:") else ref for ref in refs]
    assert metrics.chase_today(reader(store), as_of=A, **filters)["ref"].to_list() == expected


def test_single_day_wording(store):
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1", quantity=1200, due_date=d("2026-03-09")), order_line("SO-2", due_date=A)],
        purchase_orders=[po_line("PO-1", A, unit=None)],
    )
    reasons = metrics.chase_today(reader(store), as_of=A)["reason"].to_list()
    assert reasons == [
        "1 day late, 1,200 pcs still to ship",
        # both urgency 0: the order line first
        "due today, production not started, 100 pcs to make",
        "due today from Fabric Co, 100 of Cotton twill still to receive",
    ]


def test_opening_a_chase_row_reads_its_record(chase_store):
    store, _ = chase_store
    con = reader(store)
    line = metrics.chase_record(con, "order_line", "LATE-N/1", as_of=A)
    # 340 ordered, nothing shipped, due 02-20: 18 days late
    assert (line["ref"], line["quantity"], line["shipped_qty"], line["days_past_due"], line["is_late"]) == (
        "LATE-N/1", 340, 0, 18, True
    )
    po = metrics.chase_record(con, "po_line", "PO-SOON/1", as_of=A)
    assert (po["ref"], po["open_qty"], po["is_due_soon"]) == ("PO-SOON/1", Decimal("60.5"), True)
    invoice = metrics.chase_record(con, "invoice", "INV-PAST", as_of=A)
    assert (invoice["invoice_no"], invoice["customer_code"], invoice["amount"]) == ("INV-PAST", "C02", 1234.5)


@pytest.mark.parametrize(
    ("kind", "ref", "filters"),
    [
        ("order_line", "LATE-N/2", {}),  # no such line
        ("order_line", "LATE-N", {}),  # no line number
        ("order_line", "LATE-N/x", {}),
        ("po_line", "PO-OVER/1", {"customer": "C02"}),  # its sales order is C01's
        ("invoice", "INV-PAST", {"merchandiser": "Wang"}),  # Li's (C02)
        ("invoice", "INV-NONE", {}),
        ("order_line", "LATE-N/1", {"as_of": d("2026-01-01")}),  # ordered 01-05, after A
    ],
)
def test_a_chase_record_not_there_is_none(chase_store, kind, ref, filters):
    store, _ = chase_store
    assert metrics.chase_record(reader(store), kind, ref, **{"as_of": A, **filters}) is None
