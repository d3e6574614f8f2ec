"""`kpi_report`: the one JSON object of metrics.md "Command-line output", as the CLI, the
dashboard and the exports get it.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError

from conftest import DEMO_AS_OF, d
from gendan.settings import Settings
from test_metrics_support import A, add_note, customer, kpi_fixture, order_line, payment, reader, seed, shipment
from warehouse import metrics

# kpi_fixture as of A = 2026-03-10, worked out by hand:
# - SO-1/1: 1000 pcs due 02-27, nothing shipped, rush: 11 days late.
# - SO-1/2: 500 pcs due 03-15, 40 packed on 03-08 (the only packing in [03-04, 03-10]):
#   remaining 460, A + ceil(460 x 7 / 40) = A + ceil(80.5) = A + 81 = 05-30 > 03-15: at risk.
# - SO-2/1: 1200 pcs due 03-05, shipped in full 03-04: on time. OTD = 1 / 2 due lines.
# - PO-1/1: promised 03-01, 200 of 1200.5 received: 9 days overdue, 1000.5 open;
#   Fabric Co: 1 due line, 0 on time.
# - INV-1: 1200 x 4 = 4800 EUR (defaults), shipped 03-04, C02 pays in 60 days: due 05-03,
#   -54 days, not due; in base currency 4800 x 1.1 = 5280.00.
# - C01: SO-1 = 1000 x 2.5 + 500 x 3 = 4000.00; C02: 1200 x 4 EUR x 1.1 = 5280.00.
#   C02 ranks first (before 0: A), C01 next (before 5280 / 9280 = 0.57: A).
# - Production [03-04, 03-10]: 40 / 100 planned = 0.4; 2 defects / 42 = 0.047619 -> 0.0476.
# - Chase: SO-1/1 (10000 + 11), PO-1/1 (9), the note on C02 (chase date 03-08: 2),
#   SO-1/2 (due in 5 days: -5).
EXPECTED = {
    "as_of": "2026-03-10",
    "base_currency": "USD",
    "warnings": [],
    "on_time_delivery": {"due_lines": 2, "on_time_lines": 1, "rate": 0.5},
    "late_order_lines": [
        {"order_no": "SO-1", "line_no": 1, "customer_code": "C01", "due_date": "2026-02-27", "days_late": 11,
         "open_qty": 1000},
    ],
    "at_risk_order_lines": [
        {"order_no": "SO-1", "line_no": 2, "due_date": "2026-03-15", "projected_finish": "2026-05-30",
         "remaining_qty": 460},
    ],
    "overdue_po_lines": [
        {"po_no": "PO-1", "po_line": 1, "supplier": "Fabric Co", "promised_date": "2026-03-01", "days_overdue": 9,
         "open_qty": 1000.5},
    ],
    "supplier_otd": [{"supplier": "Fabric Co", "due_lines": 1, "on_time_lines": 0, "rate": 0.0}],
    "unpaid_invoices": [
        {"invoice_no": "INV-1", "customer_code": "C02", "currency": "EUR", "due_date": "2026-05-03",
         "outstanding": 4800.0, "days_past_due": -54, "bucket": "not_due"},
    ],
    "receivables_ageing": {"not_due": 5280.0, "1-30": 0.0, "31-60": 0.0, "61-90": 0.0, "90+": 0.0},
    "customers": [
        {"customer_code": "C01", "orders": 1, "last_order_date": "2026-01-05", "median_interval_days": None,
         "expected_next_order_date": None, "quiet": False, "revenue_12m_base": 4000.0, "abc": "A"},
        {"customer_code": "C02", "orders": 1, "last_order_date": "2026-02-01", "median_interval_days": None,
         "expected_next_order_date": None, "quiet": False, "revenue_12m_base": 5280.0, "abc": "A"},
    ],
    "production": {"plan_attainment": 0.4, "defect_rate": 0.0476},
    "chase_today": [
        {"kind": "order_line", "ref": "SO-1/1", "reason_code": "late",
         "reason": "11 days late, 1,000 pcs still to ship (rush)"},
        {"kind": "po_line", "ref": "PO-1/1", "reason_code": "po_overdue",
         "reason": "9 days overdue from Fabric Co, 1,000.5 m of Cotton twill still to receive"},
        {"kind": "follow_up", "ref": "1", "reason_code": "follow_up",
         "reason": "follow up on customer C02: ask for the forecast (due 2 days ago)"},
        {"kind": "order_line", "ref": "SO-1/2", "reason_code": "at_risk_behind",
         "reason": "due in 5 days, projected to finish 2026-05-30 (76 days after the due date), "
                   "460 pcs still to pack"},
    ],
}


def test_report_is_the_documented_json(store):
    kpi_fixture(store)
    report = metrics.kpi_report(reader(store), A)
    assert report == EXPECTED
    # every value is plain JSON, in the types the spec asks for
    assert json.loads(json.dumps(report)) == report
    assert isinstance(report["receivables_ageing"]["not_due"], float)
    assert isinstance(report["on_time_delivery"]["rate"], float)


def test_report_on_an_empty_store(store):
    report = metrics.kpi_report(reader(store), A)
    assert report["on_time_delivery"] == {"due_lines": 0, "on_time_lines": 0, "rate": None}
    assert report["production"] == {"plan_attainment": None, "defect_rate": None}
    assert report["receivables_ageing"] == {"not_due": 0.0, "1-30": 0.0, "31-60": 0.0, "61-90": 0.0, "90+": 0.0}
    assert all(report[key] == [] for key in ("warnings", "late_order_lines", "at_risk_order_lines",
                                             "overdue_po_lines", "supplier_otd", "unpaid_invoices", "customers",
                                             "chase_today"))


def test_settings_override_the_connection_for_this_report_only(store):
    kpi_fixture(store)
    con = reader(store)
    report = metrics.kpi_report(con, A, settings=Settings(db=store.path, base_currency="EUR"))
    # base EUR: the EUR invoice and line count 1 : 1, and C01's lines, which name no
    # currency, are in the base currency, now EUR
    assert report["base_currency"] == "EUR"
    assert report["receivables_ageing"]["not_due"] == 4800.0
    assert [(row["customer_code"], row["revenue_12m_base"]) for row in report["customers"]] == [
        ("C01", 4000.0), ("C02", 4800.0)
    ]
    assert con.execute("select getvariable('base_currency')").fetchall() == [("USD",)]


@pytest.mark.parametrize("filters", [{"customer": "C01"}, {"merchandiser": "Li"}, {"customer": "C02"}])
def test_report_lists_equal_the_metric_functions_with_the_same_filters(store, filters):
    kpi_fixture(store)
    con = reader(store)
    report = metrics.kpi_report(con, A, date_from=d("2026-03-01"), date_to=d("2026-03-31"), **filters)
    for key, function in (
        ("late_order_lines", metrics.late_order_lines),
        ("at_risk_order_lines", metrics.at_risk_order_lines),
        ("overdue_po_lines", metrics.overdue_po_lines),
        ("unpaid_invoices", metrics.unpaid_invoices),
        ("customers", metrics.customer_activity),
        ("chase_today", metrics.chase_today),
    ):
        frame = function(con, as_of=A, **filters)
        natural_key = frame.columns[0] if key != "chase_today" else "ref"
        assert [row[natural_key] for row in report[key]] == frame[natural_key].to_list(), key
    otd = metrics.on_time_delivery(con, as_of=A, date_from=d("2026-03-01"), date_to=d("2026-03-31"), **filters)
    assert report["on_time_delivery"]["due_lines"] == otd["due_lines"][0]


def test_a_note_on_a_paid_invoice_is_in_both_chase_lists_under_a_filter(store):
    seed(
        store,
        customers=[customer("C01"), customer("C02")],
        orders=[order_line("SO-1", quantity=10)],  # C01's
        shipments=[shipment("SH1", "SO-1", d("2026-03-01"), 10, invoice_no="INV-1")],
        payments=[payment("P1", "INV-1", d("2026-03-02"), "10")],  # paid in full
    )
    note_id = add_note(store, "invoice", "INV-1", "thank them for paying early", A)
    con = reader(store)
    for customer_code, refs in (("C01", [str(note_id)]), ("C02", [])):
        report = metrics.kpi_report(con, A, customer=customer_code)
        assert [row["ref"] for row in report["chase_today"]] == refs
        assert metrics.chase_today(con, as_of=A, customer=customer_code)["ref"].to_list() == refs


def test_report_leaves_the_connection_as_it_found_it(store):
    kpi_fixture(store)
    con = reader(store)
    metrics.kpi_report(con, A)
    # the statuses it computes once per report are temp tables, dropped at the end
    assert con.execute("select count(*) from duckdb_tables() where temporary").fetchall() == [(0,)]


def test_report_refuses_a_reversed_range(store):
    with pytest.raises(ValidationError):
        metrics.kpi_report(reader(store), A, date_from=d("2026-03-05"), date_to=d("2026-03-01"))


def test_dashboard_helpers(store):
    con = reader(store)
    assert metrics.has_order_data(con) is False
    kpi_fixture(store)
    con = reader(store)
    assert metrics.has_order_data(con) is True
    assert metrics.customer_codes(con) == ["C01", "C02"]
    assert metrics.merchandiser_names(con) == ["Li", "Wang"]


def test_headlines_are_the_counts_and_totals_of_the_report(store):
    kpi_fixture(store)
    # from the hand-worked report above: 1 of 2 due lines on time, SO-1/1 late, SO-1/2 at
    # risk, PO-1/1 overdue and none due soon, INV-1 not due (5280.00 USD, nothing past due)
    assert metrics.kpi_headlines(reader(store), A) == {
        "base_currency": "USD",
        "due_lines": 2,
        "on_time_lines": 1,
        "otd_rate": 0.5,
        "late_lines": 1,
        "at_risk_lines": 1,
        "overdue_po_lines": 1,
        "po_lines_due_soon": 0,
        "unpaid_receivables_base": 5280.0,
        "past_due_receivables_base": 0.0,
        "plan_attainment": 0.4,
        "defect_rate": 0.0476,
    }


@pytest.mark.parametrize(
    "filters",
    [{}, {"customer": "C01"}, {"merchandiser": "Li"}, {"date_from": d("2026-03-01"), "date_to": d("2026-03-31")}],
)
def test_headlines_agree_with_the_report_for_the_same_filters(store, filters):
    kpi_fixture(store)
    con = reader(store)
    assert metrics.kpi_headlines(con, A, **filters) == _counted(metrics.kpi_report(con, A, **filters))


@pytest.mark.parametrize("days_back", [0, 45])
def test_headlines_agree_with_the_report_on_the_demo_data(demo_store, days_back):
    as_of = DEMO_AS_OF - dt.timedelta(days=days_back)  # 45 days back: many rows dated after A
    con = reader(demo_store)
    assert metrics.kpi_headlines(con, as_of) == _counted(metrics.kpi_report(con, as_of))


def _counted(report: dict) -> dict:
    """The headline figures, counted and summed from the report's lists."""
    ageing = report["receivables_ageing"]
    return {
        "base_currency": report["base_currency"],
        "due_lines": report["on_time_delivery"]["due_lines"],
        "on_time_lines": report["on_time_delivery"]["on_time_lines"],
        "otd_rate": report["on_time_delivery"]["rate"],
        "late_lines": len(report["late_order_lines"]),
        "at_risk_lines": len(report["at_risk_order_lines"]),
        "overdue_po_lines": len(report["overdue_po_lines"]),
        "po_lines_due_soon": sum(1 for item in report["chase_today"] if item["reason_code"] == "po_due_soon"),
        "unpaid_receivables_base": round(sum(ageing.values()), 2),
        "past_due_receivables_base": round(sum(value for bucket, value in ageing.items() if bucket != "not_due"), 2),
        "plan_attainment": report["production"]["plan_attainment"],
        "defect_rate": report["production"]["defect_rate"],
    }


@pytest.mark.parametrize("filters", [{}, {"customer": "C003"}, {"merchandiser": "Kevin Zhou"}])
def test_review_figures_equal_each_metric_alone(demo_store, filters):
    con = demo_store.connect()
    period = {"as_of": DEMO_AS_OF, "date_from": DEMO_AS_OF - dt.timedelta(days=6), "date_to": DEMO_AS_OF, **filters}
    figures = metrics.review_figures(con, **period)
    assert figures.headlines == metrics.kpi_headlines(con, **period)
    assert figures.warnings == metrics.metric_warnings(con, **period)["warning"].to_list()
    assert figures.chase.equals(metrics.chase_today(con, **period))
    assert figures.new_late_lines.equals(metrics.new_late_lines(con, **period))
    assert figures.chase.height  # the demo has something to compare under each filter


@pytest.mark.parametrize("filters", [{}, {"customer": "C008"}, {"merchandiser": "Kevin Zhou"}])
def test_period_figures_equal_each_metric_alone(demo_store, filters):
    con = demo_store.connect()
    # four weeks: a week of one customer may hold no payment
    period = {"as_of": DEMO_AS_OF, "date_from": DEMO_AS_OF - dt.timedelta(days=27), "date_to": DEMO_AS_OF, **filters}
    figures = metrics.period_figures(con, **period)
    assert figures.flows.equals(metrics.period_flows(con, **period))
    assert figures.shipments.equals(metrics.shipments_in_period(con, **period))
    assert figures.payments.equals(metrics.payments_in_period(con, **period))
    assert figures.shipments.height > 1 and figures.payments.height > 1  # the order of the rows is compared too


def test_side_by_side_gives_each_result_in_order_with_the_readers_settings(store):
    kpi_fixture(store)
    con = reader(store, base_currency="EUR")
    calls = [("kpi_headlines", {"as_of": A}), ("late_order_lines", {"as_of": A, "customer": "C01"}),
             ("base_currency", {}), ("kpi_headlines", {"as_of": A - dt.timedelta(days=7)})]  # fmt: skip
    results = metrics.side_by_side(con, calls)
    assert results[0] == metrics.kpi_headlines(con, A)
    assert results[1].equals(metrics.late_order_lines(con, as_of=A, customer="C01"))
    assert results[2] == "EUR"  # each call's cursor has the reader's settings
    assert results[3] == metrics.kpi_headlines(con, A - dt.timedelta(days=7))


@pytest.mark.parametrize("name", ["_frame", "no_such_metric", "MetricFilters.params"])
def test_side_by_side_runs_only_metric_functions(store, name):
    kpi_fixture(store)
    with pytest.raises(ValueError, match="not a metric function"):
        metrics.side_by_side(reader(store), [(name, {})])


@pytest.mark.parametrize(
    "filters",
    [{}, {"customer": "C008"}, {"merchandiser": "Kevin Zhou"},
     {"date_from": DEMO_AS_OF - dt.timedelta(days=90), "date_to": DEMO_AS_OF}],  # fmt: skip
)
def test_customer_figures_equal_each_metric_alone(demo_store, filters):
    con = demo_store.connect()
    figures = metrics.customer_figures(con, DEMO_AS_OF, **filters)
    assert figures.activity.equals(metrics.customer_activity(con, as_of=DEMO_AS_OF, **filters))
    assert figures.monthly.equals(metrics.customer_monthly(con, as_of=DEMO_AS_OF, **filters))
    assert figures.top_styles.equals(metrics.top_styles(con, as_of=DEMO_AS_OF, **filters))
    assert figures.activity.height and figures.monthly.height and figures.top_styles.height
