"""`gendan bench`: loads and metric queries at a big factory's volume, against the targets."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

import click
from pydantic import ValidationError

from gendan.bench import DEFAULT_SCALE, BenchError, BenchResult, render_comparison, render_text, run_bench

DEFAULT_RESULTS = Path("bench") / "results"


@click.command()
@click.option(
    "--scale", type=click.FloatRange(min=0, min_open=True, max=2000), default=None,
    help=f"Demo volume: 1 is about 2,500 order lines [default: {DEFAULT_SCALE:g}, about 1,000,000 order lines].",
)
@click.option(
    "--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Result JSON [default: bench/results/<date>-scale<N>.json].",
)
@click.option("--runs", type=click.IntRange(min=2), default=5, show_default=True, help="Timed runs of each query, page and kpi call.")
@click.option(
    "--workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Keep the data, stores and server log here [default: a temporary folder, removed at the end].",
)
@click.option("--browser/--no-browser", default=True, show_default=True, help="Serve the dashboard and time every page in headless Chromium.")
@click.option(
    "--compare", "compare_files", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
    help="Run nothing; print a markdown table of these result files side by side, with the growth per row.",
)
def command(
    scale: float | None, out_file: Path | None, runs: int, workdir: Path | None, browser: bool, compare_files: tuple[Path, ...]
) -> None:
    """Benchmark gendan on this machine at a big factory's volume and check the targets.

    In one run: writes the demo data at --scale as UTF-8 CSV; times `gendan load`
    into an empty store, the same load again (all upserts) and, as the practical
    limit, DuckDB's own read_csv of the same files, three times each (the median
    run counts), with the peak memory of each;
    times every metric query behind every dashboard page and `gendan kpi`, cold
    (first call on a fresh connection) and warm (the same call again); runs
    `gendan kpi --format json` end to end; serves the dashboard and opens every page
    in headless Chromium. Prints a table and writes every figure, the targets and
    pass/fail to a JSON file. Progress goes to stderr: the default scale runs for
    several minutes. How to read the figures: bench/README.md.

    \b
    Example:
        gendan bench                                  # ~1 M order lines, bench/results/<date>-scale400.json
        gendan bench --scale 4 --runs 3 --out /tmp/small.json
        gendan bench --compare bench/results/2026-03-16-scale100.json \\
                     --compare bench/results/2026-03-16-scale400.json
    """
    if compare_files:
        click.echo(render_comparison([_read_result(path) for path in compare_files]))
        return
    scale = scale or DEFAULT_SCALE
    out_file = out_file or DEFAULT_RESULTS / f"{dt.date.today().isoformat()}-scale{scale:g}.json"
    started = time.perf_counter()

    def progress(message: str) -> None:
        click.echo(f"[bench {time.perf_counter() - started:7.1f} s] {message}", err=True)

    try:
        if workdir is None:
            with tempfile.TemporaryDirectory(prefix="gendan-bench-") as temporary:
                result = run_bench(Path(temporary), scale=scale, runs=runs, progress=progress, browse=browser)
        else:
            workdir.mkdir(parents=True, exist_ok=True)
            result = run_bench(workdir, scale=scale, runs=runs, progress=progress, browse=browser)
    except BenchError as error:
        raise click.ClickException(str(error)) from None
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
    click.echo(render_text(result))
    click.echo(f"\nWrote {out_file}", err=True)


def _read_result(path: Path) -> BenchResult:
    try:
        return BenchResult.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as error:
        raise click.ClickException(f"{path} is not a result of this version of gendan bench: {error}") from None
