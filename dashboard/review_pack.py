"""The weekly review in words: its lists and figures in English or Chinese, and the pack.

`review_xlsx` and `review_html` write the whole review (`warehouse.review.build_review`)
as a pack, one sheet / one section per part: the Weekly review page's downloads and
`gendan review`. Labels come from `dashboard.i18n`, whose tables need no Streamlit.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Callable
from decimal import Decimal

import polars as pl
import xlsxwriter

from dashboard.i18n import Labels, chase_reasons, code_label, column_label
from warehouse.review import Headline, WeekReview

labels = Labels(
    {
        "title": ("Weekly review", "周复盘"),
        "week_range": ("{start} – {end} (week {number})", "{start} – {end}（第 {number} 周）"),
        "this_week": ("This week", "本周"),
        "last_week": ("Last week", "上周"),
        "change": ("Change", "变化"),
        "item": ("Item", "项目"),
        "value": ("Value", "内容"),
        "week": ("Week", "周次"),
        "this_week_as_of": ("This week as of", "本周截至"),
        "base_currency": ("Base currency", "本币"),
        "none": ("None.", "无。"),
        "not_reported": ("not reported", "未填报"),
        # sections
        "section_summary": ("Summary", "概要"),
        "section_kpis": ("KPIs", "关键指标"),
        "section_flows": ("Shipments and collections", "出货与收款"),
        "section_shipments": ("Shipments of the week", "本周出货"),
        "section_collections": ("Collections of the week", "本周收款"),
        "section_new_late": ("New late lines", "新增逾期订单行"),
        "section_chase": ("Chase list at week end", "周末跟进清单"),
        # flow rows
        "shipment_documents": ("Shipments", "出货单数"),
        "shipped_qty": ("Shipped qty", "出货数量"),
        "shipment_value": ("Shipment value ({currency})", "出货金额（{currency}）"),
        "payment_documents": ("Payments received", "收款笔数"),
        "collections": ("Collections ({currency})", "收款金额（{currency}）"),
        "past_due_receivables_in": ("Receivables past due ({currency})", "逾期应收（{currency}）"),
        "unrated": (
            "No exchange rate for {currencies}: left out of the {currency} totals.",
            "{currencies} 没有汇率：未计入{currency}合计。",
        ),
        # chase list
        "kind_order_line": ("Order line", "订单行"),
        "kind_po_line": ("PO line", "采购行"),
        "kind_invoice": ("Invoice", "发票"),
        "kind_follow_up": ("Follow-up note", "跟进备注"),
    }
)

# Chinese chase reasons by reason_code (the English one is the metric layer's sentence).
# The columns each list section shows, in order.
SHIPMENT_COLUMNS = ("ship_date", "shipment_no", "order_no", "line_no", "customer_code", "merchandiser",
                    "shipped_qty", "invoice_no", "currency", "amount", "amount_base")  # fmt: skip
COLLECTION_COLUMNS = ("payment_date", "payment_no", "invoice_no", "customer_code", "merchandiser",
                      "currency", "amount", "amount_base")  # fmt: skip
NEW_LATE_COLUMNS = ("order_no", "line_no", "customer_code", "merchandiser", "style_no", "due_date",
                    "days_late", "open_qty", "delay_reasons")  # fmt: skip
CHASE_COLUMNS = ("chase_rank", "kind", "ref", "reason", "customer_code", "merchandiser", "due_date", "days_past_due")


def week_label(start: dt.date, lang: str) -> str:
    """"2026-11-16 – 2026-11-22 (week 47)"."""
    end = start + dt.timedelta(days=6)
    return labels("week_range", lang, start=start.isoformat(), end=end.isoformat(), number=start.isocalendar().week)


def headline_label(headline: Headline, currency: str, lang: str) -> str:
    """A figure's name; money figures name the base currency."""
    key = "past_due_receivables_in" if headline.key == "past_due_receivables" else headline.key
    return labels(key, lang, currency=currency) if headline.kind == "money" else labels(key, lang)


def shipments_table(review: WeekReview) -> pl.DataFrame:
    return review.shipments.select(SHIPMENT_COLUMNS)


def collections_table(review: WeekReview) -> pl.DataFrame:
    return review.collections.select(COLLECTION_COLUMNS)


def new_late_table(review: WeekReview, lang: str) -> pl.DataFrame:
    """New late lines with their delay reasons in words ("not reported" when none was)."""
    separator = "、" if lang == "zh" else ", "
    reasons = [
        separator.join(code_label(code, lang) for code in codes) or labels("not_reported", lang)
        for codes in review.new_late_lines["delay_reasons"].to_list()
    ]
    return review.new_late_lines.with_columns(pl.Series("delay_reasons", reasons, dtype=pl.String)).select(
        NEW_LATE_COLUMNS
    )


def chase_table(review: WeekReview, lang: str) -> pl.DataFrame:
    """The chase list at week end, kinds and reasons in words."""
    kinds = {kind: labels(f"kind_{kind}", lang) for kind in review.chase["kind"].unique()}
    return review.chase.with_columns(
        pl.col("kind").replace_strict(kinds, return_dtype=pl.String),
        chase_reasons(review.chase, lang).alias("reason"),
    ).select(CHASE_COLUMNS)


def summary_rows(review: WeekReview, lang: str) -> list[tuple[str, str]]:
    """(item, value) lines that say what the review covers."""
    everyone = labels("all", lang)
    notes = [*review.warnings]
    if review.unrated_currencies():
        notes.append(labels("unrated", lang, currencies=", ".join(review.unrated_currencies()),
                            currency=review.base_currency))  # fmt: skip
    return [
        (labels("week", lang), week_label(review.week_start, lang)),
        (labels("this_week_as_of", lang), review.as_of.isoformat()),
        (labels("last_week", lang), week_label(review.previous_start, lang)),
        (labels("customer", lang), review.customer or everyone),
        (labels("merchandiser", lang), review.merchandiser or everyone),
        (labels("base_currency", lang), review.base_currency),
        (labels("warnings", lang), "\n".join(notes) or labels("none", lang)),
    ]


def _list_sections(review: WeekReview, lang: str) -> list[tuple[str, pl.DataFrame]]:
    return [
        ("section_shipments", shipments_table(review)),
        ("section_collections", collections_table(review)),
        ("section_new_late", new_late_table(review, lang)),
        ("section_chase", chase_table(review, lang)),
    ]


def file_name(review: WeekReview, extension: str) -> str:
    """`weekly-review-2026-11-16.xlsx`: the pack's file name, with its week."""
    return f"weekly-review-{review.week_start.isoformat()}.{extension}"


# --- Excel -----------------------------------------------------------------------------

NUMBER_FORMATS = {"count": "#,##0", "money": "#,##0.00", "rate": "0.0%", "date": "yyyy-mm-dd"}


def review_xlsx(review: WeekReview, lang: str = "zh") -> bytes:
    """The review as an Excel workbook: one sheet per section, headers in `lang`."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    formats = {name: workbook.add_format({"num_format": pattern}) for name, pattern in NUMBER_FORMATS.items()}
    header = workbook.add_format({"bold": True, "bg_color": "#E8F0E8", "bottom": 1, "text_wrap": True})
    wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})

    summary = workbook.add_worksheet(labels("section_summary", lang))
    _write_rows(summary, [labels("item", lang), labels("value", lang)], summary_rows(review, lang), header,
                [None, wrapped])  # fmt: skip
    for section, figures in (("section_kpis", review.kpis()), ("section_flows", review.flow_figures())):
        sheet = workbook.add_worksheet(labels(section, lang))
        titles = [labels(name, lang) for name in ("item", "this_week", "last_week", "change")]
        _write_row(sheet, 0, titles, header)
        for row, figure in enumerate(figures, start=1):
            sheet.write_string(row, 0, headline_label(figure, review.base_currency, lang))
            for column, value in enumerate((figure.current, figure.previous, figure.change), start=1):
                if value is not None:
                    sheet.write_number(row, column, value, formats[figure.kind])
        _fit_columns(sheet, [pl.Series([titles[0], *(headline_label(f, review.base_currency, lang) for f in figures)])])
        sheet.set_column(1, 3, 16)  # wide enough for 12,345,678.90
    for section, frame in _list_sections(review, lang):
        sheet = workbook.add_worksheet(labels(section, lang)[:31])
        _write_frame(sheet, frame, lang, header, formats)
    workbook.close()
    return buffer.getvalue()


def _write_row(sheet, row: int, values: list[str], cell_format) -> None:
    for column, value in enumerate(values):
        sheet.write_string(row, column, value, cell_format)


def _write_rows(sheet, titles: list[str], rows: list[tuple[str, str]], header, column_formats: list) -> None:
    _write_row(sheet, 0, titles, header)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write_string(row_number, column, value, column_formats[column])
    _fit_columns(sheet, [pl.Series([title, *(row[i] for row in rows)]) for i, title in enumerate(titles)])


def _write_frame(sheet, frame: pl.DataFrame, lang: str, header, formats: dict) -> None:
    titles = [column_label(name, lang) for name in frame.columns]
    _write_row(sheet, 0, titles, header)
    for column, name in enumerate(frame.columns):
        write = _cell_writer(sheet, frame.schema[name], formats)
        for row, value in enumerate(frame[name].to_list(), start=1):
            if value is not None:
                write(row, column, value)
    sheet.freeze_panes(1, 0)
    if frame.height:
        sheet.autofilter(0, 0, frame.height, frame.width - 1)
    _fit_columns(sheet, [pl.concat([pl.Series([title]), _shown_texts(frame[name])])
                         for title, name in zip(titles, frame.columns, strict=True)])  # fmt: skip


def _cell_writer(sheet, dtype: pl.DataType, formats: dict) -> Callable[[int, int, object], None]:
    """How a column's cells are written, chosen once per column (a sheet may hold tens of thousands of rows)."""
    if dtype == pl.Date:
        return lambda row, column, value: sheet.write_datetime(
            row, column, dt.datetime.combine(value, dt.time()), formats["date"]
        )
    if dtype.is_integer():
        return lambda row, column, value: sheet.write_number(row, column, value, formats["count"])
    if dtype.is_numeric():
        return lambda row, column, value: sheet.write_number(row, column, float(value), formats["money"])
    return lambda row, column, value: sheet.write_string(row, column, str(value))


def _shown_texts(values: pl.Series) -> pl.Series:
    """The texts a column's width is fitted to: its cells as text (a whole number's widest is its smallest or
    largest, thousands separated)."""
    if values.dtype.is_integer():
        return pl.Series([f"{value:,}" for value in (values.min(), values.max()) if value is not None], dtype=pl.String)
    return values.drop_nulls().cast(pl.String)


def _cell_text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else f"{value:,}" if isinstance(value, int) else str(value)


WIDE_CHARACTER = r"[\x{2E81}-\x{10FFFF}]"  # a Chinese character (and the like) takes two places in a column


def _fit_columns(sheet, columns: list[pl.Series]) -> None:
    """Column widths from the widest of each column's texts, within reason."""
    for index, texts in enumerate(columns):
        width = (texts.str.len_chars() + texts.str.count_matches(WIDE_CHARACTER)).max()
        sheet.set_column(index, index, min(max((8 if width is None else width) + 2, 8), 60))


# --- HTML ------------------------------------------------------------------------------

HTML_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; color: #1f2933;
       margin: 2rem auto; max-width: 1200px; padding: 0 1.5rem; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 2px solid #2E7D32; padding-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid #e4e7eb; text-align: left; vertical-align: top;
         white-space: nowrap; }
th { background: #f0f4f0; } td.text { white-space: normal; }
.number { text-align: right; font-variant-numeric: tabular-nums; }
td.better { color: #2E7D32; } td.worse { color: #C62828; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.5rem; } dt { color: #52606d; }
dd { margin: 0; white-space: pre-line; } p.none { color: #52606d; }
"""


def review_html(review: WeekReview, lang: str = "zh") -> str:
    """The review as one self-contained HTML page (no external files), in `lang`."""
    title = f"{labels('title', lang)} · {week_label(review.week_start, lang)}"
    summary = "".join(f"<dt>{_e(item)}</dt><dd>{_e(value)}</dd>" for item, value in summary_rows(review, lang))
    parts = [f'<section id="summary"><h1>{_e(title)}</h1><dl>{summary}</dl></section>']
    for section, figures in (("kpis", review.kpis()), ("flows", review.flow_figures())):
        parts.append(_html_figures(section, labels(f"section_{section}", lang), figures, review.base_currency, lang))
    for section, frame in _list_sections(review, lang):
        parts.append(_html_table(section.removeprefix("section_"), labels(section, lang), frame, lang))
    html_lang = "zh-CN" if lang == "zh" else "en"
    return (
        f'<!doctype html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
        f"<style>{HTML_STYLE}</style></head>\n<body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


def _e(value: object) -> str:
    return html.escape(str(value))


def figure_text(value: float | int | None, kind: str) -> str:
    """A figure as the pack prints it: 93.8 %, 1,234, 12,345.67."""
    if value is None:
        return "—"
    return {"rate": f"{value * 100:.1f} %", "count": f"{value:,.0f}", "money": f"{value:,.2f}"}[kind]


def change_text(headline: Headline) -> str:
    """The change from last week: percentage points for rates, else a signed number."""
    change = headline.change
    if change is None:
        return "—"
    return {"rate": f"{change * 100:+.1f} pp", "count": f"{change:+,.0f}", "money": f"{change:+,.2f}"}[headline.kind]


def _tone(figure: Headline) -> str:
    """"better" / "worse" for a change the pack shows as non-zero ("+0.0 pp" is no change)."""
    change = figure.change
    shown = None if change is None else round(change * 100, 1) if figure.kind == "rate" else round(change, 2)
    if not shown:
        return ""
    return "worse" if (shown > 0) == figure.rise_is_bad else "better"


def _html_figures(section: str, title: str, figures: list[Headline], currency: str, lang: str) -> str:
    heads = f"<th>{_e(labels('item', lang))}</th>" + "".join(
        f'<th class="number">{_e(labels(name, lang))}</th>' for name in ("this_week", "last_week", "change")
    )
    rows = []
    for figure in figures:
        rows.append(
            f"<tr><td>{_e(headline_label(figure, currency, lang))}</td>"
            f'<td class="number">{figure_text(figure.current, figure.kind)}</td>'
            f'<td class="number">{figure_text(figure.previous, figure.kind)}</td>'
            f'<td class="number {_tone(figure)}">{change_text(figure)}</td></tr>'
        )
    return f'<section id="{section}"><h2>{_e(title)}</h2><table><tr>{heads}</tr>{"".join(rows)}</table></section>'


WRAPPED_COLUMNS = ("reason", "delay_reasons")


def _html_table(section: str, title: str, frame: pl.DataFrame, lang: str) -> str:
    if frame.is_empty():
        return f'<section id="{section}"><h2>{_e(title)}</h2><p class="none">{_e(labels("none", lang))}</p></section>'
    # numbers right-aligned; sentences (reasons) may wrap, everything else stays on one line
    kinds = [
        "number" if frame.schema[name].is_numeric() else "text" if name in WRAPPED_COLUMNS else ""
        for name in frame.columns
    ]
    heads = "".join(
        f'<th class="{kind}">{_e(column_label(name, lang))}</th>' for name, kind in zip(frame.columns, kinds, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{kind}">{_e(_html_cell(value))}</td>' for value, kind in zip(row, kinds, strict=True)
        )
        + "</tr>"
        for row in frame.iter_rows()
    )
    return f'<section id="{section}"><h2>{_e(title)}</h2><table><tr>{heads}</tr>{body}</table></section>'


def _html_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return f"{value:,.2f}"
    return _cell_text(value)
