"""Measuring tools of the benchmark: child processes with their peak memory, timing statistics, the machine."""

from __future__ import annotations

import math
import os
import platform
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from gendan.bench.results import Machine, Stats

RSS_POLL_SECONDS = 0.02


class BenchError(RuntimeError):
    """A stage could not run: a child failed, or the query list names something missing."""


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes (0 once it is gone)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


class RssSampler:
    """Polls a process tree's resident memory in a thread and keeps the peak."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.process))
            self._stop.wait(RSS_POLL_SECONDS)


@dataclass
class ChildRun:
    """One finished child process: wall time, peak memory, exit code and output."""

    seconds: float
    cpu_seconds: float  # user + system time of the child (not of its own children)
    peak_rss_bytes: int
    returncode: int
    stdout: str
    stderr_lines: list[tuple[float, str]] = field(default_factory=list)  # (seconds since start, line)

    def check(self, what: str) -> ChildRun:
        """Raise with the child's last words if it failed."""
        if self.returncode != 0:
            tail = "\n".join(line for _, line in self.stderr_lines[-20:])
            raise BenchError(f"{what} exited with {self.returncode}:\n{tail}")
        return self


def run_child(arguments: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> ChildRun:
    """Run a command to its end, sampling the resident memory of its process tree.

    The peak is the larger of the polled tree total and the kernel's own high-water
    mark for the child (`wait4`), so a spike between two polls is not missed for a
    single-process child.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        list(arguments), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd, text=True, encoding="utf-8"
    )
    stdout_parts: list[str] = []
    stderr_lines: list[tuple[float, str]] = []

    def read_stderr() -> None:
        for line in process.stderr:
            stderr_lines.append((time.perf_counter() - started, line.rstrip("\n")))

    readers = [
        threading.Thread(target=lambda: stdout_parts.append(process.stdout.read()), daemon=True),
        threading.Thread(target=read_stderr, daemon=True),
    ]
    for reader in readers:
        reader.start()
    with RssSampler(process.pid) as sampler:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(RSS_POLL_SECONDS)
    seconds = time.perf_counter() - started
    # Reaped here with wait4 for its rusage; tell Popen so it does not wait again.
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    process.stdout.close()
    process.stderr.close()
    kernel_peak = usage.ru_maxrss * 1024  # KiB on Linux
    return ChildRun(
        seconds,
        usage.ru_utime + usage.ru_stime,
        max(sampler.peak, kernel_peak),
        process.returncode,
        "".join(stdout_parts),
        stderr_lines,
    )


def gendan_command(*arguments: str) -> list[str]:
    """The `gendan` console script of this interpreter's environment, with arguments."""
    script = Path(sys.executable).with_name("gendan")
    if script.exists():
        return [str(script), *arguments]
    return [sys.executable, "-c", "from gendan.cli import main; main()", *arguments]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: with 10 runs p95 is the slowest, with 20 the second slowest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def stats(seconds: Sequence[float]) -> Stats:
    ordered = sorted(seconds)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Stats(
        runs=len(ordered),
        median_s=median,
        p95_s=percentile(ordered, 0.95),
        min_s=ordered[0],
        max_s=ordered[-1],
    )


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """Seconds a call took, and what it returned."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> Machine:
    """What the figures were measured on."""
    import duckdb
    import polars

    return Machine(
        cores=psutil.cpu_count(logical=False) or os.cpu_count() or 1,
        logical_cpus=os.cpu_count() or 1,
        usable_cpus=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        ram_bytes=psutil.virtual_memory().total,
        cpu_model=_cpu_model(),
        platform=platform.platform(),
        python=platform.python_version(),
        duckdb=duckdb.__version__,
        polars=polars.__version__,
    )
