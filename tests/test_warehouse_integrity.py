"""Key and relationship checks on every core table, on the loaded demo data (dbt-style tests).

The loader and the app-record rules promise unique keys and resolvable references;
these checks would catch a join in the SQL layers that duplicates or drops rows.
"""

from __future__ import annotations

import pytest

# view -> its key columns
KEYS = {
    "core_customers": ("customer_code",),
    "core_order_lines": ("order_no", "line_no"),
    "core_fx_rates": ("currency",),
    "core_shipments": ("shipment_no", "order_no", "line_no"),
    "core_po_lines": ("po_no", "po_line"),
    "core_production": ("report_date", "order_no", "line_no", "workshop", "process"),
    "int_payments": ("payment_no",),
}

# (child view, child columns, parent view, parent columns)
RELATIONSHIPS = [
    ("core_order_lines", ("customer_code",), "core_customers", ("customer_code",)),
    ("core_shipments", ("order_no", "line_no"), "core_order_lines", ("order_no", "line_no")),
    ("core_production", ("order_no", "line_no"), "core_order_lines", ("order_no", "line_no")),
    ("int_payments", ("invoice_no",), "core_shipments", ("invoice_no",)),
]


@pytest.fixture(scope="module")
def reader(demo_store):
    return demo_store.connect()


@pytest.mark.parametrize("view, key", KEYS.items(), ids=list(KEYS))
def test_key_is_unique_and_present(reader, view, key):
    columns = ", ".join(key)
    [(rows, distinct_keys, missing)] = reader.sql(
        f"select count(*), count(distinct ({columns})), "
        f"count(*) filter (where {' or '.join(f'{c} is null' for c in key)}) from {view}"
    ).fetchall()
    assert rows > 0, f"{view} is empty on the demo data"
    assert distinct_keys == rows, f"{view}: {rows - distinct_keys} repeated keys"
    assert missing == 0


@pytest.mark.parametrize(
    "child, child_columns, parent, parent_columns", RELATIONSHIPS, ids=[r[0] + "->" + r[2] for r in RELATIONSHIPS]
)
def test_every_reference_resolves(reader, child, child_columns, parent, parent_columns):
    condition = " and ".join(f"c.{a} = p.{b}" for a, b in zip(child_columns, parent_columns))
    [(orphans,)] = reader.sql(f"select count(*) from {child} c anti join {parent} p on {condition}").fetchall()
    assert orphans == 0, f"{orphans} rows of {child} point at no row of {parent}"


def test_every_invoice_has_one_customer(reader):
    [(split,)] = reader.sql(
        "select count(*) from (select invoice_no from core_shipments "
        "group by invoice_no having count(distinct customer_code) > 1)"
    ).fetchall()
    assert split == 0
