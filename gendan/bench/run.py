"""One benchmark run: generate, load against the reference, time every page's queries, serve and browse."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

from gendan.bench.measure import BenchError, ChildRun, gendan_command, machine, run_child, stats, timed
from gendan.bench.pages import PAGES, Query, chase_refs, distinct_queries, page_calls, unresolved_queries
from gendan.bench.results import (
    BenchResult,
    DataFile,
    Generation,
    KpiCommand,
    Load,
    PageTiming,
    QueryTiming,
    Ratios,
    Reference,
    Stats,
    evaluate_targets,
)
from gendan.demo import DemoParameters, write_demo_files
from gendan.settings import load_settings
from warehouse.store import Store

LOAD_RUNS = 3
Timed = TypeVar("Timed", Load, Reference)
DEFAULT_SCALE = 400.0  # 1.0 M order lines, 5.8 M production rows, 0.3 M PO lines, 0.9 M shipments, 0.6 M payments
SEED = 7
# The practical limit: DuckDB's own reader, no validation at all. ignore_errors skips
# the demo's planted bad rows, which would otherwise stop it at the first one.
REFERENCE_SQL = 'create table "{table}" as select * from read_csv($path, ignore_errors = true)'
REFERENCE_CHILD = """
import json, sys, time, duckdb
from pathlib import Path
sql, database, paths = sys.argv[1], sys.argv[2], map(Path, sys.argv[3:])
con = duckdb.connect(database, config={"autoinstall_known_extensions": False})
con.execute("set enable_progress_bar = false")  # it would write to stdout
seconds, rows = {}, 0
for path in paths:
    started = time.perf_counter()
    [(count,)] = con.execute(sql.format(table=path.stem), {"path": str(path)}).fetchall()
    seconds[path.name] = time.perf_counter() - started
    rows += count
con.close()
print(json.dumps({"files": seconds, "rows": rows}))
"""

Progress = Callable[[str], None]


def run_bench(workdir: Path, *, scale: float, runs: int, progress: Progress, browse: bool = True) -> BenchResult:
    """Run every stage in `workdir` (which keeps the data, stores and logs) and return the figures."""
    missing = unresolved_queries()
    if missing:
        raise BenchError(f"gendan.bench.pages names functions that do not exist: {', '.join(missing)}")
    as_of = dt.date.today()
    load_at_start = os.getloadavg()[0]
    data, store_path = workdir / "data", workdir / "store" / "gendan.duckdb"
    _remove_store(store_path)

    progress(f"generating demo data at scale {scale:g} into {data}")
    generation = _generate(data, scale, as_of)
    progress(f"generated {generation.total_rows:,} rows in {generation.seconds:.1f} s")

    # Each load and the reference run LOAD_RUNS times, in turns, and the median run is
    # reported: a single run of either swings by a tenth with what else the machine does.
    references, first_loads, reloads = [], [], []
    for run in range(1, LOAD_RUNS + 1):
        progress(f"run {run} of {LOAD_RUNS}: reference, DuckDB read_csv of every file")
        references.append(_reference(generation, data, workdir / "reference.duckdb"))
        progress(f"reference took {references[-1].seconds:.1f} s; gendan load into an empty store")
        _remove_store(store_path)
        first_loads.append(_load(data, store_path))
        progress(f"first load took {first_loads[-1].seconds:.1f} s; gendan load of the same files again (upserts)")
        reloads.append(_load(data, store_path))
        progress(f"reload took {reloads[-1].seconds:.1f} s")
    reference, first_load, reload = _median_run(references), _median_run(first_loads), _median_run(reloads)
    progress(
        f"medians: reference {reference.seconds:.1f} s, first load {first_load.seconds:.1f} s "
        f"(peak RSS {first_load.peak_rss_bytes / 2**20:,.0f} MB), reload {reload.seconds:.1f} s"
    )

    store = Store(store_path, load_settings(db=store_path))
    connects: list[float] = []
    progress(f"timing every query alone, then every page's calls together: {runs} cold and {runs} warm runs each")
    with closing(store.connect()) as con:
        refs = chase_refs(con, as_of)
    progress(f"chase items opened: {', '.join(f'{kind} {ref}' for kind, ref in refs.items())}")
    queries = _time_queries(store, as_of, runs, connects, refs, progress)
    pages = _time_pages(store, as_of, runs, connects, refs, progress)

    progress(f"gendan kpi --format json, {runs} runs")
    kpi_runs = [
        run_child(gendan_command("kpi", "--db", str(store_path), "--as-of", as_of.isoformat(), "--format", "json")).check(
            "gendan kpi"
        )
        for _ in range(runs)
    ]
    kpi_command = KpiCommand(
        timing=stats([run.seconds for run in kpi_runs]),
        cpu_seconds_median=stats([run.cpu_seconds for run in kpi_runs]).median_s,
        peak_rss_bytes=max(run.peak_rss_bytes for run in kpi_runs),
        output_bytes=len(kpi_runs[-1].stdout.encode()),
    )

    dashboard = None
    if browse:
        from gendan.bench.browser import browser_available, measure_dashboard

        missing = browser_available()
        if missing:
            progress(f"skipping the dashboard: {missing}")
        else:
            progress("gendan serve, every page in headless Chromium")
            dashboard = measure_dashboard(store_path, workdir / "serve.log", progress)

    result = BenchResult(
        date=dt.datetime.now().replace(microsecond=0),
        scale=scale,
        default_scale=DEFAULT_SCALE,
        as_of=as_of,
        runs=runs,
        machine=machine(),
        load_average=[load_at_start, os.getloadavg()[0]],
        generation=generation,
        first_load=first_load,
        reload=reload,
        reference=reference,
        ratios=Ratios(first_load=first_load.seconds / reference.seconds, reload=reload.seconds / reference.seconds),
        connect=stats(connects),
        queries=queries,
        pages=pages,
        kpi_command=kpi_command,
        dashboard=dashboard,
        targets=[],
    )
    result.targets = evaluate_targets(result)
    return result


def _remove_store(store_path: Path) -> None:
    """An empty store for the first load: drop what an earlier run left in the work folder."""
    store_path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in store_path.parent.iterdir():
        if leftover.name.startswith((store_path.stem, f".{store_path.stem}")):
            leftover.unlink()


def _generate(data: Path, scale: float, as_of: dt.date) -> Generation:
    # Plain files (UTF-8, English headers, ISO dates) so DuckDB's read_csv can read them too;
    # the planted bad rows stay, so the load does its reject work as a real one does.
    started = time.perf_counter()
    files = write_demo_files(data, DemoParameters(scale=scale, seed=SEED, as_of=as_of, plain_files=True))
    seconds = time.perf_counter() - started
    written = [
        DataFile(entity=entity, file=path.name, rows=files.rows[entity], bytes=path.stat().st_size)
        for entity, path in files.paths.items()
    ]
    return Generation(
        seconds=seconds,
        files=written,
        total_rows=sum(file.rows for file in written),
        total_bytes=sum(file.bytes for file in written),
    )


def _median_run(runs: list[Timed]) -> Timed:
    """The run with the median time, with every run's time in `all_seconds`."""
    median = sorted(runs, key=lambda run: run.seconds)[len(runs) // 2]
    return median.model_copy(update={"all_seconds": [run.seconds for run in runs]})


def _reference(generation: Generation, data: Path, database: Path) -> Reference:
    database.unlink(missing_ok=True)
    paths = [str(data / file.file) for file in generation.files]
    run = run_child([sys.executable, "-c", REFERENCE_CHILD, REFERENCE_SQL, str(database), *paths]).check("the reference")
    figures = json.loads(run.stdout.splitlines()[-1])
    database.unlink(missing_ok=True)
    return Reference(
        sql=REFERENCE_SQL,
        seconds=run.seconds,
        cpu_seconds=run.cpu_seconds,
        peak_rss_bytes=run.peak_rss_bytes,
        files=figures["files"],
        rows=figures["rows"],
    )


def _load(data: Path, store_path: Path) -> Load:
    run = run_child(gendan_command("load", str(data), "--db", str(store_path), "--format", "json")).check("gendan load")
    counts = json.loads(run.stdout)["entities"].values()

    def total(key: str) -> int:
        return sum(entity[key] for entity in counts)

    return Load(
        seconds=run.seconds,
        cpu_seconds=run.cpu_seconds,
        peak_rss_bytes=run.peak_rss_bytes,
        store_bytes=store_path.stat().st_size,
        rows_read=total("read"),
        rows_loaded=total("loaded"),
        rows_rejected=total("rejected"),
        inserted=total("inserted"),
        updated=total("updated"),
        unchanged=total("unchanged"),
        stage_starts=_stage_starts(run),
    )


def _stage_starts(run: ChildRun) -> dict[str, float]:
    """When each of the loader's progress lines ("Checking rows: 0 / 1,000") first appeared."""
    starts: dict[str, float] = {}
    for seconds, line in run.stderr_lines:
        label, colon, counts = line.partition(":")
        if colon and " / " in counts:
            starts.setdefault(label.strip(), round(seconds, 3))
    return starts


def _result_rows(result: object) -> int:
    if isinstance(result, pl.DataFrame):
        return result.height
    if isinstance(result, dict):  # the KPI report: the lengths of its lists
        return sum(len(value) for value in result.values() if isinstance(value, list))
    if isinstance(result, list):
        return len(result)
    return 1


def _fresh(store: Store, connects: list[float]) -> duckdb.DuckDBPyConnection:
    seconds, con = timed(store.connect)
    connects.append(seconds)
    return con


def _ms(timing: Stats) -> str:
    return f"median {timing.median_s * 1000:,.0f} ms, p95 {timing.p95_s * 1000:,.0f} ms"


def _time_queries(
    store: Store, as_of: dt.date, runs: int, connects: list[float], refs: dict[str, str], progress: Progress
) -> list[QueryTiming]:
    """Each query alone: `runs` first calls on fresh connections, then `runs` repeats on one connection."""
    timings = []
    for query in (query.with_chase_refs(refs) for query in distinct_queries()):
        cold_times = []
        for run in range(runs):
            if run:
                con.close()
            con = _fresh(store, connects)
            seconds, result = timed(lambda con=con: query.run(con, as_of))
            cold_times.append(seconds)
        # The last cold call warmed its connection: the warm calls follow on it.
        warm_times = [timed(lambda con=con: query.run(con, as_of))[0] for _ in range(runs)]
        con.close()
        cold, warm = stats(cold_times), stats(warm_times)
        progress(f"query {query.name}: cold {_ms(cold)}; warm {_ms(warm)}")
        timings.append(
            QueryTiming(
                name=query.name,
                function=query.function,
                params={key: str(value) for key, value in query.params(as_of).items()},
                rows=_result_rows(result),
                cold=cold,
                warm=warm,
            )
        )
    return timings


def _run_page(con: duckdb.DuckDBPyConnection, calls: tuple[Query, ...], as_of: dt.date) -> list[float]:
    return [timed(lambda query=query: query.run(con, as_of))[0] for query in calls]


def _time_pages(
    store: Store, as_of: dt.date, runs: int, connects: list[float], refs: dict[str, str], progress: Progress
) -> list[PageTiming]:
    """Each page's calls in order, as one view: cold on fresh connections, warm on one connection."""
    timings = []
    for page in PAGES:
        calls = tuple(query.with_chase_refs(refs) for query in page_calls(page))
        cold_times = []
        for run in range(runs):
            if run:
                con.close()
            con = _fresh(store, connects)
            cold_times.append(sum(_run_page(con, calls, as_of)))
        warm_runs = [_run_page(con, calls, as_of) for _ in range(runs)]
        con.close()
        cold, warm = stats(cold_times), stats([sum(run) for run in warm_runs])
        per_call = [stats([run[index] for run in warm_runs]).median_s for index in range(len(calls))]
        slowest = max(range(len(calls)), key=per_call.__getitem__)
        progress(f"page {page.name} ({len(calls)} calls): cold {_ms(cold)}; warm {_ms(warm)}")
        timings.append(
            PageTiming(
                page=page.name,
                dashboard=page.sidebar,
                queries=[query.name for query in calls],
                cold=cold,
                warm=warm,
                slowest_query=calls[slowest].name,
                slowest_query_warm_median_s=per_call[slowest],
            )
        )
    return timings
