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
from dashboard.filters import render_sidebar  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from dashboard.navigation import PAGES  # noqa: E402

st.set_page_config(page_title=t("app_title"), page_icon=":material/checklist:", layout="wide")

here = Path(__file__).parent
navigation = st.navigation(
    {
        t(section): [
            st.Page(page.path, title=t(page.title_key), icon=page.icon, default=page.default)
            for page in pages
            if (here / page.path).exists()
        ]
        for section, pages in PAGES.items()
    }
)
render_sidebar(data.customer_codes(), data.merchandisers())
navigation.run()
