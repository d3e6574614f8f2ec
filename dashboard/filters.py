"""The global controls every page follows: as-of date, date range, customer, merchandiser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import LANGUAGES, t

# Kept in the URL so that a bookmark opens the same view ("my chase list").
URL_KEYS = ("lang", "merchandiser", "customer", "as_of")


@dataclass(frozen=True)
class Filters:
    as_of: dt.date
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    customer: str | None = None
    merchandiser: str | None = None

    def as_params(self) -> dict:
        """Keyword arguments for the metric functions."""
        return {
            "as_of": self.as_of,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "customer": self.customer,
            "merchandiser": self.merchandiser,
        }


def _seed_from_url() -> None:
    for key in URL_KEYS:
        if key not in st.session_state and key in st.query_params:
            value = st.query_params[key]
            st.session_state[key] = dt.date.fromisoformat(value) if key == "as_of" else value


def _sync_url() -> None:
    for key in URL_KEYS:
        value = st.session_state.get(key)
        if value in (None, "", [], ()):
            st.query_params.pop(key, None)
        else:
            st.query_params[key] = value.isoformat() if isinstance(value, dt.date) else str(value)


def render_sidebar(customers: list[str], merchandisers: list[str]) -> None:
    """Draw the global controls in the sidebar; pages read them with `current_filters()`."""
    _seed_from_url()
    # A bookmark may name a customer or merchandiser this data no longer has.
    for key, choices in (("customer", customers), ("merchandiser", merchandisers)):
        if st.session_state.get(key) not in (None, *choices):
            st.session_state[key] = None
    with st.sidebar:
        st.radio(
            t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True
        )
        # The widget's default only when the session (or the URL) holds no date yet.
        st.session_state.setdefault("as_of", dt.date.today())
        st.date_input(t("as_of"), key="as_of")
        st.date_input(t("date_range"), value=(), key="date_range", help=None)
        all_label = t("all")
        st.selectbox(
            t("customer"), [None, *customers], format_func=lambda v: all_label if v is None else v, key="customer"
        )
        st.selectbox(
            t("merchandiser"),
            [None, *merchandisers],
            format_func=lambda v: all_label if v is None else v,
            key="merchandiser",
        )
    _sync_url()


def current_filters() -> Filters:
    as_of = st.session_state.get("as_of") or dt.date.today()
    chosen = st.session_state.get("date_range") or ()
    date_from, date_to = (chosen[0], chosen[1]) if len(chosen) == 2 else (None, None)
    return Filters(
        as_of=as_of,
        date_from=date_from,
        date_to=date_to,
        customer=st.session_state.get("customer"),
        merchandiser=st.session_state.get("merchandiser"),
    )
