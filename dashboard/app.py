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

PAGES = {
    "nav_manage": [
        ("pages/overview.py", "page_overview", ":material/dashboard:", True),
        ("pages/orders.py", "page_orders", ":material/list_alt:", False),
        ("pages/production.py", "page_production", ":material/precision_manufacturing:", False),
        ("pages/purchasing.py", "page_purchasing", ":material/local_shipping:", False),
        ("pages/receivables.py", "page_receivables", ":material/payments:", False),
        ("pages/customers.py", "page_customers", ":material/groups:", False),
    ],
    "nav_follow": [
        ("pages/chase.py", "page_chase", ":material/checklist:", False),
    ],
    "nav_review": [
        ("pages/weekly.py", "page_weekly", ":material/date_range:", False),
        ("pages/data.py", "page_data", ":material/upload_file:", False),
    ],
}

st.set_page_config(page_title=t("app_title"), page_icon=":material/checklist:", layout="wide")

here = Path(__file__).parent
navigation = st.navigation(
    {
        t(section): [
            st.Page(path, title=t(title), icon=icon, default=default)
            for path, title, icon, default in pages
            if (here / path).exists()
        ]
        for section, pages in PAGES.items()
    }
)
render_sidebar(data.customer_codes(), data.merchandisers())
navigation.run()
