"""gendan dashboard: the st.navigation router and the controls every page shares.

Run with `gendan serve` (or `streamlit run dashboard/app.py` with GENDAN_DB set).
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streamlit as st  # noqa: E402

from dashboard import data  # noqa: E402
from dashboard.auth_ui import sign_in_gate  # noqa: E402
from dashboard.filters import render_sidebar  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from dashboard.navigation import PAGES  # noqa: E402

st.set_page_config(page_title=t("app_title"), page_icon=":material/checklist:", layout="wide")

_, chosen_page = sign_in_gate(
    {
        t(section): [
            st.Page(entry.path, title=t(entry.title_key), icon=entry.icon, default=entry.default)
            for entry in entries
        ]
        for section, entries in PAGES.items()
    }
)
render_sidebar(data.customer_codes(), data.merchandisers())
chosen_page.run()
