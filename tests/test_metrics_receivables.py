"""Receivables (metrics.md "Receivables"): invoices at A, outstanding, unpaid invoices,
ageing buckets, base-currency totals and the missing-rate warning.

A = 2026-03-10; customer C01 pays in 30 days unless a test says otherwise.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import d
from test_metrics_support import A, customer, order_line, payment, reader, seed, shipment
from warehouse import metrics


def invoice_fixture(store) -> None:
    seed(
        store,
        customers=[customer()],
        orders=[
            order_line("SO-1", 1, quantity=100),
            order_line("SO-1", 2, quantity=10, unit_price=Decimal("2.5")),
        ],
        shipments=[
            shipment("SH1", "SO-1", d("2026-02-01"), 40, invoice_no="INV-1", amount=Decimal("100")),
            # no amount: 10 x 2.5 = 25.00
            shipment("SH2", "SO-1", d("2026-02-05"), 10, invoice_no="INV-1", line_no=2),
            # shipped after A: not part of the invoice at A
            shipment("SH3", "SO-1", d("2026-03-12"), 60, invoice_no="INV-1", amount=Decimal("50")),
        ],
        payments=[
            payment("P1", "INV-1", d("2026-02-20"), "25"),
            payment("P2", "INV-1", d("2026-03-11"), "100"),  # after A: ignored
        ],
    )


def test_invoice_spanning_several_shipment_rows_and_dates(store):
    invoice_fixture(store)
    rows = metrics.unpaid_invoices(reader(store), as_of=A).to_dicts()
    # at A: rows SH1 + SH2; invoice date = latest ship date 02-05; amount 100 + 25 = 125;
    # due 02-05 + 30 = 03-07, 3 days past due; paid 25 by A -> 100 outstanding
    assert [
        {key: row[key] for key in ("invoice_no", "customer_code", "currency", "invoice_date", "due_date", "amount",
                                   "paid_amount", "outstanding", "days_past_due", "bucket")}
        for row in rows
    ] == [
        {
            "invoice_no": "INV-1", "customer_code": "C01", "currency": "USD", "invoice_date": d("2026-02-05"),
            "due_date": d("2026-03-07"), "amount": Decimal("125.00"), "paid_amount": Decimal("25.00"),
            "outstanding": Decimal("100.00"), "days_past_due": 3, "bucket": "1-30",
        }
    ]


def test_invoice_grows_with_later_shipments_and_payments(store):
    invoice_fixture(store)
    row = metrics.unpaid_invoices(reader(store), as_of=d("2026-03-12")).row(0, named=True)
    # at 03-12: SH3 joins (invoice date 03-12, amount 175, due 04-11); paid 25 + 100 -> 50
    assert (row["invoice_date"], row["amount"], row["outstanding"], row["days_past_due"], row["bucket"]) == (
        d("2026-03-12"), Decimal("175.00"), Decimal("50.00"), -30, "not_due"
    )


def test_no_invoice_before_its_first_shipment(store):
    invoice_fixture(store)
    assert metrics.invoice_status(reader(store), as_of=d("2026-01-31")).is_empty()


@pytest.mark.parametrize(
    "amount,paid,unpaid,shown",
    [
        ("50.0100", "50", False, None),  # exactly 0.01 outstanding: not > 0.01
        ("50.0101", "50", True, "0.01"),  # 0.0101 > 0.01, shown rounded
        ("50.0100001", "50", False, None),  # money is stored with 4 decimals: 50.0100 -> 0.01
        ("50.0150", "50", True, "0.02"),  # 0.015 rounds half-up
        ("50", "50", False, None),  # paid in full
        ("50", "60", False, None),  # overpaid
        ("50", None, True, "50.00"),  # nothing paid
    ],
)
def test_unpaid_threshold_is_decided_in_decimals(store, amount, paid, unpaid, shown):
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1")],
        shipments=[shipment("SH1", "SO-1", d("2026-03-01"), 100, invoice_no="INV-1", amount=Decimal(amount))],
        payments=[payment("P1", "INV-1", d("2026-03-02"), paid)] if paid else [],
    )
    rows = metrics.unpaid_invoices(reader(store), as_of=A)
    assert rows["outstanding"].to_list() == ([Decimal(shown)] if unpaid else [])


@pytest.mark.parametrize(
    "days_past_due,bucket",
    [(-5, "not_due"), (0, "not_due"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
     (61, "61-90"), (90, "61-90"), (91, "90+"), (400, "90+")],
)
def test_ageing_bucket_boundaries(store, days_past_due, bucket):
    # due = ship date + 30, so shipping on A - 30 - n makes the invoice n days past due
    ship_date = A - dt.timedelta(days=30 + days_past_due)
    seed(
        store,
        customers=[customer()],
        orders=[order_line("SO-1", order_date=d("2024-01-01"))],
        shipments=[shipment("SH1", "SO-1", ship_date, 100, amount=Decimal("12.34"))],
    )
    con = reader(store)
    invoice = metrics.unpaid_invoices(con, as_of=A).row(0, named=True)
    ageing = dict(metrics.receivables_ageing(con, as_of=A).select("bucket", "outstanding_base").rows())
    assert (invoice["days_past_due"], invoice["bucket"]) == (days_past_due, bucket)
    assert ageing == {name: Decimal("12.34") if name == bucket else Decimal("0")
                      for name in ("not_due", "1-30", "31-60", "61-90", "90+")}


def currency_fixture(store) -> None:
    seed(
        store,
        # the base currency's own rate is 1, whatever a rates file says
        fx_rates=[{"currency": "EUR", "rate_to_base": Decimal("1.08505")},
                  {"currency": "USD", "rate_to_base": Decimal("7")}],
        customers=[customer()],
        orders=[
            order_line("U1"),
            order_line("E1", currency="EUR"),
            order_line("G1", currency="GBP"),
        ],
        shipments=[
            shipment("IU-1", "U1", d("2026-02-01"), 1, amount=Decimal("10.0050")),  # due 03-03: 7 days
            shipment("IU-2", "U1", d("2026-02-02"), 1, amount=Decimal("10.0050")),  # due 03-04: 6 days
            shipment("IU-3", "U1", d("2026-03-09"), 1, amount=Decimal("5")),  # not due
            shipment("IE-1", "E1", d("2026-01-01"), 1, amount=Decimal("100")),  # due 01-31: 38 days
            shipment("IG-1", "G1", d("2026-03-05"), 1, amount=Decimal("70")),  # GBP has no rate
        ],
    )


def test_ageing_totals_in_base_currency(store):
    currency_fixture(store)
    con = reader(store)
    ageing = dict(metrics.receivables_ageing(con, as_of=A).select("bucket", "outstanding_base").rows())
    assert ageing == {
        "not_due": Decimal("5.00"),  # IU-3; IG-1 (GBP, no rate) left out
        "1-30": Decimal("20.01"),  # 10.0050 + 10.0050 = 20.0100 -> 20.01 (rounding each first would give 20.02)
        "31-60": Decimal("108.51"),  # 100 EUR x 1.08505 = 108.505 -> 108.51 half-up
        "61-90": Decimal("0"),
        "90+": Decimal("0"),
    }
    unpaid = metrics.unpaid_invoices(con, as_of=A).select("invoice_no", "currency", "outstanding",
                                                          "outstanding_base").rows()
    # the list keeps every invoice in its own currency; GBP has no base value
    assert unpaid == [
        ("INV-IE-1", "EUR", Decimal("100.00"), Decimal("108.51")),
        ("INV-IG-1", "GBP", Decimal("70.00"), None),
        ("INV-IU-1", "USD", Decimal("10.01"), Decimal("10.01")),
        ("INV-IU-2", "USD", Decimal("10.01"), Decimal("10.01")),
        ("INV-IU-3", "USD", Decimal("5.00"), Decimal("5.00")),
    ]
    assert metrics.metric_warnings(con, as_of=A)["warning"].to_list() == [
        "no exchange rate for GBP: its amounts are left out of base-currency totals "
        "(receivables ageing, customer revenue)"
    ]


def test_missing_rate_warning_follows_the_filters(store):
    currency_fixture(store)
    seed(store, customers=[customer("C02")], orders=[order_line("SO-2", customer_code="C02")],
         shipments=[shipment("S2", "SO-2", d("2026-03-01"), 1)])
    warnings = metrics.metric_warnings(reader(store), as_of=A, customer="C02")["warning"].to_list()
    # C02 owes nothing in GBP, but C01's GBP revenue still ranks every customer's ABC class
    assert warnings == [
        "no exchange rate for GBP: its amounts are left out of base-currency totals (customer revenue)"
    ]


def test_shipments_of_cancelled_lines_are_still_owed_and_defaults_apply(store):
    seed(
        store,
        customers=[customer("C02", payment_terms_days=60)],
        orders=[order_line("SO-1", customer_code="C02", status="cancelled", currency="EUR",
                           unit_price=Decimal("3.3333"))],
        shipments=[shipment("SH1", "SO-1", d("2026-01-02"), 3, invoice_no="INV-9")],
    )
    row = metrics.unpaid_invoices(reader(store), as_of=A).row(0, named=True)
    # amount 3 x 3.3333 = 9.9999 -> 10.00; currency from the line; due 01-02 + 60 = 03-03, 7 days
    assert (row["currency"], row["amount"], row["due_date"], row["days_past_due"]) == (
        "EUR", Decimal("10.00"), d("2026-03-03"), 7
    )


def test_invoices_follow_their_first_row_for_filters_and_mixed_currencies_warn(store):
    seed(
        store,
        customers=[customer("C01", merchandiser="Wang")],
        orders=[order_line("SO-1", 1), order_line("SO-1", 2, merchandiser="Li", currency="EUR")],
        shipments=[
            shipment("SH1", "SO-1", d("2026-03-01"), 1, invoice_no="INV-1"),
            shipment("SH2", "SO-1", d("2026-03-01"), 1, invoice_no="INV-1", line_no=2),
        ],
    )
    con = reader(store)
    assert metrics.unpaid_invoices(con, as_of=A, merchandiser="Wang")["invoice_no"].to_list() == ["INV-1"]
    assert metrics.unpaid_invoices(con, as_of=A, merchandiser="Li").is_empty()
    assert metrics.metric_warnings(con, as_of=A)["warning"].to_list() == [
        "invoice INV-1 has rows in several currencies; its amount adds them up as USD",
        "no exchange rate for EUR: its amounts are left out of base-currency totals (customer revenue)",
    ]


def test_rows_naming_no_currency_are_in_the_base_currency_when_an_invoice_is_checked_for_mixing(store):
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line("SO-1", 1), order_line("SO-1", 2, currency="EUR")],
        shipments=[
            shipment("SH1", "SO-1", d("2026-03-01"), 1, invoice_no="INV-1"),
            shipment("SH2", "SO-1", d("2026-03-01"), 1, invoice_no="INV-1", line_no=2),
        ],
    )
    # line 1 names no currency: USD with the default base, EUR with base EUR (then one currency)
    warnings = metrics.metric_warnings(reader(store, base_currency="EUR"), as_of=A)["warning"].to_list()
    assert not [warning for warning in warnings if "several currencies" in warning]
    assert metrics.unpaid_invoices(reader(store, base_currency="EUR"), as_of=A)["currency"].to_list() == ["EUR"]
