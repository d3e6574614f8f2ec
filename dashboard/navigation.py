"""The pages of the dashboard, by navigation section (plain data: tests import it too)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    path: str  # relative to dashboard/
    title_key: str  # i18n key
    icon: str
    default: bool = False

    @property
    def name(self) -> str:
        """pages/chase.py -> "chase"."""
        return self.path.removeprefix("pages/").removesuffix(".py")

    @property
    def url_path(self) -> str:
        """The page's URL path as st.Page makes it: pages/chase.py -> "chase"; the default page is "/"."""
        return "" if self.default else self.name


PAGES: dict[str, list[PageEntry]] = {
    "nav_manage": [
        PageEntry("pages/overview.py", "page_overview", ":material/dashboard:", default=True),
        PageEntry("pages/orders.py", "page_orders", ":material/list_alt:"),
        PageEntry("pages/production.py", "page_production", ":material/precision_manufacturing:"),
        PageEntry("pages/purchasing.py", "page_purchasing", ":material/local_shipping:"),
        PageEntry("pages/receivables.py", "page_receivables", ":material/payments:"),
        PageEntry("pages/customers.py", "page_customers", ":material/groups:"),
    ],
    "nav_follow": [
        PageEntry("pages/chase.py", "page_chase", ":material/checklist:"),
    ],
    "nav_review": [
        PageEntry("pages/weekly.py", "page_weekly", ":material/date_range:"),
        PageEntry("pages/data.py", "page_data", ":material/upload_file:"),
        PageEntry("pages/audit.py", "page_audit", ":material/history:"),
    ],
}

ALL_PAGES = [page for pages in PAGES.values() for page in pages]
