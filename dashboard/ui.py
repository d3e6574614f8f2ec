"""Building blocks every page uses: KPI tiles, downloadable tables, charts, empty states."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard.i18n import column_label, t

CHART_FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    delta: str | None = None
    delta_color: str = "normal"  # "inverse" when a rise is bad (late lines, defects)
    help: str | None = None


def tiles(items: list[Tile], per_row: int = 4) -> None:
    """A row (or rows) of st.metric tiles."""
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for column, item in zip(columns, items[start : start + per_row]):
            column.metric(item.label, item.value, item.delta, delta_color=item.delta_color, help=item.help)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f} %"


def number(value: float | int | None, decimals: int = 0) -> str:
    return "—" if value is None else f"{value:,.{decimals}f}"


def delta_points(current: float | None, previous: float | None) -> str | None:
    """Change of a rate in percentage points, for a tile's delta."""
    if current is None or previous is None:
        return None
    return f"{(current - previous) * 100:+.1f} pp"


def delta_count(current: float | None, previous: float | None, decimals: int = 0) -> str | None:
    if current is None or previous is None:
        return None
    return f"{current - previous:+,.{decimals}f}"


def localized(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with column headers in the interface language."""
    return frame.rename({name: column_label(name) for name in frame.columns})


def percent_columns(*names: str, progress: bool = False) -> dict:
    """`column_config` for `table`: fraction columns (0.8285) shown as percentages, as a bar with `progress`."""
    if progress:
        return {column_label(name): st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)
                for name in names}  # fmt: skip
    return {column_label(name): st.column_config.NumberColumn(format="percent") for name in names}


def money_columns(*names: str) -> dict:
    """`column_config` for `table`: money columns with thousands separators and 2 decimals (1,234.50)."""
    return {column_label(name): st.column_config.NumberColumn(format="accounting") for name in names}


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a BOM, so that Chinese Excel opens it without garbling the headers."""
    return frame.write_csv().encode("utf-8-sig")


def excel_bytes(frame: pl.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    frame.write_excel(buffer, worksheet=sheet[:31], autofit=True)
    return buffer.getvalue()


# Rows a table sends to the browser. A big factory's lists run to a hundred thousand
# rows: sending them all takes seconds and hundreds of MB, and nobody scrolls that far.
# The downloads always hold every row.
TABLE_ROWS = 5_000


def table(frame: pl.DataFrame, key: str, *, height: int | None = None, **dataframe_options) -> None:
    """A table (its first TABLE_ROWS rows) with CSV and Excel downloads of all of it; headers in the interface language."""
    if frame.is_empty():
        st.info(t("nothing_here"))
        return
    shown = localized(frame)
    # st.dataframe shows a date as "2025-01-05 00:00:00" unless told it is a date
    dates = {name: st.column_config.DateColumn(format="YYYY-MM-DD") for name, kind in shown.schema.items()
             if kind == pl.Date}  # fmt: skip
    dataframe_options["column_config"] = {**dates, **dataframe_options.get("column_config", {})}
    st.dataframe(shown.head(TABLE_ROWS), hide_index=True, width="stretch", height=height or "auto", key=key,
                 **dataframe_options)
    if shown.height > TABLE_ROWS:
        st.caption(t("table_cut", shown=f"{TABLE_ROWS:,}", total=f"{shown.height:,}"))
    left, right, _ = st.columns([1, 1, 4])
    # The files are made when a button is pressed, not on every run: an Excel file of
    # a hundred thousand rows takes seconds to write.
    left.download_button(
        t("download_csv"),
        partial(csv_bytes, shown),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"{key}_csv",
    )
    right.download_button(
        t("download_excel"),
        partial(excel_bytes, shown, key),
        file_name=f"{key}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
    )


def chart(figure: go.Figure, key: str, height: int = 360, on_select: Callable[[], None] | None = None) -> None:
    """A Plotly chart with the CJK-capable font and a compact layout.

    `on_select`: called when a point is clicked (its selection is in `st.session_state[key]`).
    """
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        font={"family": CHART_FONT},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    st.plotly_chart(
        figure,
        width="stretch",
        key=key,
        config={"displaylogo": False},
        on_select=on_select or "ignore",
        selection_mode="points",
    )


def stop_if_empty(has_data: bool) -> None:
    """On an empty warehouse, say how to load data instead of drawing the page (nothing after this runs)."""
    if not has_data:
        st.info(t("no_data"))
        st.stop()


def warnings(messages: list[str]) -> None:
    """The metric layer's warnings (e.g. a currency without an fx rate), if any."""
    if messages:
        st.warning(f"{t('warnings')}: " + "; ".join(messages))


def metric_warnings(rows: pl.DataFrame, base_currency: str) -> None:
    """The rows of the `metric_warnings` metric, in the interface language."""
    warnings(
        [
            t(f"warning_{row['warning_code']}", subject=row["subject"], base=base_currency)
            for row in rows.iter_rows(named=True)
        ]
    )
