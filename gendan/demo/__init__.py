"""The demo data set: a simulated garment exporter, written as contract files and loaded like any other.

    files = write_demo_files(Path("demo-data"), DemoParameters(scale=1, seed=7, as_of=date(2026, 3, 16)))
    report = build_demo(store, Path("demo-data"))   # writes, then loads with etl.loader.load_folder

`simulate` makes the story (two years of a ski- and outdoor-wear exporter ending at
the as-of date), `files` writes it the way real exports look, `bad_rows` plants the
rows a load must reject. Same parameters, byte-identical files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from etl.contract import ENTITIES
from etl.loader import LoadReport, Progress, load_folder
from etl.read import SUFFIXES
from gendan.demo.bad_rows import PlantedRow
from gendan.demo.files import DemoWriter
from gendan.demo.simulate import Streams, simulate_factory
from warehouse.store import Store

__all__ = ["PLAIN_ABOVE_SCALE", "DemoFiles", "DemoParameters", "PlantedRow", "build_demo", "write_demo_files"]

PLAIN_ABOVE_SCALE = 20  # larger demos are benchmark data: plain files by default


class DemoParameters(BaseModel):
    """What to simulate and how to write it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    as_of: dt.date = Field(default_factory=dt.date.today, description="the story ends on this date")
    scale: float = Field(
        default=1.0, gt=0, le=2000, description="volume: 1 is about 2,500 order lines (never fewer than 8 customers × 2 orders)"
    )
    seed: int = Field(default=7, ge=0, description="same seed, scale and date: byte-identical files")
    plain_files: bool | None = Field(
        default=None,
        description="UTF-8 CSV, English headers, ISO dates, no xlsx (default: only above scale "
        f"{PLAIN_ABOVE_SCALE}); otherwise files imitate real exports (GBK, Chinese headers, xlsx)",
    )
    bad_rows: bool = Field(default=True, description="plant a few rows the load must reject")

    @property
    def plain(self) -> bool:
        return self.scale > PLAIN_ABOVE_SCALE if self.plain_files is None else self.plain_files


@dataclass(frozen=True)
class DemoFiles:
    """What `write_demo_files` wrote."""

    out_dir: Path
    paths: dict[str, Path]  # entity -> file, in load order
    rows: dict[str, int]  # entity -> data rows, planted bad rows included
    planted: tuple[PlantedRow, ...]  # the rows the load must reject, and nothing else


def write_demo_files(out_dir: Path | str, parameters: DemoParameters | None = None) -> DemoFiles:
    """Simulate the factory and write one file per contract entity into `out_dir`.

    Contract files already in `out_dir` are removed first, so a folder that held the
    .csv of an entity now written as .xlsx does not end up with two files for it.
    """
    parameters = parameters or DemoParameters()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path in out_dir.iterdir():
        if path.stem.lower() in ENTITIES and path.suffix.lower() in SUFFIXES:
            path.unlink()
    streams = Streams(parameters.seed)
    writer = DemoWriter(out_dir, streams, parameters.as_of, plain=parameters.plain, bad_rows=parameters.bad_rows)
    try:
        simulate_factory(streams, parameters.scale, parameters.as_of, writer)
    finally:
        writer.close()
    return DemoFiles(out_dir, writer.paths, writer.rows, tuple(writer.planted))


def build_demo(
    store: Store, out_dir: Path | str, parameters: DemoParameters | None = None, *, progress: Progress | None = None
) -> LoadReport:
    """Write the demo files into `out_dir` and load them into `store`; the load report says what was rejected."""
    write_demo_files(out_dir, parameters)
    return load_folder(store, out_dir, progress=progress)
