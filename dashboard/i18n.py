"""Interface language: every label in English and Chinese.

Shared labels (navigation, filters, KPI names, table columns) live here; a page's
own labels live in the page as `labels = Labels({...})`, next to where they are used.
Column names come first from the data contract's Chinese aliases, so a column is
called the same on every page and in every export.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from decimal import Decimal

import polars as pl

from etl.contract import DELAY_REASON_CODES, ENTITIES, PO_STATUS_CODES, PROCESS_CODES

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

COMMON: dict[str, tuple[str, str]] = {
    # navigation
    "app_title": ("gendan · order follow-up", "跟单 · 订单跟进"),
    "nav_manage": ("Manage", "管理"),
    "nav_follow": ("Follow up", "跟进"),
    "nav_review": ("Review", "复盘"),
    "page_overview": ("Overview", "总览"),
    "page_chase": ("Chase today", "今日跟进"),
    "page_orders": ("Orders", "订单"),
    "page_production": ("Production", "生产"),
    "page_purchasing": ("Purchasing", "采购"),
    "page_receivables": ("Receivables", "应收账款"),
    "page_customers": ("Customers", "客户"),
    "page_weekly": ("Weekly review", "周复盘"),
    "page_data": ("Data", "数据"),
    "page_audit": ("Audit trail", "修改记录"),
    # global filters
    "language": ("Language", "语言"),
    "as_of": ("As of", "截至日期"),
    "date_range": ("Date range", "日期范围"),
    "customer": ("Customer", "客户"),
    "merchandiser": ("Merchandiser", "跟单员"),
    "all": ("All", "全部"),
    "filters": ("Filters", "筛选"),
    # headline KPIs
    "otd_rate": ("On-time delivery", "准时交货率"),
    "late_lines": ("Late order lines", "逾期订单行"),
    "at_risk_lines": ("At-risk lines", "风险订单行"),
    "overdue_pos": ("Overdue PO lines", "逾期采购行"),
    "po_due_soon": ("PO lines due in 3 days", "3天内到期采购行"),
    "past_due_receivables": ("Receivables past due", "逾期应收"),
    "plan_attainment": ("Plan attainment", "计划达成率"),
    "defect_rate": ("Defect rate", "次品率"),
    "vs_previous": ("vs previous period", "较上期"),
    # common words
    "download_csv": ("Download CSV", "下载 CSV"),
    "download_excel": ("Download Excel", "下载 Excel"),
    "no_data": (
        "No data yet. Load your exports on the Data page, or run `gendan demo` for demo data.",
        "还没有数据。请在“数据”页上传导出文件，或运行 `gendan demo` 生成演示数据。",
    ),
    "nothing_here": ("Nothing to show for these filters.", "当前筛选条件下没有记录。"),
    "table_cut": ("The first {shown} of {total} rows; the downloads hold all of them.",
                  "显示前 {shown} 行，共 {total} 行；下载文件包含全部。"),
    "rows": ("rows", "行"),
    "kind_order_line": ("Order lines", "订单行"),
    "kind_po_line": ("PO lines", "采购行"),
    "kind_invoice": ("Invoices", "发票"),
    "kind_follow_up": ("Follow-up notes", "跟进备注"),
    "bucket_not_due": ("Not due", "未到期"),
    "bucket_1-30": ("1–30 days", "1–30 天"),
    "bucket_31-60": ("31–60 days", "31–60 天"),
    "bucket_61-90": ("61–90 days", "61–90 天"),
    "bucket_90+": ("Over 90 days", "90 天以上"),
    "warnings": ("Warnings", "提示"),
    "subject_order_line": ("order line", "订单行"),
    "subject_po_line": ("PO line", "采购行"),
    "subject_invoice": ("invoice", "发票"),
    "subject_customer": ("customer", "客户"),
    # metric_warnings rows by warning_code (see ui.metric_warnings)
    "warning_missing_fx_rate": (
        "No exchange rate for {subject}: its amounts are left out of the {base} totals. "
        "Load its rate (fx_rates) on the Data page.",
        "{subject} 没有汇率：其金额未计入 {base} 合计。请在“数据”页导入其汇率（fx_rates）。",
    ),
    "warning_mixed_currency": (
        "Invoice {subject} has shipments in several currencies; its amount adds them up as one.",
        "发票 {subject} 的出货行有多种币种；其金额按一种币种相加。",
    ),
}

# Columns that are not contract columns (those take the contract alias).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "days_late": ("Days late", "逾期天数"),
    "open_qty": ("Open qty", "未交数量"),
    "remaining_qty": ("Remaining qty", "剩余数量"),
    "projected_finish": ("Projected finish", "预计完成"),
    "days_overdue": ("Days overdue", "逾期天数"),
    "outstanding": ("Outstanding", "未收金额"),
    "days_past_due": ("Days past due", "逾期天数"),
    "bucket": ("Ageing", "账龄"),
    "due_lines": ("Due lines", "到期行数"),
    "on_time_lines": ("On-time lines", "准时行数"),
    "rate": ("Rate", "比率"),
    "orders": ("Orders", "订单数"),
    "last_order_date": ("Last order", "最近下单"),
    "median_interval_days": ("Median reorder interval (days)", "下单间隔中位数（天）"),
    "expected_next_order_date": ("Expected next order", "预计下次下单"),
    "quiet": ("Quiet", "沉寂"),
    "revenue_12m_base": ("Revenue 12 m (base)", "近12月销售额（本币）"),
    "abc": ("ABC", "ABC 分类"),
    "kind": ("Kind", "类型"),
    "ref": ("Reference", "单据"),
    "reason": ("Reason", "原因"),
    "invoice_date": ("Invoice date", "发票日期"),
    "shipped_qty": ("Shipped qty", "已出货数量"),
    "packed_qty": ("Packed qty", "已包装数量"),
    "shipped_pct": ("Shipped %", "出货 %"),
    "packed_pct": ("Packed %", "包装 %"),
    "amount_base": ("Amount (base)", "金额（本币）"),
    "outstanding_base": ("Outstanding (base)", "未收金额（本币）"),
    "week": ("Week", "周"),
    # chase, orders and purchasing pages
    "chase_rank": ("#", "序号"),
    "is_rush": ("Rush", "加急"),
    "line_state": ("State", "状态"),
    "risk_reason": ("Risk", "风险原因"),
    "days_behind": ("Finish vs due (days)", "预计晚于交期（天）"),
    "days_until_due": ("Days to due date", "距交期天数"),
    "days_until_promised": ("Days to promised date", "距承诺交期天数"),
    "window_packed_qty": ("Packed in last 7 days", "近7天包装数量"),
    "not_on_time_lines": ("Lines not on time", "未准时行数"),
    "on_time_rate": ("On-time rate", "准时率"),
    "po_ref": ("PO line", "采购行"),
    "order_line_ref": ("Order line", "订单行"),
    "po_open_qty": ("PO qty still to receive", "采购未到数量"),
    "po_lines": ("PO lines", "采购行数"),
    "open_lines": ("Open lines", "未结行数"),
    "overdue_lines": ("Overdue lines", "逾期行数"),
    "late_lines": ("Late lines", "迟交行数"),
    "avg_days_late": ("Avg days late", "平均迟交天数"),
    "max_days_late": ("Max days late", "最长迟交天数"),
    "quantity_by_unit": ("Quantity ordered", "采购数量"),
    # production, receivables and customers pages
    "reports": ("Reports", "日报条数"),
    "delay_reports": ("Reports with a delay", "延误日报条数"),
    "lost_qty": ("Lost qty (plan − output)", "欠产数量（计划−产量）"),
    "reports_cumulative_share": ("Cumulative % of reports", "日报累计占比"),
    "lost_cumulative_share": ("Cumulative % of lost qty", "欠产累计占比"),
    "plan_attainment": COMMON["plan_attainment"],
    "defect_rate": COMMON["defect_rate"],
    "paid_amount": ("Paid", "已收金额"),
    "payment_due_date": ("Payment due", "付款到期日"),
    "invoices": ("Invoices", "发票数"),
    "customer_outstanding_base": ("Customer total (base)", "客户合计（本币）"),
    **{bucket: COMMON[f"bucket_{bucket}"] for bucket in ("not_due", "1-30", "31-60", "61-90", "90+")},
    "first_order_date": ("First order", "首次下单"),
    "days_since_last_order": ("Days since last order", "距上次下单天数"),
    "customers": ("Customers", "客户数"),
    "revenue_base": ("Revenue (base)", "销售额（本币）"),
    # weekly review and data pages
    "delay_reasons": ("Delay reasons", "延误原因"),
    "chase_rank": ("#", "序号"),
    "load_id": ("Load", "导入批次"),
    "started_at": ("Started", "开始时间"),
    "finished_at": ("Finished", "完成时间"),
    "source": ("Source", "来源"),
    "files": ("Files", "文件"),
    "rows_read": ("Rows read", "读取行数"),
    "rows_loaded": ("Rows loaded", "导入行数"),
    "inserted": ("New", "新增"),
    "updated": ("Updated", "更新"),
    "unchanged": ("Unchanged", "未变"),
    "rejected_rows": ("Rejected rows", "拒收行数"),
    "strict": ("Strict", "严格模式"),
    "file": ("File", "文件"),
    "entity": ("Data", "数据类型"),
    "line": ("Line in file", "文件行号"),
    "column": ("Column", "列"),
    "value": ("Value", "值"),
    "read": ("Read", "读取"),
    "loaded": ("Loaded", "导入"),
    "rejected": ("Rejected", "拒收"),
}

CODE_LABELS: dict[str, tuple[str, str]] = {
    **{code: (code.replace("_", " "), chinese) for code, chinese in PROCESS_CODES.items()},
    **{code: (code.replace("_", " "), chinese) for code, chinese in DELAY_REASON_CODES.items()},
    **{f"po_{code}": (code, chinese) for code, chinese in PO_STATUS_CODES.items()},
}


def language() -> str:
    """The language chosen in the sidebar (kept in the URL as ?lang=)."""
    # Imported here: the review pack's command line uses these labels without Streamlit.
    import streamlit as st

    return st.session_state.get("lang", st.query_params.get("lang", DEFAULT_LANGUAGE))


def _pick(pair: tuple[str, str], lang: str | None = None) -> str:
    return pair[1] if (lang or language()) == "zh" else pair[0]


class Labels:
    """A page's own labels: `labels = Labels({"title": ("Orders", "订单")})`; `labels("title")`."""

    def __init__(self, own: Mapping[str, tuple[str, str]]):
        self._own = own

    def __call__(self, key: str, lang: str | None = None, **values) -> str:
        """The label in `lang` (default: the interface language), formatted with `values`."""
        pair = self._own.get(key) or COMMON[key]
        return _pick(pair, lang).format(**values) if values else _pick(pair, lang)


t = Labels({})


def _contract_aliases() -> dict[str, str]:
    aliases = {}
    for entity in ENTITIES.values():
        for column in entity.columns:
            aliases.setdefault(column.name, column.alias)
    return aliases


CONTRACT_ALIASES = _contract_aliases()


def column_label(name: str, lang: str | None = None) -> str:
    """A column header in `lang` (default: the interface language)."""
    if name in COLUMN_LABELS:
        return _pick(COLUMN_LABELS[name], lang)
    if (lang or language()) == "zh" and name in CONTRACT_ALIASES:
        return CONTRACT_ALIASES[name]
    return name.replace("_", " ").capitalize()


def code_label(code: str | None, lang: str | None = None) -> str:
    """A stored code (process, delay reason, ...) in `lang` (default: the interface language)."""
    if code is None:
        return ""
    return _pick(CODE_LABELS[code], lang) if code in CODE_LABELS else code


# Chinese chase reasons by reason_code. The English reason is the metric layer's own
# sentence (the words `gendan kpi` prints), also the fallback for a code not listed.
CHASE_REASONS_ZH = {
    "late": "逾期 {days} 天，还有 {qty} 件未出货",
    "at_risk_stalled": "{due}，还有 {qty} 件未包装，近 7 天没有包装产出",
    "at_risk_behind": "{due}，预计 {finish} 完成（比交期晚 {behind} 天），还有 {qty} 件未包装",
    "at_risk_not_started": "{due}，尚未开始生产，需生产 {qty} 件",
    "po_overdue": "{supplier} 已逾期 {days} 天，{material} 还有 {qty}{unit} 未到货",
    "po_due_soon": "{supplier} {due}，{material} 还有 {qty}{unit} 未到货",
    "invoice_past_due": "逾期 {days} 天，未收 {currency} {amount}",
    "follow_up": "跟进{subject} {subject_ref}：{note}",
}


# What a follow-up note or a reference is about (subject_kind: order_line, po_line, ...), in Chinese.
SUBJECTS_ZH = {key.removeprefix("subject_"): zh for key, (_, zh) in COMMON.items() if key.startswith("subject_")}


def quantity_text(value: Decimal | int | None) -> str:
    """A quantity as the reasons write it: whole numbers without decimals, thousands separated."""
    if value is None:
        return "—"
    value = Decimal(value)
    return f"{int(value):,}" if value == value.to_integral_value() else f"{value.normalize():,}"


def chase_reasons(chase: pl.DataFrame, lang: str | None = None) -> pl.Series:
    """Each chase row's reason in the interface language (or `lang`), a whole column at once.

    A Chinese reason whose template needs a value the row lacks falls back to the English one.
    """
    if (lang or language()) != "zh" or chase.is_empty():
        return chase["reason"]
    days = pl.col("days_past_due")
    finish, unit = pl.col("projected_finish"), pl.col("unit")
    values = {
        "days": days,
        "due": pl.when(days == 0).then(pl.lit("今天到期")).otherwise(pl.format("{} 天后到期", -days)),
        "qty": pl.lit(_worded(chase["quantity"], quantity_text)),
        "unit": pl.when(unit.is_null()).then(pl.lit("")).when(unit == "pcs").then(pl.lit("件"))
        .otherwise(pl.lit(" ") + unit),
        "finish": finish,
        "behind": (finish - pl.col("due_date")).dt.total_days(),
        "supplier": pl.col("supplier"),
        "material": pl.col("material"),
        "currency": pl.col("currency"),
        "amount": pl.lit(_worded(chase["amount"], lambda amount: f"{amount:,.2f}")),
        "subject": pl.col("subject_kind").replace_strict(SUBJECTS_ZH, default=None),
        "subject_ref": pl.col("subject_ref"),
        "note": pl.col("note"),
    }
    templated = _by_code(CHASE_REASONS_ZH, values)
    overdue_note = pl.when((pl.col("kind") == "follow_up") & (days > 0)).then(pl.format("（已过 {} 天）", days))
    rush = pl.when(pl.col("is_rush")).then(pl.lit("（急单）"))
    worded = pl.concat_str(templated, overdue_note.otherwise(pl.lit("")), rush.otherwise(pl.lit("")))
    return chase.select(pl.coalesce(worded, pl.col("reason")).alias("reason")).to_series()


def _by_code(templates: Mapping[str, str], values: Mapping[str, pl.Expr]) -> pl.Expr:
    """The template of each row's `reason_code` filled from `values` (`_filled`); null for a code without one."""
    code = pl.col("reason_code")
    return pl.coalesce(
        pl.when(code == reason_code).then(_filled(template, values)) for reason_code, template in templates.items()
    )


def _filled(template: str, values: Mapping[str, pl.Expr]) -> pl.Expr:
    """`template.format(**values)` as an expression: null where a value it names is null."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(pl.lit(literal))
        if name is not None:
            parts.append(values[name].cast(pl.String))
    return pl.concat_str(parts)


def _worded(numbers: pl.Series, word: Callable[[Decimal], str]) -> pl.Series:
    """`word` of each number, called once per distinct value (as a Decimal, so none is rounded)."""
    text = numbers.cast(pl.String)
    distinct = text.unique().drop_nulls().to_list()
    return text.replace_strict(distinct, [word(Decimal(value)) for value in distinct], default=None)


# Chinese reject reasons by reason_code (see etl/parse.py), filled from the reject's
# value and reason_detail. The English reason is the loader's own sentence (the words
# `gendan load` prints), also the fallback for a code not listed.
REJECT_REASONS_ZH = {
    "missing": "缺少必填值",
    "not_a_date": "不是日期（应为 YYYY-MM-DD、YYYY/M/D、YYYY.M.D 或 YYYY年M月D日）",
    "no_such_day": "日历上没有这一天",
    "not_a_number": "不是数字",
    "not_whole": "不是整数",
    "too_large": "数字过大",
    "not_a_currency": "不是货币代码（应为 3 个字母，如 USD）",
    "surplus_values": "值的个数多于表头的列数",
    "unknown_code": "未知的代码“{value}”（应为 {detail}）",
    "below_minimum": "必须 {detail}",
    "due_before_order": "交期早于下单日期",
    "received_without_date": "已收数量 > 0 但收货日期为空",
    "repeated_key": "与第 {detail} 行的主键重复",
    "unknown_reference": "{detail}“{value}”不在本次导入中，也不在库里",
}

# Each kind of reject in a few words, for choosing one; in the order rows are checked.
REJECT_KINDS: dict[str, tuple[str, str]] = {
    "surplus_values": ("more values than columns", "值多于列数"),
    "missing": ("missing required value", "缺少必填值"),
    "not_a_date": ("not a date", "不是日期"),
    "no_such_day": ("no such day", "日历上没有这一天"),
    "not_a_number": ("not a number", "不是数字"),
    "not_whole": ("not a whole number", "不是整数"),
    "too_large": ("number too large", "数字过大"),
    "not_a_currency": ("not a currency code", "不是货币代码"),
    "unknown_code": ("unknown code", "未知的代码"),
    "below_minimum": ("below the minimum", "小于下限"),
    "due_before_order": ("due date before order date", "交期早于下单日期"),
    "received_without_date": ("received without a date", "有已收数量但无收货日期"),
    "repeated_key": ("repeated key", "主键重复"),
    "unknown_reference": ("customer / order line / invoice not found", "找不到客户/订单行/发票"),
}


def reject_reasons(rejects: pl.DataFrame, lang: str | None = None) -> pl.Series:
    """Each reject's reason in the interface language (or `lang`), a whole column at once: the stored
    English sentence, or the Chinese one of its `reason_code` filled from its `value` and `reason_detail`."""
    if (lang or language()) != "zh" or rejects.is_empty():
        return rejects["reason"]
    code, detail = pl.col("reason_code"), pl.col("reason_detail")
    values = {
        "value": pl.col("value").fill_null("").str.strip_chars(),  # the sentence quotes the cell as checked: trimmed
        "detail": pl.when(code == "unknown_code").then(detail.str.replace_all(", ", "、", literal=True))
        .when(code == "below_minimum").then(detail.str.replace(">=", "≥", literal=True))
        .when(code == "unknown_reference")  # "order line" -> 订单行
        .then(detail.str.replace_all(" ", "_", literal=True).replace_strict(SUBJECTS_ZH, default=detail))
        .otherwise(detail),
    }
    worded = _by_code(REJECT_REASONS_ZH, values)
    return rejects.select(pl.coalesce(worded, pl.col("reason")).alias("reason")).to_series()


def reject_kind_label(code: str, lang: str | None = None) -> str:
    """A kind of reject (a reason_code) in a few words, in `lang` (default: the interface language)."""
    return _pick(REJECT_KINDS[code], lang) if code in REJECT_KINDS else code
