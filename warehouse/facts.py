"""Derived fact tables: what every as-of metric needs per order line and invoice, summed once per write.

The metric macros answer "as of A" questions over a million order lines; summing
each line's shipments and production reports on every query is what made pages
slow. So every write of the warehouse (a load, a migration, a test fixture)
rebuilds these tables from the raw ones before it is published, in the same
transaction: a reader never sees facts that disagree with the rows beside them.
The definitions live in ``sql/facts/`` as table macros over named relations, so a
reader can apply the very same definition to the few lines and invoices that
records typed into the app change (``sql/core/``).
"""

from __future__ import annotations

import duckdb

from warehouse.sql_files import sql_files, sql_text

FACTS_LAYER = "facts"

# table -> the query that builds it from the raw tables of the file being written, in order.
# Lines and invoices not settled (settled_date NULL) are stored first and the rest by
# settled date: the metrics' scans for what can be open or unpaid at A (settled_date
# NULL or after A) then read the first row groups and the last few, and skip the rest
# by their min/max.
FACT_TABLES = {
    "fact_order_lines": "select * from order_line_facts_of('orders', 'customers', 'shipments', 'production_daily') "
    "order by settled_date nulls first",
    "fact_order_owners": "select * from order_owners_of('fact_order_lines', 'purchase_orders')",
    "fact_invoices": "select * from invoice_facts_of('shipments', 'fact_order_lines', 'payments') "
    "order by settled_date nulls first",
}


def create_fact_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the facts layer's macros in the connection's current database."""
    for name in sql_files(FACTS_LAYER):
        con.execute(sql_text(f"{FACTS_LAYER}/{name}"))


def rebuild_facts(con: duckdb.DuckDBPyConnection) -> None:
    """Replace every fact table of the file ``con`` writes by one computed from its raw tables."""
    create_fact_macros(con)
    for table, build in FACT_TABLES.items():
        con.execute(f"create or replace table {table} as {build}")
    # Dropped in the same transaction, so the macros are never stored: readers define their own.
    for name, kind in con.execute(
        "select distinct function_name, function_type from duckdb_functions() "
        "where database_name = current_database() and function_type in ('macro', 'table_macro')"
    ).fetchall():
        con.execute(f'drop macro {"table " if kind == "table_macro" else ""}if exists "{name}"')
