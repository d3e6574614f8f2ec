"""`gendan bench` at a tiny scale: the JSON holds every figure, consistent with itself (no timing assertions).

Also checks that the benchmark's page → query list (`gendan.bench.pages`) covers what
the dashboard's pages actually call.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path

import pytest

from dashboard.navigation import ALL_PAGES
from gendan.bench.browser import browser_available
from gendan.bench.measure import gendan_command, percentile
from gendan.bench.pages import PAGES, distinct_queries, page_calls, unresolved_queries
from gendan.bench.results import TARGETS, BenchResult

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard"
TINY_SCALE = "1"  # about 2,500 order lines
# dashboard.data helpers -> the warehouse.metrics function they call
DATA_HELPERS = {
    "base_currency": "base_currency",
    "has_data": "has_order_data",
    "customer_codes": "customer_codes",
    "merchandisers": "merchandiser_names",
    "weekly_review": "build_review",
}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory) -> tuple[dict, str, Path]:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "result.json"
    workdir = folder / "work"
    completed = subprocess.run(
        gendan_command("bench", "--scale", TINY_SCALE, "--runs", "2", "--out", str(out), "--workdir", str(workdir)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), completed.stdout, workdir


def _figures(value, path=""):
    """(path, number) for every number in the JSON."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _figures(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _figures(inner, f"{path}[{index}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def _is_measurement(path: str) -> bool:
    """Times, sizes, ratios and per-file reference times must be positive; counts may be 0."""
    if path.startswith((".ratios.", ".reference.files.")):
        return True
    key = re.sub(r"\[\d+\]", "", path).rsplit(".", 1)[-1]
    return key.endswith(("_s", "seconds", "seconds_median", "bytes")) or key in (
        "cores", "logical_cpus", "usable_cpus", "total_rows", "runs"
    )


@pytest.mark.browser
def test_the_json_holds_every_figure(bench_run):
    raw, _, _ = bench_run
    result = BenchResult.model_validate(raw)  # every key present, no unknown ones
    assert result.dashboard is not None, browser_available()

    measurements = [(path, value) for path, value in _figures(raw) if _is_measurement(path)]
    assert len(measurements) > 100
    assert [path for path, value in measurements if not value > 0] == []
    for name in ("date", "as_of"):
        assert raw[name]
    assert result.machine.cpu_model and result.machine.duckdb and result.machine.polars and result.machine.python


@pytest.mark.browser
def test_ratios_and_statistics_follow_from_the_times(bench_run):
    result = BenchResult.model_validate(bench_run[0])
    assert result.ratios.first_load == pytest.approx(result.first_load.seconds / result.reference.seconds)
    assert result.ratios.reload == pytest.approx(result.reload.seconds / result.reference.seconds)
    every_stats = [result.connect, result.kpi_command.timing]
    every_stats += [timing for query in result.queries for timing in (query.cold, query.warm)]
    every_stats += [timing for page in result.pages for timing in (page.cold, page.warm)]
    for timing in every_stats:
        assert timing.runs >= 2
        assert timing.min_s <= timing.median_s <= timing.p95_s <= timing.max_s


@pytest.mark.browser
def test_row_counts_agree_from_the_files_to_the_store(bench_run):
    result = BenchResult.model_validate(bench_run[0])
    data = bench_run[2] / "data"
    for file in result.generation.files:
        lines = (data / file.file).read_text(encoding="utf-8").count("\n")
        assert file.rows == lines - 1, file.file  # the header is line 1; plain demo files quote no newlines
    assert result.generation.total_rows == sum(file.rows for file in result.generation.files)
    assert result.first_load.rows_read == result.generation.total_rows
    assert result.first_load.rows_loaded + result.first_load.rows_rejected == result.first_load.rows_read
    assert result.first_load.inserted == result.first_load.rows_loaded
    # Loading the same files again changes nothing.
    assert (result.reload.inserted, result.reload.updated) == (0, 0)
    assert result.reload.unchanged == result.reload.rows_loaded == result.first_load.rows_loaded
    # The reference skips the planted bad rows it cannot read, and nothing else is lost.
    assert result.first_load.rows_loaded <= result.reference.rows <= result.generation.total_rows


@pytest.mark.browser
def test_every_page_query_and_target_is_reported(bench_run):
    result, printed = BenchResult.model_validate(bench_run[0]), bench_run[1]
    assert [page.page for page in result.pages] == [page.name for page in PAGES]
    for timing, page in zip(result.pages, PAGES, strict=True):
        assert timing.queries == [query.name for query in page_calls(page)]
        assert timing.slowest_query in timing.queries
    assert [query.name for query in result.queries] == [query.name for query in distinct_queries()]
    shown = [Path(entry.path).stem for entry in ALL_PAGES if (DASHBOARD / entry.path).exists()]
    assert [page.page for page in result.dashboard.first_visit] == shown
    assert [page.page for page in result.dashboard.second_visit] == shown

    assert [target.name for target in result.targets] == [name for name, *_ in TARGETS]
    for target in result.targets:
        assert target.value is not None
        assert target.passed == (target.value <= target.limit)
    for target in result.targets:
        assert target.name in printed


def test_percentile_is_nearest_rank():
    assert percentile([3.0, 1.0, 2.0, 4.0, 5.0], 0.95) == 5.0
    assert percentile([float(n) for n in range(1, 21)], 0.95) == 19.0


def _data_calls(path: Path) -> set[str]:
    """Names of what a page file asks `dashboard.data` for, or runs on `data.cursor()`."""
    called = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        function = ast.unparse(node.func)
        name = function.rsplit(".", 1)[-1]
        named = function in ("data.frame", "data.call", "data.request")
        if named and node.args and isinstance(node.args[0], ast.Constant):
            called.add(node.args[0].value)
        elif function.startswith("data.") and name in DATA_HELPERS:
            called.add(DATA_HELPERS[name])
        elif any(isinstance(argument, ast.Call) and ast.unparse(argument.func) == "data.cursor" for argument in node.args):
            called.add(name)
    return called


def test_every_page_is_benchmarked_with_every_call_it_makes():
    # "chase" and "chase, an order line opened" are two views of pages/chase.py
    benchmarked: dict[str, set[str]] = {}
    for page in PAGES:
        file = page.name.split(",")[0]
        benchmarked.setdefault(file, set()).update(
            function.rsplit(".", 1)[-1] for query in page_calls(page) for function in query.functions
        )
    sidebar = _data_calls(DASHBOARD / "app.py")
    assert sidebar, "app.py asks dashboard.data for nothing: update DATA_HELPERS / gendan.bench.pages.SIDEBAR"
    for file in sorted((DASHBOARD / "pages").glob("*.py")):
        assert file.stem in benchmarked, f"add page {file.stem} to gendan.bench.pages.PAGES"
        missing = (_data_calls(file) | sidebar) - benchmarked[file.stem]
        assert not missing, f"page {file.stem} calls {sorted(missing)}, not in gendan.bench.pages.PAGES"


def test_every_function_the_list_names_exists():
    assert unresolved_queries() == []
