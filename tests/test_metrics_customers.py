"""Customers (metrics.md "Customers"): order rhythm, quiet customers, 12-month revenue, ABC.

A = 2026-03-10; the revenue window is [A-364, A] = [2025-03-11, 2026-03-10].
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import d
from test_metrics_support import A, customer, order_line, reader, seed
from warehouse import metrics


def orders_on(code: str, *dates: str, **values) -> list[dict]:
    """One single-line order per date for a customer."""
    return [order_line(f"{code}-{i}", customer_code=code, order_date=d(day), due_date=d("2026-12-31"), **values)
            for i, day in enumerate(dates)]


def rhythm_fixture(store) -> None:
    codes = ("C-ODD", "C-EVEN", "C-HALF", "C-EDGE", "C-PAST", "C-ONE", "C-GONE")
    seed(
        store,
        customers=[customer(code) for code in codes],
        orders=[
            # intervals 10, 10, 20: median 10
            *orders_on("C-ODD", "2026-01-01", "2026-01-11", "2026-01-21", "2026-02-10"),
            # intervals 4, 10, 7, 3 -> sorted 3, 4, 7, 10: median (4 + 7) / 2 = 5.5
            *orders_on("C-EVEN", "2026-01-01", "2026-01-05", "2026-01-15", "2026-01-22", "2026-01-25"),
            # intervals 2, 3: median 2.5
            *orders_on("C-HALF", "2026-03-01", "2026-03-03", "2026-03-06"),
            # intervals 4, 4: median 4; A - last = 6 = 1.5 x 4 exactly
            *orders_on("C-EDGE", "2026-02-24", "2026-02-28", "2026-03-04"),
            # intervals 4, 4: median 4; A - last = 7 > 6
            *orders_on("C-PAST", "2026-02-23", "2026-02-27", "2026-03-03"),
            # two orders on one date (one order date); a cancelled one and one after A don't count
            *orders_on("C-ONE", "2026-03-01", "2026-03-01"),
            order_line("C-ONE-X", customer_code="C-ONE", order_date=d("2026-02-01"), status="cancelled"),
            order_line("C-ONE-Y", customer_code="C-ONE", order_date=d("2026-03-11"), due_date=d("2026-12-31")),
            # only cancelled lines: not in the list
            order_line("C-GONE-1", customer_code="C-GONE", status="cancelled"),
        ],
    )


def test_order_rhythm_and_quiet_customers(store):
    rhythm_fixture(store)
    rows = metrics.customer_activity(reader(store), as_of=A).select(
        "customer_code", "orders", "last_order_date", "median_interval_days", "expected_next_order_date", "quiet"
    ).rows()
    assert rows == [
        # sorted by customer_code in code-point order
        ("C-EDGE", 3, d("2026-03-04"), Decimal("4"), d("2026-03-08"), False),  # 6 > 6 is false
        # last 01-25 + round-half-up(5.5) = 6 days -> 01-31; A - last = 44 > 8.25
        ("C-EVEN", 5, d("2026-01-25"), Decimal("5.5"), d("2026-01-31"), True),
        # 2.5 rounds half-up to 3 (half-to-even would give 2): 03-06 + 3 = 03-09; A - last = 4 > 3.75
        ("C-HALF", 3, d("2026-03-06"), Decimal("2.5"), d("2026-03-09"), True),
        # last 02-10 + 10 = 02-20; A - last = 28 > 15
        ("C-ODD", 4, d("2026-02-10"), Decimal("10"), d("2026-02-20"), True),
        # fewer than 2 order dates: no median, no expected date, never quiet
        ("C-ONE", 2, d("2026-03-01"), None, None, False),
        ("C-PAST", 3, d("2026-03-03"), Decimal("4"), d("2026-03-07"), True),  # 7 > 6
    ]


def test_revenue_over_the_last_12_months_in_base_currency(store):
    seed(
        store,
        fx_rates=[{"currency": "EUR", "rate_to_base": Decimal("1.1")}],
        customers=[customer("C01"), customer("C02")],
        orders=[
            order_line("R1", quantity=1, unit_price=Decimal("100"), order_date=d("2025-03-11")),  # in
            order_line("R2", quantity=1, unit_price=Decimal("1000"), order_date=d("2025-03-10")),  # out
            order_line("R3", quantity=1, unit_price=Decimal("10.0050"), order_date=A),  # in
            order_line("R4", quantity=2, unit_price=Decimal("5"), currency="EUR"),  # 10 EUR x 1.1 = 11
            order_line("R5", quantity=1, unit_price=Decimal("500"), status="cancelled"),  # out
            order_line("R6", quantity=1, unit_price=Decimal("700"), order_date=d("2026-03-11"),
                       due_date=d("2026-04-01")),  # after A: out
            # C02's only line is older than 12 months: listed with revenue 0
            order_line("R7", customer_code="C02", quantity=1, unit_price=Decimal("9"), order_date=d("2025-01-02")),
        ],
    )
    rows = metrics.customer_activity(reader(store), as_of=A).select("customer_code", "revenue_12m_base").rows()
    # C01: 100 + 10.0050 + 11 = 121.005 -> 121.01 (half-up)
    assert rows == [("C01", Decimal("121.01")), ("C02", Decimal("0"))]


@pytest.mark.parametrize(
    "revenues,classes",
    [
        # before: 0, 80/100 = 0.80 (not < 0.80), 95/100 = 0.95 (not < 0.95)
        ([80, 15, 5], ["A", "B", "C"]),
        # before: 0, 0.79, 0.95
        ([79, 16, 5], ["A", "A", "C"]),
        # before: 0, 0.80, 0.94
        ([80, 14, 6], ["A", "B", "B"]),
        # a tie goes by customer_code: C1 before 0, C2 before 0.5
        ([50, 50], ["A", "A"]),
        # before: 0, 0.4, 0.8
        ([40, 40, 20], ["A", "A", "B"]),
        # ranked by revenue, listed by code: C3 (80) A, C2 (15) B, C1 (5) C
        ([5, 15, 80], ["C", "B", "A"]),
        # no revenue at all: everyone C
        ([0, 0], ["C", "C"]),
    ],
)
def test_abc_classes(store, revenues, classes):
    codes = [f"C{i + 1}" for i in range(len(revenues))]
    seed(
        store,
        customers=[customer(code) for code in codes],
        orders=[order_line(f"SO-{code}", customer_code=code, quantity=1, unit_price=Decimal(revenue))
                for code, revenue in zip(codes, revenues, strict=True)],
    )
    assert metrics.customer_activity(reader(store), as_of=A)["abc"].to_list() == classes


def test_filters_choose_customers_but_abc_ranks_everyone(store):
    seed(
        store,
        customers=[customer("C1", merchandiser="Wang"), customer("C2", merchandiser="Li")],
        orders=[
            order_line("SO-1", customer_code="C1", quantity=1, unit_price=Decimal("80")),
            order_line("SO-2", customer_code="C2", quantity=1, unit_price=Decimal("20")),
            order_line("SO-3", customer_code="C1", quantity=1, unit_price=Decimal("0"), merchandiser="Li"),
        ],
    )
    con = reader(store)

    def listed(**filters) -> list[tuple]:
        return metrics.customer_activity(con, as_of=A, **filters).select("customer_code", "abc").rows()

    # C2 alone would be A; ranked with C1 (80 ahead of its 20) it is B
    assert listed(customer="C2") == [("C2", "B")]
    # Li handles C2 and one line of C1
    assert listed(merchandiser="Li") == [("C1", "A"), ("C2", "B")]
    assert listed(merchandiser="Wang") == [("C1", "A")]


def test_a_customer_without_revenue_in_12_months_is_c(store):
    seed(
        store,
        customers=[customer("C1"), customer("C2"), customer("OLD")],
        orders=[
            order_line("SO-1", customer_code="C1", quantity=1, unit_price=Decimal("90")),
            order_line("SO-2", customer_code="C2", quantity=1, unit_price=Decimal("10")),
            # ordered 2025-03-01, more than 364 days before A = 2026-03-10: no 12-month revenue
            order_line("SO-OLD", customer_code="OLD", order_date=d("2025-03-01"), quantity=1,
                       unit_price=Decimal("500")),
        ],
    )
    rows = metrics.customer_activity(reader(store), as_of=A).select("customer_code", "revenue_12m_base", "abc")
    # C1 has 0 before it (A); C2 has 90 of 100 before it (not < 0.80, < 0.95: B); OLD has none: C
    assert rows.rows() == [("C1", Decimal("90"), "A"), ("C2", Decimal("10"), "B"), ("OLD", Decimal("0"), "C")]
    monthly = metrics.customer_monthly(reader(store), as_of=A)
    assert monthly.filter(monthly["customer_code"] == "OLD")["abc"].unique().to_list() == ["C"]
