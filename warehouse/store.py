"""The DuckDB warehouse file: copy-on-write publishing, migrations, and reader connections.

DuckDB lets one process open a file read-write, or many processes read-only, never
both. A dashboard that kept the file open would block every load. So nobody ever
writes the published file in place:

* a writer takes an exclusive lock (``<db>.lock``), copies the published file to a
  private working copy, writes there, checkpoints, and publishes it with an atomic
  ``os.replace``. A crash, kill or error before the rename leaves the published file
  exactly as it was; readers never wait for writers.
* a reader opens an in-memory DuckDB, attaches the published file read-only as
  ``wh``, and creates the staging/core/metric views and macros there. Readers that
  attached an older generation keep reading it until they reconnect; ``generation()``
  tells them when to.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from gendan.settings import Settings
from warehouse.facts import create_fact_macros, rebuild_facts
from warehouse.sql_files import sql_files, sql_text

SQL_LAYERS = ("staging", "core", "metrics")
DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
# Readers run the nested metric macros, whose planning is a third of a page's time.
# The projection_pullup pass alone took ~16 ms of a headline query's ~120 ms at a
# million order lines, and the plans without it ran no slower (docs/decisions.md).
READER_CONFIG = {**DUCKDB_CONFIG, "disabled_optimizers": "projection_pullup"}


class StoreBusyError(RuntimeError):
    """Another writer held the lock for longer than the timeout."""


def migrations(schema_folder: str) -> list[tuple[int, str]]:
    """(version, file) for every migration in a schema folder, in order: ``NNN_name.sql``."""
    return [(int(name.split("_", 1)[0]), f"{schema_folder}/{name}") for name in sql_files(schema_folder)]


def _read_schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() and table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def _migrate(con: duckdb.DuckDBPyConnection, schema_folder: str) -> None:
    current = _read_schema_version(con)
    steps = migrations(schema_folder)
    for version, relative in steps:
        if version > current:
            con.execute(sql_text(relative))
    con.execute(
        "insert or replace into meta values ('schema_version', $version)",
        {"version": str(steps[-1][0])},
    )


@dataclass(frozen=True)
class Generation:
    """Identity of one published version of the file; changes on every publish."""

    inode: int
    mtime_ns: int
    size: int


class PublishedFile:
    """One DuckDB file, published by atomic rename, with the lock that serialises its writers."""

    def __init__(
        self,
        path: Path,
        schema_folder: str,
        lock_timeout_seconds: float,
        before_publish: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
    ):
        self.path = path
        self.schema_folder = schema_folder
        self.before_publish = before_publish
        self.schema_version = migrations(schema_folder)[-1][0]
        self.lock_timeout_seconds = lock_timeout_seconds
        self.lock_path = self.path.with_name(self.path.name + ".lock")

    def exists(self) -> bool:
        return self.path.exists()

    def generation(self) -> Generation | None:
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return Generation(stat.st_ino, stat.st_mtime_ns, stat.st_size)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.lock_path, "a+") as handle:
            deadline = time.monotonic() + self.lock_timeout_seconds
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreBusyError(
                            f"another gendan process is writing {self.path.name}; try again when it is done"
                        ) from None
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _working_copy_path(self) -> Path:
        return self.path.with_name(f".{self.path.name}.writing-{os.getpid()}")

    def _remove_stale_working_copies(self) -> None:
        # Only called under the lock, so any working copy left is from a dead writer.
        for leftover in self.path.parent.glob(f".{self.path.name}.writing-*"):
            leftover.unlink(missing_ok=True)

    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-write connection on a working copy, published when the block exits cleanly.

        Everything done inside the block becomes visible at once, or not at all.
        """
        with self._lock():
            self._remove_stale_working_copies()
            work = self._working_copy_path()
            if self.path.exists():
                shutil.copyfile(self.path, work)
            con = duckdb.connect(str(work), config=DUCKDB_CONFIG)
            try:
                _migrate(con, self.schema_folder)
                yield con
                if self.before_publish is not None:
                    self.before_publish(con)
                con.execute("checkpoint")
                con.close()
                with open(work, "rb") as handle:
                    os.fsync(handle.fileno())
                os.replace(work, self.path)
                directory = os.open(self.path.parent, os.O_RDONLY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)
            except BaseException:
                con.close()
                work.unlink(missing_ok=True)
                work.with_name(work.name + ".wal").unlink(missing_ok=True)
                raise

    def ensure_current(self) -> None:
        """Create the file, or migrate it to this code's schema, if needed."""
        if self.exists() and self._published_schema_version() == self.schema_version:
            return
        with self.write():
            pass

    def _published_schema_version(self) -> int:
        con = duckdb.connect(str(self.path), read_only=True, config=DUCKDB_CONFIG)
        try:
            return _read_schema_version(con)
        finally:
            con.close()


class Store:
    """The warehouse (loaded ERP data) and the app file (records typed into gendan).

    ``factory.duckdb`` is the warehouse; ``factory.app.duckdb`` beside it holds the
    app's records. Loads write only the first, forms only the second.
    """

    def __init__(self, path: Path | str, settings: Settings | None = None):
        self.path = Path(path).resolve()
        self.settings = settings or Settings(db=self.path)
        timeout = self.settings.lock_timeout_seconds
        self.warehouse = PublishedFile(self.path, "schema", timeout, before_publish=rebuild_facts)
        self.app = PublishedFile(self.path.with_name(self.path.stem + ".app.duckdb"), "app_schema", timeout)

    def exists(self) -> bool:
        return self.warehouse.exists()

    def generation(self) -> tuple[Generation | None, Generation | None]:
        """Changes whenever either file is published; readers reconnect when it does."""
        return self.warehouse.generation(), self.app.generation()

    def write(self):
        """Write the warehouse (loads); see `PublishedFile.write`."""
        return self.warehouse.write()

    def write_app(self):
        """Write the app's records (forms, notes, users); see `PublishedFile.write`."""
        return self.app.write()

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory reader: the warehouse attached as ``wh``, the app file as ``app``, every view and macro."""
        self.warehouse.ensure_current()
        self.app.ensure_current()
        con = duckdb.connect(config={**READER_CONFIG, "memory_limit": self.settings.reader_memory_limit})
        con.execute("attach $path as wh (read_only)", {"path": str(self.warehouse.path)})
        con.execute("attach $path as app (read_only)", {"path": str(self.app.path)})
        configure_cursor(con, self.settings)
        create_fact_macros(con)
        for layer in SQL_LAYERS:
            for name in sql_files(layer):
                con.execute(sql_text(f"{layer}/{name}"))
        # The attached app file never changes under this connection (readers reconnect
        # on a new generation), so whether its records touch any order line is fixed.
        if not con.execute("select exists (from int_touched_order_lines)").fetchall()[0][0]:
            con.execute(sql_text("shortcuts/untouched_order_lines.sql"))
        return con


def configure_cursor(con: duckdb.DuckDBPyConnection, settings: Settings) -> duckdb.DuckDBPyConnection:
    """Set the session variables the SQL layers read; needed on every new cursor."""
    return _set_variables(con, settings.base_currency, settings.ship_tolerance)


def sibling_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor on ``con``'s database with ``con``'s session variables, for work beside it on another thread."""
    [(base_currency, ship_tolerance)] = con.execute(
        "select getvariable('base_currency'), getvariable('ship_tolerance')"
    ).fetchall()
    return _set_variables(con.cursor(), base_currency, ship_tolerance)


def _set_variables(
    con: duckdb.DuckDBPyConnection, base_currency: str, ship_tolerance: object
) -> duckdb.DuckDBPyConnection:
    con.execute("set variable base_currency = $value", {"value": base_currency})
    con.execute("set variable ship_tolerance = $value", {"value": ship_tolerance})
    return con
