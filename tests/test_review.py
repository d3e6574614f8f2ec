"""The weekly review pack: its figures are `gendan kpi` for the week, every section is in the
Excel and the HTML, in English and Chinese; `gendan review` writes it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html.parser import HTMLParser

import polars as pl
import pytest
from click.testing import CliRunner

from conftest import DEMO_AS_OF, d, insert_rows, kpi_json
from dashboard.review_pack import review_html, review_xlsx
from gendan.cli import main
from test_metrics_support import reader
from warehouse import metrics
from warehouse.review import build_review, week_start

MONDAY = week_start(DEMO_AS_OF)
SUNDAY = MONDAY + dt.timedelta(days=6)
LAST_MONDAY, LAST_SUNDAY = MONDAY - dt.timedelta(days=7), MONDAY - dt.timedelta(days=1)
SHEETS_EN = ["Summary", "KPIs", "Shipments and collections", "Shipments of the week", "Collections of the week",
             "New late lines", "Chase list at week end"]  # fmt: skip
SHEETS_ZH = ["概要", "关键指标", "出货与收款", "本周出货", "本周收款", "新增逾期订单行", "周末跟进清单"]


def week_kpis(store, monday: dt.date, as_of: dt.date) -> dict:
    return kpi_json(store, as_of, "--from", monday.isoformat(), "--to", (monday + dt.timedelta(days=6)).isoformat())


def headline_numbers(report: dict) -> dict[str, float | int | None]:
    """The review's KPI rows, as `gendan kpi` gives them."""
    return {
        "On-time delivery": report["on_time_delivery"]["rate"],
        "Late order lines": len(report["late_order_lines"]),
        "At-risk lines": len(report["at_risk_order_lines"]),
        "Overdue PO lines": len(report["overdue_po_lines"]),
        "PO lines due in 3 days": sum(item["reason_code"] == "po_due_soon" for item in report["chase_today"]),
        f"Receivables past due ({report['base_currency']})": round(
            sum(value for bucket, value in report["receivables_ageing"].items() if bucket != "not_due"), 2
        ),
        "Plan attainment": report["production"]["plan_attainment"],
        "Defect rate": report["production"]["defect_rate"],
    }


@pytest.fixture(scope="module")
def demo_review(demo_store):
    return build_review(demo_store.connect(), DEMO_AS_OF, DEMO_AS_OF)


@pytest.fixture(scope="module")
def demo_kpis(demo_store):
    return week_kpis(demo_store, MONDAY, DEMO_AS_OF), week_kpis(demo_store, LAST_MONDAY, LAST_SUNDAY)


def test_running_week_is_as_of_the_as_of_date(demo_review):
    assert (demo_review.week_start, demo_review.as_of, demo_review.previous_as_of) == (MONDAY, DEMO_AS_OF, LAST_SUNDAY)
    assert demo_review.is_running


def test_excel_pack_holds_every_section_with_gendan_kpi_numbers(demo_review, demo_kpis):
    this_week, last_week = demo_kpis
    sheets = pl.read_excel(review_xlsx(demo_review, "en"), sheet_id=0)
    assert list(sheets) == SHEETS_EN

    kpis = {row["Item"]: row for row in sheets["KPIs"].iter_rows(named=True)}
    for item, expected in headline_numbers(this_week).items():
        assert kpis[item]["This week"] == expected, item
    for item, expected in headline_numbers(last_week).items():
        assert kpis[item]["Last week"] == expected, item

    new_late = sheets["New late lines"]
    late_before = {(row["order_no"], row["line_no"]) for row in last_week["late_order_lines"]}
    expected_new = [(row["order_no"], row["line_no"]) for row in this_week["late_order_lines"]
                    if (row["order_no"], row["line_no"]) not in late_before]  # fmt: skip
    assert list(zip(new_late["Order no"], new_late["Line no"], strict=True)) == expected_new
    chase = sheets["Chase list at week end"]
    assert chase["Reference"].to_list() == [item["ref"] for item in this_week["chase_today"]]
    assert chase["Reason"].to_list() == [item["reason"] for item in this_week["chase_today"]]

    shipments, collections = sheets["Shipments of the week"], sheets["Collections of the week"]
    assert shipments["Ship date"].is_between(MONDAY, DEMO_AS_OF).all()
    assert collections["Payment date"].is_between(MONDAY, DEMO_AS_OF).all()
    flows = {row["Item"]: row["This week"] for row in sheets["Shipments and collections"].iter_rows(named=True)}
    assert flows["Shipments"] == shipments["Shipment no"].n_unique() > 0
    assert flows["Shipped qty"] == shipments["Shipped qty"].sum()
    assert flows["Payments received"] == collections.height > 0
    # totals add unrounded amounts, the rows show them rounded: within half a cent a row
    for flow, rows in (("Shipment value (USD)", shipments), ("Collections (USD)", collections)):
        assert flows[flow] == pytest.approx(rows["Amount (base)"].sum(), abs=0.005 * rows.height)


class Sections(HTMLParser):
    """Each <section id>'s table as rows of cell texts (the header row first)."""

    def __init__(self, text: str):
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.current = dict(attrs)["id"]
            self.sections[self.current] = []
        elif tag == "tr":
            self.sections[self.current].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.sections[self.current][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def shown(value, item: str) -> str:
    """A KPI as the pack prints it."""
    if value is None:
        return "—"
    if item in ("On-time delivery", "Plan attainment", "Defect rate"):
        return f"{value * 100:.1f} %"
    return f"{value:,.2f}" if item.startswith("Receivables") else f"{value:,}"


def test_html_pack_holds_every_section_with_gendan_kpi_numbers(demo_review, demo_kpis):
    this_week, last_week = demo_kpis
    page = review_html(demo_review, "en")
    assert "<script" not in page and "http" not in page  # self-contained
    sections = Sections(page).sections
    assert list(sections) == ["summary", "kpis", "flows", "shipments", "collections", "new_late", "chase"]
    rows = {row[0]: row for row in sections["kpis"][1:]}
    for item in headline_numbers(this_week):
        now, before = headline_numbers(this_week)[item], headline_numbers(last_week)[item]
        assert rows[item][1:3] == [shown(now, item), shown(before, item)], item
    assert [row[2] for row in sections["chase"][1:]] == [item["ref"] for item in this_week["chase_today"]]
    assert len(sections["shipments"]) - 1 == demo_review.shipments.height


def test_chinese_pack(demo_review):
    sheets = pl.read_excel(review_xlsx(demo_review, "zh"), sheet_id=0)
    assert list(sheets) == SHEETS_ZH
    assert sheets["关键指标"].columns == ["项目", "本周", "上周", "变化"]
    assert sheets["关键指标"]["项目"][0] == "准时交货率"
    assert sheets["周末跟进清单"].columns[:4] == ["序号", "类型", "单据", "原因"]
    assert not any("_" in reason for reason in sheets["周末跟进清单"]["原因"])
    page = review_html(demo_review, "zh")
    assert '<html lang="zh-CN">' in page and "周末跟进清单" in page


# As of Sunday 2026-03-15, for the week from Monday 03-09: the day before it (B) is 03-08.
# Each line: (order_no, order_date, due_date, status, shipped (date, qty) or None), and why it is or is not new.
LATE_OR_NOT = [
    ("SO-DUE-ON-B", "2026-02-01", "2026-03-08", "open", None),  # late at A; at B not yet (due on B): new
    ("SO-DUE-BEFORE-B", "2026-02-01", "2026-03-07", "open", None),  # late at B already: not new
    ("SO-ORDERED-IN-WEEK", "2026-03-10", "2026-03-12", "open", None),  # not ordered at B: new
    ("SO-PART-SHIPPED", "2026-02-01", "2026-03-07", "open", ("2026-03-11", 40)),  # still open: late at both
    ("SO-SHIPPED-IN-WEEK", "2026-02-01", "2026-03-07", "open", ("2026-03-11", 100)),  # complete at A: not late
    ("SO-SHIPPED-AFTER-A", "2026-02-01", "2026-03-12", "open", ("2026-03-20", 100)),  # open at A: new
    ("SO-DUE-ON-A", "2026-02-01", "2026-03-15", "open", None),  # not late at A (due on A)
    ("SO-CANCELLED", "2026-02-01", "2026-03-12", "cancelled", None),  # counts nowhere
]


def late_or_not(store) -> None:
    insert_rows(store, "customers", [{"customer_code": "C1", "customer_name": "Alpine", "payment_terms_days": 30}])
    insert_rows(store, "orders", [
        {"order_no": order_no, "line_no": 1, "customer_code": "C1", "order_date": d(ordered), "style_no": "SKI-1",
         "quantity": 100, "unit_price": Decimal("10"), "due_date": d(due), "priority": "normal", "status": status}
        for order_no, ordered, due, status, _ in LATE_OR_NOT
    ])  # fmt: skip
    insert_rows(store, "shipments", [
        {"shipment_no": f"SH-{order_no}", "order_no": order_no, "line_no": 1, "ship_date": d(shipped[0]),
         "shipped_qty": shipped[1], "invoice_no": f"INV-{order_no}"}
        for order_no, _, _, _, shipped in LATE_OR_NOT if shipped
    ])  # fmt: skip


@pytest.mark.parametrize(
    ("date_from", "expected"),
    [
        (d("2026-03-09"), ["SO-DUE-ON-B", "SO-ORDERED-IN-WEEK", "SO-SHIPPED-AFTER-A"]),
        (None, ["SO-DUE-ON-B", "SO-ORDERED-IN-WEEK", "SO-SHIPPED-AFTER-A"]),  # no range: B = A - 7, the same day
        # B = 03-07: nothing was late yet (due on 03-07 at the earliest), so every line late at A is new
        (d("2026-03-08"), ["SO-DUE-BEFORE-B", "SO-DUE-ON-B", "SO-ORDERED-IN-WEEK", "SO-PART-SHIPPED",
                           "SO-SHIPPED-AFTER-A"]),  # fmt: skip
        (d("2026-03-16"), []),  # a period starting after A: nothing went late in it
    ],
)
def test_new_late_lines_are_late_at_a_but_not_the_day_before_the_period(store, date_from, expected):
    late_or_not(store)
    con = store.connect()
    new = metrics.new_late_lines(con, d("2026-03-15"), date_from=date_from, date_to=None)
    assert new["order_no"].to_list() == expected


def small_factory(store) -> None:
    """Two order lines due in the week of 2026-03-09, one shipped in EUR and paid, one late with delay reasons."""
    insert_rows(store, "customers", [{"customer_code": "C1", "customer_name": "Alpine", "payment_terms_days": 30}])
    insert_rows(store, "fx_rates", [{"currency": "EUR", "rate_to_base": Decimal("1.1")}])
    line = {"customer_code": "C1", "order_date": d("2026-02-01"), "style_no": "SKI-1", "unit_price": Decimal("10"),
            "priority": "normal", "status": "open", "quantity": 100}  # fmt: skip
    insert_rows(store, "orders", [
        {**line, "order_no": "SO-1", "line_no": 1, "due_date": d("2026-03-10"), "currency": "EUR"},
        {**line, "order_no": "SO-2", "line_no": 1, "due_date": d("2026-03-11"), "currency": "GBP"},
        {**line, "order_no": "SO-3", "line_no": 1, "due_date": d("2026-03-04")},
    ])  # fmt: skip
    insert_rows(store, "shipments", [
        {"shipment_no": "SH-1", "order_no": "SO-1", "line_no": 1, "ship_date": d("2026-03-10"), "shipped_qty": 100,
         "invoice_no": "INV-1"},
        {"shipment_no": "SH-2", "order_no": "SO-2", "line_no": 1, "ship_date": d("2026-03-12"), "shipped_qty": 40,
         "invoice_no": "INV-2"},
        {"shipment_no": "SH-0", "order_no": "SO-3", "line_no": 1, "ship_date": d("2026-03-06"), "shipped_qty": 10,
         "invoice_no": "INV-0"},
    ])  # fmt: skip
    insert_rows(store, "payments", [
        {"payment_no": "P-1", "invoice_no": "INV-1", "payment_date": d("2026-03-13"), "amount": Decimal("600.5")},
        {"payment_no": "P-0", "invoice_no": "INV-0", "payment_date": d("2026-03-08"), "amount": Decimal("100")},
    ])  # fmt: skip
    report = {"order_no": "SO-2", "line_no": 1, "workshop": "Sewing 1", "output_qty": 10, "defect_qty": 0}
    insert_rows(store, "production_daily", [
        {**report, "report_date": d("2026-03-09"), "process": "sewing", "delay_reason": "material_shortage"},
        {**report, "report_date": d("2026-03-10"), "process": "sewing", "delay_reason": "machine_breakdown"},
        {**report, "report_date": d("2026-03-11"), "process": "packing", "delay_reason": "material_shortage"},
        {**report, "report_date": d("2026-03-16"), "process": "packing", "delay_reason": "absenteeism"},
    ])  # fmt: skip


def test_flows_and_new_late_lines_of_a_small_week(store):
    small_factory(store)
    review = build_review(store.connect(), d("2026-03-12"), d("2026-03-31"))
    assert (review.week_start, review.as_of) == (d("2026-03-09"), d("2026-03-15"))
    figures = {figure.key: (figure.current, figure.previous) for figure in review.flow_figures()}
    assert figures["shipment_documents"] == (2, 1)
    assert figures["shipped_qty"] == (140, 10)
    assert figures["shipment_value"] == (1100.0, 100.0)  # 1,000 EUR x 1.1; the GBP shipment has no rate
    assert figures["payment_documents"] == (1, 1)
    assert figures["collections"] == (660.55, 100.0)
    assert review.unrated_currencies() == ["GBP"]
    # SO-3 was late already at 03-08; SO-2 went late this week; SO-1 shipped on time
    assert review.new_late_lines["ref"].to_list() == ["SO-2/1"]
    assert review.new_late_lines["delay_reasons"].to_list() == [["machine_breakdown", "material_shortage"]]
    zh = pl.read_excel(review_xlsx(review, "zh"), sheet_name="新增逾期订单行")
    assert zh["延误原因"].to_list() == ["设备故障、待料"]
    page = review_html(review, "en")
    assert Sections(page).sections["new_late"][1][-1] == "machine breakdown, material shortage"
    assert "No exchange rate for GBP: left out of the USD totals." in page


def test_last_week_runs_beside_this_week_with_the_readers_settings(store):
    small_factory(store)
    con = reader(store, base_currency="EUR", ship_tolerance=Decimal("0.5"))
    review = build_review(con, d("2026-03-12"), d("2026-03-31"))
    last_week = {"as_of": d("2026-03-08"), "date_from": d("2026-03-02"), "date_to": d("2026-03-08")}
    # last week's figures come from a second cursor: same settings as the reader's
    assert review.previous["base_currency"] == "EUR"
    assert review.previous == metrics.kpi_headlines(con, **last_week)
    assert review.previous_flows.equals(metrics.period_flows(con, **last_week))
    assert review.previous != metrics.kpi_headlines(reader(store), **last_week)  # the settings matter here


def test_gendan_review_writes_the_pack(demo_store, tmp_path):
    out = tmp_path / "review.xlsx"
    arguments = ["review", "--db", str(demo_store.path), "--week", (MONDAY + dt.timedelta(days=2)).isoformat(),
                 "--as-of", DEMO_AS_OF.isoformat(), "--lang", "en", "--out", str(out)]  # fmt: skip
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert list(pl.read_excel(out, sheet_id=0)) == SHEETS_EN

    result = CliRunner().invoke(main, [*arguments[:-2], "--format", "html", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert "Chase list at week end" in (tmp_path / "r.html").read_text(encoding="utf-8")

    too_late = CliRunner().invoke(main, ["review", "--db", str(demo_store.path), "--week", "2026-11-23",
                                         "--as-of", DEMO_AS_OF.isoformat()])  # fmt: skip
    assert too_late.exit_code != 0
    assert "starts after the as-of date" in too_late.output
