"""`gendan bench`: is gendan fast enough at a big factory's volume, on this machine?

Generates the demo data at a scale, loads it with the real CLI next to DuckDB's own
`read_csv` (the practical limit), times every metric query behind every page and
`gendan kpi` cold and warm, serves the dashboard and opens every page in headless
Chromium, and checks the figures against the targets (`results.TARGETS`). The page →
query list is `pages.PAGES`. How to read the figures: bench/README.md.
"""

from gendan.bench.measure import BenchError
from gendan.bench.results import BenchResult, render_comparison, render_text
from gendan.bench.run import DEFAULT_SCALE, run_bench

__all__ = ["DEFAULT_SCALE", "BenchError", "BenchResult", "render_comparison", "render_text", "run_bench"]
