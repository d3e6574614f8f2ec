"""The packaged SQL files of the warehouse (``warehouse/sql/<layer>/*.sql``)."""

from __future__ import annotations

from importlib import resources


def sql_text(relative: str) -> str:
    """The text of a packaged SQL file, e.g. ``sql_text("metrics/10_order_lines.sql")``."""
    return resources.files("warehouse").joinpath("sql", relative).read_text(encoding="utf-8")


def sql_files(folder: str) -> list[str]:
    """The ``.sql`` files of one folder under ``warehouse/sql``, in name order (the order they run in)."""
    root = resources.files("warehouse").joinpath("sql", folder)
    return sorted(entry.name for entry in root.iterdir() if entry.name.endswith(".sql"))
