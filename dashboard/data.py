"""All data access of the dashboard: cached calls into the metric layer.

Pages never write SQL; they call the functions here, which call `warehouse.metrics`
(the same functions `gendan kpi` and the exports use). Results are cached per
published generation of the store, so a load from another process shows up on the
next rerun and never mixes old and new data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from dashboard.filters import Filters
from etl.loader import LoadReport, Progress, Source, load_sources
from etl.mapping import HeaderMap, load_header_map, save_header_map
from gendan.settings import Settings, load_settings
from warehouse import metrics
from warehouse.review import WeekReview, build_review
from warehouse.store import Store, configure_cursor


def settings() -> Settings:
    return load_settings()


def _store() -> Store:
    current = settings()
    return Store(current.db, current)


@st.cache_resource(max_entries=2, show_spinner=False)
def _reader(db_path: str, generation_key: str) -> duckdb.DuckDBPyConnection:
    # One reader per published generation; the previous one is dropped when a load publishes.
    return _store().connect()


def generation_key() -> str:
    """Identifies the data the page is showing; part of every cache key."""
    return repr(_store().generation())


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of its own for this script run (DuckDB 2.0 refuses one connection across threads).

    Close it when done, as `with data.cursor() as con:` does.
    """
    store = _store()
    return configure_cursor(_reader(str(store.path), generation_key()).cursor(), store.settings)


@st.cache_data(max_entries=512, show_spinner=False)
def _call(generation: str, function: str, params: tuple) -> object:
    with cursor() as con:
        return getattr(metrics, function)(con, **dict(params))


def call(function: str, **params) -> object:
    """`warehouse.metrics.<function>(con, **params)`, cached for the current data generation."""
    return _call(generation_key(), function, tuple(sorted(params.items())))


Request = tuple[str, tuple]  # a metric function's name and its keyword arguments, sorted


def request(function: str, filters: Filters | None = None, **extra) -> Request:
    """One call for `together`: `warehouse.metrics.<function>` with the filters' parameters and `extra`."""
    params = {**(filters.as_params() if filters else {}), **extra}
    return function, tuple(sorted(params.items()))


@st.cache_data(max_entries=256, show_spinner=False)
def _together(generation: str, requests: tuple[Request, ...]) -> tuple:
    with cursor() as con:
        return tuple(metrics.side_by_side(con, [(function, dict(params)) for function, params in requests]))


def together(*requests: Request) -> tuple:
    """The results of several calls (`request`), in order: run side by side, cached as one."""
    return _together(generation_key(), requests)


def base_currency() -> str:
    return call("base_currency")


def frame(function: str, filters: Filters, **extra) -> pl.DataFrame:
    """A metric list as a Polars frame, e.g. `frame("late_order_lines", filters)`."""
    return call(function, **filters.as_params(), **extra)


def has_data() -> bool:
    return bool(call("has_order_data"))


def customer_codes() -> list[str]:
    return list(call("customer_codes"))


def merchandisers() -> list[str]:
    return list(call("merchandiser_names"))


def previous_period(filters: Filters) -> Filters:
    """The period a page compares with: one week earlier, and the date range shifted by its length."""
    shift = dt.timedelta(days=7)
    if filters.date_from and filters.date_to:
        shift = filters.date_to - filters.date_from + dt.timedelta(days=1)
    return replace(
        filters,
        as_of=filters.as_of - shift,
        date_from=filters.date_from and filters.date_from - shift,
        date_to=filters.date_to and filters.date_to - shift,
    )


# --- Weekly review and Data pages ------------------------------------------------------


@st.cache_data(max_entries=32, show_spinner=False)
def _weekly_review(
    generation: str, week: dt.date, as_of: dt.date, customer: str | None, merchandiser: str | None
) -> WeekReview:
    with cursor() as con:
        return build_review(con, week, as_of, customer, merchandiser)


def weekly_review(week: dt.date, filters: Filters) -> WeekReview:
    """The review of the week holding `week`, with the filters' as-of date, customer and merchandiser."""
    return _weekly_review(generation_key(), week, filters.as_of, filters.customer, filters.merchandiser)


def header_map_path() -> Path:
    """Where the upload form keeps header mappings: `<db stem>.headers.toml` beside the store."""
    path = _store().path
    return path.with_name(f"{path.stem}.headers.toml")


def saved_header_map() -> HeaderMap | None:
    """The saved header mapping, if any (`LoadError` when the file is not a valid map)."""
    path = header_map_path()
    return load_header_map(path) if path.exists() else None


def merge_header_choices(choices: dict[str, dict[str, str]]) -> HeaderMap | None:
    """The saved mapping plus the upload form's choices (entity -> file header -> contract column)."""
    saved = saved_header_map()
    merged = {entity: dict(headers) for entity, headers in (saved.root if saved else {}).items()}
    for entity, headers in choices.items():
        merged.setdefault(entity, {}).update(headers)
    return HeaderMap(merged) if merged else None


def keep_header_map(header_map: HeaderMap) -> None:
    """Save the mapping beside the store (`header_map_path()`), as the TOML `gendan load --map` reads."""
    save_header_map(header_map, header_map_path())


def load_uploads(
    sources: list[Source], header_map: HeaderMap | None, progress: Progress, source_label: str
) -> LoadReport:
    """Load uploaded files with the loader `gendan load` uses; pages see the new data on their next run."""
    return load_sources(_store(), sources, header_map=header_map, progress=progress, source_label=source_label)
