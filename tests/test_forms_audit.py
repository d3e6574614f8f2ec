"""The audit page: every change, filtered by user, record type, record and date, with downloads."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from gendan import records
from test_records_support import TODAY, build_factory, clone

PAGE = Path(__file__).resolve().parents[1] / "dashboard" / "pages" / "audit.py"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    store = build_factory(tmp_path_factory.mktemp("factory"))
    records.record_receipt(store, "editor", {"po_no": "PO-1", "po_line": 1, "receipt_date": "2026-11-02", "received_qty": 40})
    records.record_payment(store, "admin", {"payment_no": "RC-1", "invoice_no": "INV-1", "payment_date": "2026-11-03", "amount": 99})
    records.change_order_line(store, "editor", {"order_no": "SO-1", "line_no": 2, "priority": "rush"})
    return store


@pytest.fixture
def page(template, tmp_path, monkeypatch):
    store = clone(template, tmp_path)
    monkeypatch.setenv("GENDAN_DB", str(store.path))
    app = AppTest.from_file(PAGE, default_timeout=30)
    app.session_state["lang"] = "en"
    return app.run()


def shown(app: AppTest):
    return app.dataframe[0].value


def test_everything_newest_first_with_downloads(page):
    assert not page.exception
    table = shown(page)
    assert list(table.columns) == [
        "Changed at", "Changed by", "Action", "Record type", "Record", "Field", "Old value", "New value",
    ]  # fmt: skip
    assert table["Record type"].iloc[0] == "order_line"  # the last change
    assert set(table["Record type"]) == {"user", "po_receipt", "payment", "order_line"}
    assert [button.label for button in page.get("download_button")] == ["Download CSV", "Download Excel"]


def test_filters(page):
    page.selectbox(key="audit.user").set_value("editor").run()
    assert set(shown(page)["Changed by"]) == {"editor"}
    page.selectbox(key="audit.entity").set_value("order_line").run()
    assert shown(page)[["Field", "Old value", "New value"]].values.tolist() == [["priority", "normal", "rush"]]

    page.selectbox(key="audit.user").set_value(None)
    page.selectbox(key="audit.entity").set_value(None)
    page.text_input(key="audit.record").input("inv-1").run()
    assert set(shown(page)["Record type"]) == {"payment"}

    page.text_input(key="audit.record").input("")
    page.date_input(key="audit.dates").set_value((TODAY.replace(year=TODAY.year - 1), TODAY.replace(year=TODAY.year - 1))).run()
    assert page.dataframe == [] and page.info[0].value == "Nothing to show for these filters."
