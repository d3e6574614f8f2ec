"""Data page: load history and rejects as the loads table holds them; an admin's upload runs the
loader, shows its report and rejects, and maps renamed headers into a TOML `gendan load --map`
accepts; a viewer cannot upload."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import page_app
from contract_files import VALID_ROWS, table, write_rows

from gendan import auth
from gendan.cli import main

PAGE = "pages/data.py"


def csv_upload(folder, entity: str, rows: list[dict[str, str]]) -> tuple[str, bytes, str]:
    """What the browser sends for `<entity>.csv` holding `rows`."""
    path = write_rows(folder, entity, rows)
    return path.name, path.read_bytes(), "text/csv"


def renamed_orders(folder) -> tuple[str, bytes, str]:
    """orders.csv whose order number column is headed "Order Id", as some ERPs export it."""
    row = {("Order Id" if name == "order_no" else name): value for name, value in VALID_ROWS["orders"].items()}
    return csv_upload(folder, "orders", [row])


def upload(app, files: list[tuple[str, bytes, str]]):
    app.file_uploader[0].set_value(files)
    return app.run()


def test_history_and_rejects_are_the_loads_table(demo_store):
    app = page_app(demo_store, PAGE)
    assert not app.exception
    loads, rejects = table(demo_store, "loads"), table(demo_store, "rejects")
    history, shown_rejects = (frame.value for frame in app.dataframe)
    assert history["Load"].tolist() == sorted((row[0] for row in loads), reverse=True)
    assert history["Rejected rows"].sum() == len(rejects) > 0
    assert len(shown_rejects) == len(rejects)

    orders_only = page_app(demo_store, PAGE, **{"data.rejects.file": "orders.csv"})
    shown = orders_only.dataframe[-1].value
    assert set(shown["File"]) == {"orders.csv"}
    assert len(shown) == sum(row[1] == "orders.csv" for row in rejects)

    by_reason = page_app(demo_store, PAGE, **{"data.rejects.reason": "unknown_code"})
    shown = by_reason.dataframe[-1].value
    expected = [(row[1], row[3], row[6]) for row in rejects if row[7] == "unknown_code"]  # file, line, reason
    assert 0 < len(expected) < len(rejects)
    assert sorted(zip(shown["File"], shown["Line in file"], shown["Reason"], strict=True)) == sorted(expected)


def test_rejects_read_in_chinese_on_the_chinese_interface(demo_store):
    """The demo's planted rows (gendan/demo/bad_rows.py), each reason in Chinese; the filter offers
    the kinds present, in words, in the order rows are checked."""
    app = page_app(demo_store, PAGE, lang="zh")
    assert not app.exception
    value_of = {row[2]: row[5] for row in table(demo_store, "rejects")}  # by entity
    assert sorted(app.dataframe[-1].value["原因"]) == sorted([
        "未知的代码“VIP”（应为 A、B、C）",
        "不是日期（应为 YYYY-MM-DD、YYYY/M/D、YYYY.M.D 或 YYYY年M月D日）",
        "交期早于下单日期",
        "缺少必填值",
        "未知的代码“熨烫”（应为 cutting/裁床、sewing/车缝、finishing/后整、packing/包装）",
        "日历上没有这一天",
        "已收数量 > 0 但收货日期为空",
        f"订单行“{value_of['shipments']}”不在本次导入中，也不在库里",
        f"发票“{value_of['payments']}”不在本次导入中，也不在库里",
    ])  # fmt: skip
    assert app.selectbox(key="data.rejects.reason").options == [
        "全部", "缺少必填值", "不是日期", "日历上没有这一天", "未知的代码", "交期早于下单日期", "有已收数量但无收货日期",
        "找不到客户/订单行/发票",
    ]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_renders_in_both_languages(demo_store, lang):
    app = page_app(demo_store, PAGE, lang=lang)
    assert not app.exception
    if lang == "zh":
        assert app.title[0].value == "数据"
        assert "导入批次" in app.dataframe[0].value.columns
        assert "订单" in set(app.dataframe[-1].value["数据类型"])  # entities in words, not snake_case


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_empty_store_offers_the_upload(store, lang):
    app = page_app(store, PAGE, lang=lang)
    assert not app.exception
    assert len(app.file_uploader) == 1  # no users yet: the store is open, everyone is an admin
    assert any("gendan load" in info.value for info in app.info)


def test_upload_loads_the_files_and_shows_the_rejects(store, tmp_path):
    app = page_app(store, PAGE)
    bad_customer = {**VALID_ROWS["customers"], "customer_code": "C2", "payment_terms_days": "-5"}
    app = upload(app, [csv_upload(tmp_path, "customers", [VALID_ROWS["customers"], bad_customer]),
                       csv_upload(tmp_path, "orders", [VALID_ROWS["orders"]]),
                       ("notes.csv", b"a,b\n1,2\n", "text/csv")])  # fmt: skip
    assert not app.exception
    assert "notes.csv" in app.caption[-1].value  # not a contract file: ignored, and said so
    app = app.button(key="data.load").click().run()
    assert not app.exception
    assert app.success[0].value == "Load 1 done. Rows read: 3, loaded: 2, rejected: 1."
    counts, report_rejects, history, rejects = (frame.value for frame in app.dataframe)
    assert counts["Data"].tolist() == ["customers", "orders"]
    assert report_rejects.columns.tolist() == ["File", "Line in file", "Column", "Value", "Reason"]
    assert report_rejects.values.tolist() == [["customers.csv", 3, "payment_terms_days", "-5", "must be >= 0"]]
    assert history["Load"].tolist() == [1] and history["Source"].tolist() == ["upload by anonymous"]
    assert rejects["Value"].tolist() == ["-5"]
    assert [row[:2] for row in table(store, "orders")] == [("SO1", 1)]
    assert len(app.file_uploader) == 1 and not app.file_uploader[0].value  # emptied for the next upload


def test_an_upload_reports_its_rejects_in_the_interface_language(store, tmp_path):
    app = page_app(store, PAGE, lang="zh")
    bad_customer = {**VALID_ROWS["customers"], "payment_terms_days": "-5"}
    app = upload(app, [csv_upload(tmp_path, "customers", [bad_customer])])
    app = app.button(key="data.load").click().run()
    assert not app.exception
    _, report_rejects, _, rejects = (frame.value for frame in app.dataframe)
    assert report_rejects["原因"].tolist() == rejects["原因"].tolist() == ["必须 ≥ 0"]
    # stored in English, with its code and detail
    assert table(store, "rejects")[0][6:] == ("must be >= 0", "below_minimum", ">= 0")


def test_renamed_header_is_mapped_saved_and_reused(store, tmp_path):
    app = upload(page_app(store, PAGE), [csv_upload(tmp_path, "customers", [VALID_ROWS["customers"]]),
                                         renamed_orders(tmp_path)])  # fmt: skip
    choice = app.selectbox(key="data.map.orders.order_no")
    assert choice.value == "Order Id"  # the closest header, suggested
    app = choice.select_index(0).run()  # "not in the file"
    assert app.button(key="data.load").disabled  # a required column left unmapped
    app = app.selectbox(key="data.map.orders.order_no").set_value("Order Id").run()
    app = app.button(key="data.load").click().run()
    assert not app.exception
    assert app.success[0].value == "Load 1 done. Rows read: 2, loaded: 2, rejected: 0."
    saved = store.path.with_name("test.headers.toml")
    assert f"gendan load FOLDER --map {saved}" in app.info[0].value
    assert saved.read_text(encoding="utf-8") == '[orders]\n"Order Id" = "order_no"\n'
    assert [row[:2] for row in table(store, "orders")] == [("SO1", 1)]

    # the next upload of the same export needs no mapping
    app = upload(app, [renamed_orders(tmp_path)])
    assert not [box for box in app.selectbox if box.key.startswith("data.map.")]
    app = app.button(key="data.load").click().run()
    assert app.success[0].value == "Load 2 done. Rows read: 1, loaded: 1, rejected: 0."

    # and `gendan load --map` accepts the saved mapping
    other = tmp_path / "other.duckdb"
    result = CliRunner().invoke(main, ["load", str(tmp_path), "--db", str(other), "--map", str(saved)])
    assert result.exit_code == 0, result.output
    without_map = CliRunner().invoke(main, ["load", str(tmp_path), "--db", str(tmp_path / "third.duckdb")])
    assert without_map.exit_code != 0 and "order_no" in without_map.output


def test_only_an_admin_can_upload(store):
    auth.create_demo_users(store)  # admin, editor, viewer
    for user in ("viewer", "editor"):
        app = page_app(store, PAGE, gendan_user=user)
        assert not app.exception
        assert len(app.file_uploader) == 0
        assert app.info[0].value.startswith("Only an admin can upload files.")
    admin = page_app(store, PAGE, gendan_user="admin")
    assert len(admin.file_uploader) == 1
