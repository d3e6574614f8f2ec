"""Receivables page: renders on demo data and on an empty store; its ageing and invoice figures
equal `gendan kpi` for the same as-of date and filters."""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import DEMO_AS_OF, d, kpi_json, page_app
from test_metrics_support import customer, order_line, seed, shipment

from warehouse import metrics

PAGE = "pages/receivables.py"
BUCKET_TILES = {"not_due": "Not due", "1-30": "1–30 days", "31-60": "31–60 days", "61-90": "61–90 days",
                "90+": "Over 90 days"}  # fmt: skip


def _tile(app, label: str) -> str:
    return next(metric.value for metric in app.metric if metric.label.startswith(label))


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _expected_tiles(report: dict) -> dict[str, str]:
    ageing, unpaid, base = report["receivables_ageing"], report["unpaid_invoices"], report["base_currency"]
    return {
        f"Unpaid ({base})": _money(sum(ageing.values())),
        f"Past due ({base})": _money(sum(value for bucket, value in ageing.items() if bucket != "not_due")),
        "Unpaid invoices": f"{len(unpaid):,}",
        "Invoices past due": f"{sum(1 for invoice in unpaid if invoice['days_past_due'] > 0):,}",
        **{label: _money(ageing[bucket]) for bucket, label in BUCKET_TILES.items()},
    }


def test_tiles_and_invoice_list_equal_gendan_kpi(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    report = kpi_json(demo_store, DEMO_AS_OF)
    for label, value in _expected_tiles(report).items():
        assert _tile(app, label) == value, label
    invoices = app.dataframe[0].value
    assert sorted(invoices["Invoice no"]) == sorted(invoice["invoice_no"] for invoice in report["unpaid_invoices"])
    # most past due first, so the list starts with what to chase
    assert list(invoices["Days past due"]) == sorted(invoices["Days past due"], reverse=True)
    # the payment form is there for the first invoice of the list (open store: everyone may edit)
    assert app.button(key=f"payment.{invoices['Invoice no'][0]}.save")


def test_a_bucket_drills_down_to_its_invoices(demo_store):
    app = page_app(demo_store, PAGE, **{"receivables.bucket": "90+"})
    assert not app.exception
    expected = [invoice for invoice in kpi_json(demo_store, DEMO_AS_OF)["unpaid_invoices"] if invoice["bucket"] == "90+"]
    invoices = app.dataframe[0].value
    assert expected and sorted(invoices["Invoice no"]) == sorted(invoice["invoice_no"] for invoice in expected)
    assert set(invoices["Ageing"]) == {"Over 90 days"}
    # the chart greys out the other buckets
    colors = next(json.loads(chart.proto.spec) for chart in app.get("plotly_chart")
                  if "ageing_chart" in chart.proto.id)["data"][0]["marker"]["color"]  # fmt: skip
    assert len(set(colors[:4])) == 1 and colors[4] != colors[0]
    assert [float(value) for value in invoices["Outstanding"].sort_values()] == sorted(
        invoice["outstanding"] for invoice in expected
    )


def test_by_customer_adds_up_to_the_buckets(demo_store):
    app = page_app(demo_store, PAGE)
    ageing = kpi_json(demo_store, DEMO_AS_OF)["receivables_ageing"]
    by_customer = app.dataframe[1].value
    for bucket, label in BUCKET_TILES.items():
        # each customer's share is rounded to the cent: the sum may differ by half a cent per customer
        assert abs(float(by_customer[label].fillna(0).sum()) - ageing[bucket]) <= 0.005 * len(by_customer), bucket
    assert list(by_customer["Customer total (base)"]) == sorted(by_customer["Customer total (base)"], reverse=True)


def test_filters_reach_the_figures(demo_store):
    code = metrics.receivables_by_customer(demo_store.connect(), DEMO_AS_OF)["customer_code"][0]
    app = page_app(demo_store, PAGE, customer=code)
    assert not app.exception
    report = kpi_json(demo_store, DEMO_AS_OF, "--customer", code)
    for label, value in _expected_tiles(report).items():
        assert _tile(app, label) == value, label
    assert set(app.dataframe[0].value["Customer code"]) == {code}
    assert len(report["unpaid_invoices"]) < len(kpi_json(demo_store, DEMO_AS_OF)["unpaid_invoices"])


def test_a_currency_without_rate_is_named(store):
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line("SO-1", currency="GBP")],
        shipments=[shipment("SH1", "SO-1", d("2026-01-20"), 100, amount=Decimal("80"), currency="GBP")],
    )
    for lang, text in (("en", "No exchange rate for GBP"), ("zh", "GBP 没有汇率")):
        app = page_app(store, PAGE, as_of=d("2026-03-10"), lang=lang)
        assert not app.exception
        assert any(text in warning.value for warning in app.warning)
    # left out of the base-currency totals, listed in its own currency
    assert app.metric[0].value == "0.00"
    assert list(app.dataframe[0].value["未收金额"]) == [Decimal("80.00")]


def test_chinese_labels(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert any(metric.label.startswith("90 天以上") for metric in app.metric)
    assert {"发票号", "付款到期日", "逾期天数", "账龄"} <= set(app.dataframe[0].value.columns)


def test_empty_store_says_what_to_load(store):
    for lang, text in (("en", "Data page"), ("zh", "数据")):
        app = page_app(store, PAGE, lang=lang)
        assert not app.exception
        assert any(text in info.value for info in app.info)


def test_a_long_table_sends_its_first_rows_and_downloads_all(store):
    from dashboard import ui

    invoices = ui.TABLE_ROWS + 2
    seed(
        store,
        customers=[customer("C01")],
        orders=[order_line("SO-1", quantity=invoices)],
        shipments=[shipment(f"SH{n:05}", "SO-1", d("2026-03-01"), 1) for n in range(invoices)],
    )
    app = page_app(store, PAGE, as_of=d("2026-03-10"))
    assert not app.exception
    table = app.dataframe[0].value
    assert len(table) == ui.TABLE_ROWS
    assert f"The first {ui.TABLE_ROWS:,} of {invoices:,} rows; the downloads hold all of them." in [
        caption.value for caption in app.caption
    ]
