"""Chase today page: the rows per kind and their order equal `gendan kpi`'s chase list, the
merchandiser filter narrows it, reasons are in the interface language, and opening a row
shows its record with the forms an editor needs (a viewer gets none)."""

from __future__ import annotations

import pytest
from conftest import DEMO_AS_OF, kpi_json, page_app

from gendan import auth
from test_metrics_support import add_note
from test_records_support import clone
from warehouse import metrics

PAGE = "pages/chase.py"
KINDS = ("order_line", "po_line", "invoice", "follow_up")
SHOWN = 50  # rows a kind shows before "show more" (ROWS_AT_A_TIME in the page)


def chase_rows(app) -> dict[str, list[str]]:
    """The collapsed rows' labels in each kind's tab, in the order shown."""
    return {kind: [item.label for item in tab.expander] for kind, tab in zip(KINDS, app.tabs)}


def expected_rows(chase: list[dict], shown: int = SHOWN) -> dict[str, list[str]]:
    """The first `shown` rows of each kind, most urgent first."""
    return {
        kind: [f"**{item['ref']}** · {item['reason']}" for item in chase if item["kind"] == kind][:shown]
        for kind in KINDS
    }


def test_rows_equal_gendan_kpi_grouped_by_kind_most_urgent_first(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    chase = kpi_json(demo_store, DEMO_AS_OF)["chase_today"]
    assert chase_rows(app) == expected_rows(chase)
    counts = {kind: sum(item["kind"] == kind for item in chase) for kind in KINDS}
    assert [tab.label for tab in app.tabs] == [
        f"Order lines ({counts['order_line']})",
        f"PO lines ({counts['po_line']})",
        f"Invoices ({counts['invoice']})",
        f"Follow-up notes ({counts['follow_up']})",
    ]
    assert app.tabs[3].info[0].value == "Nothing of this kind to chase today."


def test_a_long_kind_shows_the_most_urgent_rows_first_and_more_on_demand(demo_store):
    chase = kpi_json(demo_store, DEMO_AS_OF)["chase_today"]
    invoices = sum(item["kind"] == "invoice" for item in chase)
    assert SHOWN < invoices <= 2 * SHOWN, "the demo should hold one long kind"
    app = page_app(demo_store, PAGE)
    assert app.tabs[2].caption[0].value == (
        f"The {SHOWN} most urgent of {invoices}; the whole list is in the table at the end."
    )
    more = app.button(key="chase.more.invoice")
    assert more.label == f"Show {invoices - SHOWN} more"
    more.click().run()
    assert chase_rows(app) == expected_rows(chase, shown=2 * SHOWN)
    assert not app.tabs[2].caption
    assert not [button for button in app.button if button.key == "chase.more.invoice"]


def test_merchandiser_filter_gives_their_list(demo_store):
    everyone = kpi_json(demo_store, DEMO_AS_OF)["chase_today"]
    merchandiser = metrics.merchandiser_names(demo_store.connect())[0]
    app = page_app(demo_store, PAGE, merchandiser=merchandiser)
    theirs = kpi_json(demo_store, DEMO_AS_OF, "--merchandiser", merchandiser)["chase_today"]
    assert chase_rows(app) == expected_rows(theirs)
    assert 0 < len(theirs) < len(everyone)
    assert f"merchandiser: {merchandiser}" in app.caption[0].value


def test_reasons_in_chinese(demo_store):
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    assert app.tabs[0].label.startswith("订单行")
    labels = [label for rows in chase_rows(app).values() for label in rows]
    chase = metrics.chase_today(demo_store.connect(), DEMO_AS_OF).to_dicts()
    shown = {label.split("**")[1]: label for label in labels}
    assert len(labels) == sum(len(rows) for rows in expected_rows(chase).values())
    checked = set()
    for item in [item for item in chase if item["ref"] in shown]:
        rush = "（急单）" if item["is_rush"] else ""
        if item["reason_code"] == "late":
            expected = f"逾期 {item['days_past_due']} 天，还有 {int(item['quantity']):,} 件未出货{rush}"
        elif item["reason_code"] == "invoice_past_due":
            expected = f"逾期 {item['days_past_due']} 天，未收 {item['currency']} {item['amount']:,.2f}"
        elif item["reason_code"] == "at_risk_not_started":
            days = -item["days_past_due"]
            expected = f"{days} 天后到期，尚未开始生产，需生产 {int(item['quantity']):,} 件{rush}"
        elif item["reason_code"] == "po_overdue":
            expected = f"{item['supplier']} 已逾期 {item['days_past_due']} 天，{item['material']} 还有 "
            assert shown[item["ref"]].startswith(f"**{item['ref']}** · {expected}")
            assert shown[item["ref"]].endswith(" 未到货")
            checked.add(item["reason_code"])
            continue
        else:
            continue
        checked.add(item["reason_code"])
        assert shown[item["ref"]] == f"**{item['ref']}** · {expected}"
    assert checked == {"late", "invoice_past_due", "at_risk_not_started", "po_overdue"}
    # no English sentence left anywhere
    assert not any(word in label for label in labels for word in ("late", "overdue", "past due", "due in", "pcs"))


def test_whole_list_downloadable(demo_store):
    app = page_app(demo_store, PAGE, **{"chase.whole_list": True})
    chase = kpi_json(demo_store, DEMO_AS_OF)["chase_today"]
    table = app.dataframe[0].value
    assert table["Reference"].tolist() == [item["ref"] for item in chase]
    assert table["Reason"].tolist() == [item["reason"] for item in chase]
    assert [button.label for button in app.get("download_button")] == ["Download CSV", "Download Excel"]


@pytest.fixture(scope="module")
def users_store(demo_store, tmp_path_factory):
    """The demo store with one user per role and a follow-up note due today."""
    store = clone(demo_store, tmp_path_factory.mktemp("chase"))
    auth.create_demo_users(store)
    return store


def first_ref(store, kind: str) -> str:
    chase = metrics.chase_today(store.connect(), DEMO_AS_OF)
    return chase.filter(chase["kind"] == kind)["ref"][0]


def test_opening_rows_shows_record_and_forms(users_store):
    refs = {kind: first_ref(users_store, kind) for kind in ("order_line", "po_line", "invoice")}
    opened = {f"chase.{kind}.{ref}": True for kind, ref in refs.items()}
    app = page_app(users_store, PAGE, gendan_user="editor", **opened)
    assert not app.exception
    details = " ".join(markdown.value for markdown in app.markdown)
    po_lines = metrics.po_line_status(users_store.connect(), DEMO_AS_OF)
    supplier = po_lines.filter(po_lines["ref"] == refs["po_line"])["supplier"][0]
    assert f"Supplier: **{supplier}**" in details
    for title in ("Change the order line", "Record a goods receipt", "Record a payment"):
        assert f"**{title}**" in details
    assert details.count("**Add a follow-up note**") == 3
    assert [expander.label for expander in app.expander].count("History") == 3

    viewer = page_app(users_store, PAGE, gendan_user="viewer", **opened)
    assert not viewer.exception
    assert f"Supplier: **{supplier}**" in " ".join(markdown.value for markdown in viewer.markdown)
    assert not viewer.get("form")


def test_follow_up_note_row_can_be_marked_done(users_store):
    order_line = first_ref(users_store, "order_line")
    note_id = add_note(users_store, "order_line", order_line, "call the printer", DEMO_AS_OF)
    app = page_app(users_store, PAGE, gendan_user="editor", **{f"chase.follow_up.{note_id}": True})
    assert app.tabs[3].label == "Follow-up notes (1)"
    assert app.tabs[3].expander[0].label == (
        f"**Note #{note_id}** · follow up on order line {order_line}: call the printer"
    )
    chinese = page_app(users_store, PAGE, lang="zh", gendan_user="editor")
    assert chinese.tabs[3].expander[0].label == f"**备注 #{note_id}** · 跟进订单行 {order_line}：call the printer"
    app.button(key=f"done.{note_id}.button").click().run()
    assert not app.exception
    assert app.tabs[3].label == "Follow-up notes (0)"


def test_empty_store_says_what_to_load(store):
    for language in ("en", "zh"):
        app = page_app(store, PAGE, lang=language)
        assert not app.exception
        assert app.info[0].value.startswith("No data yet" if language == "en" else "还没有数据")
