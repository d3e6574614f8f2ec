"""`gendan kpi`: the JSON of the metric layer, a readable table, and clear errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from gendan.cli import main
from test_metrics_report import EXPECTED
from test_metrics_support import kpi_fixture


def run_kpi(store, *arguments: str):
    return CliRunner().invoke(main, ["kpi", "--db", str(store.path), "--as-of", "2026-03-10", *arguments])


def test_json_is_the_report(store):
    kpi_fixture(store)
    result = run_kpi(store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED


def test_json_with_filters_and_a_date_range(store):
    kpi_fixture(store)
    result = run_kpi(store, "--format", "json", "--customer", "C02", "--from", "2026-03-01", "--to", "2026-03-31")
    report = json.loads(result.output)
    # C02: only SO-2/1 (due 03-05, on time) and its invoice; the note on C02 is its chase item
    assert report["on_time_delivery"] == {"due_lines": 1, "on_time_lines": 1, "rate": 1.0}
    assert report["late_order_lines"] == []
    assert [row["invoice_no"] for row in report["unpaid_invoices"]] == ["INV-1"]
    assert [row["kind"] for row in report["chase_today"]] == ["follow_up"]
    assert list(report) == list(EXPECTED)


def test_table_is_readable(store):
    kpi_fixture(store)
    result = run_kpi(store, "--merchandiser", "Wang")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["KPIs as of 2026-03-10 (base currency USD)", "Filters: merchandiser Wang"]
    for title in ("On-time delivery", "Production", "Late order lines (1)", "At-risk order lines (1)",
                  "Overdue PO lines (1)", "Receivables ageing (USD)", "Customers (1)", "Chase today (3)"):
        assert title in lines
    header = lines[lines.index("Late order lines (1)") + 1]
    row = lines[lines.index("Late order lines (1)") + 2]
    assert header.split() == ["order_no", "line_no", "customer_code", "due_date", "days_late", "open_qty"]
    assert row.split() == ["SO-1", "1", "C01", "2026-02-27", "11", "1000"]
    # numbers right-aligned under their header, text left-aligned
    assert row.index("11") + 2 == header.index("days_late") + len("days_late")
    assert row.index("2026-02-27") == header.index("due_date")
    assert "  rate           0.00%" in lines  # Wang: SO-1/1 due and late -> 0 / 1


def test_empty_sections_say_so(store):
    result = run_kpi(store)
    assert result.exit_code == 0, result.output
    assert "Late order lines (0)\n  (none)" in result.output


@pytest.mark.parametrize(
    "arguments,message",
    [
        (["--from", "2026-03-10", "--to", "2026-03-01"], "starts (2026-03-10) after it ends (2026-03-01)"),
        (["--from", "10/03/2026"], "'10/03/2026' does not match the format '%Y-%m-%d'"),
        (["--format", "xml"], "'xml' is not one of 'table', 'json'"),
    ],
)
def test_bad_options_are_clear_errors(store, arguments, message):
    result = run_kpi(store, *arguments)
    assert result.exit_code == 2
    assert message in result.output


def test_a_missing_store_is_an_error_not_a_new_file(tmp_path):
    missing = tmp_path / "nothing.duckdb"
    result = CliRunner().invoke(main, ["kpi", "--db", str(missing)])
    assert result.exit_code == 1
    assert "no warehouse at" in result.output
    assert not missing.exists()


def test_help_has_an_example():
    result = CliRunner().invoke(main, ["kpi", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "gendan kpi --as-of 2026-03-10" in result.output
