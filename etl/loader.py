"""`gendan load`: contract files -> checked rows -> an upsert by key, published atomically.

A load reads and checks every file first (outside the store's write lock), then, in one
`store.write()` block, checks references, upserts entity by entity in `LOAD_ORDER` and
records the load and its rejects. Anything that goes wrong before the block ends —
a bad file, `--strict` with a reject, a crash — leaves the published store untouched.

Files are read and checked a batch at a time, so memory holds one batch's text and the
typed rows that passed, never a whole file's text. In the write block, references are
checked in Polars against the target's keys, and DuckDB reads the rows straight from
Polars' memory: once to insert them into an empty table, else once to find the new and
changed rows and once to write those.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import duckdb
import polars as pl
from pydantic import BaseModel, TypeAdapter

from etl.contract import ENTITIES, LOAD_ORDER, Entity, Reference
from etl.mapping import HeaderCheck, HeaderMap, match_headers
from etl.parse import REJECT_SCHEMA, UNKNOWN_REFERENCE, check_batch, repeated_keys
from etl.read import LINE, SUFFIXES, SURPLUS, LoadError, RawTable, Source, cell_column, open_table
from warehouse.store import Store

__all__ = ["EntityCounts", "LoadError", "LoadReport", "Progress", "Reject", "Source", "load_folder", "load_sources"]

Progress = Callable[[str, int, int], None]
"""`progress(stage, done, total)`: stage "read" counts files, "check" and "write" count rows."""

REPORT_TEXT_REJECTS = 100  # rejects listed by `to_text`; the rejects table holds them all


class EntityCounts(BaseModel):
    """Rows of one entity's file: read = loaded + rejected; loaded = inserted + updated + unchanged."""

    read: int = 0
    loaded: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class Reject(BaseModel):
    """A row kept out of the store, and why; `line` is where the record starts in the file.

    `reason` is the English sentence; `reason_code` its kind and `reason_detail` what the
    sentence says besides the value (see `etl.parse`), from which the interface words it.
    """

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str
    reason_code: str
    reason_detail: str | None


class LoadedFile(BaseModel):
    """One file of a load, as recorded in `loads.files`."""

    file: str
    entity: str
    sha256: str
    rows: int


class LoadReport(BaseModel):
    """What a committed load did (one that did not commit raised `LoadError` instead)."""

    load_id: int
    committed: bool
    source: str
    entities: dict[str, EntityCounts]
    rejects: list[Reject]
    ignored_columns: dict[str, list[str]]
    ignored_files: list[str]

    def to_json(self) -> str:
        """The report as JSON text (`gendan load --format json`)."""
        return self.model_dump_json(indent=2)

    def to_text(self) -> str:
        """A readable summary: counts per entity, ignored columns and files, the rejects."""
        read = sum(counts.read for counts in self.entities.values())
        rejected = sum(counts.rejected for counts in self.entities.values())
        lines = [
            f"Load {self.load_id} from {self.source}: {read} rows read, {read - rejected} loaded, {rejected} rejected.",
            "",
            f"{'entity':<18}{'read':>9}{'loaded':>9}{'inserted':>10}{'updated':>9}{'unchanged':>11}{'rejected':>10}",
        ]
        for name, counts in self.entities.items():
            lines.append(
                f"{name:<18}{counts.read:>9}{counts.loaded:>9}{counts.inserted:>10}"
                f"{counts.updated:>9}{counts.unchanged:>11}{counts.rejected:>10}"
            )
        for file, columns in self.ignored_columns.items():
            lines.append(f"Ignored columns of {file}: {', '.join(columns)}")
        if self.ignored_files:
            lines.append(f"Ignored files (not a contract entity): {', '.join(self.ignored_files)}")
        if self.rejects:
            lines += ["", f"Rejected rows ({len(self.rejects)}):"]
            lines += [f"  {describe_reject(reject)}" for reject in self.rejects[:REPORT_TEXT_REJECTS]]
            if len(self.rejects) > REPORT_TEXT_REJECTS:
                more = len(self.rejects) - REPORT_TEXT_REJECTS
                lines.append(f"  ... and {more} more, all in the rejects table (load_id {self.load_id})")
        return "\n".join(lines)


def describe_reject(reject: Reject) -> str:
    """`orders.csv line 7, due_date '2026-01-01': due_date is before order_date`."""
    where = f"{reject.file} line {reject.line}"
    if reject.column:
        where += f", {reject.column} {reject.value!r}" if reject.value else f", {reject.column} (empty)"
    return f"{where}: {reject.reason}"


@dataclass(frozen=True)
class CheckedFile:
    """One file, read and checked against the contract, not yet against the store.

    `accepted` holds the typed rows without a value problem, in file order, including
    the repeats of a key that `refused` (their `LINE`s) keeps out of the store.
    """

    source: Source
    entity: Entity
    ignored_columns: list[str]
    rows: int
    accepted: pl.DataFrame
    refused: pl.DataFrame
    rejects: pl.DataFrame


def load_folder(
    store: Store,
    folder: Path | str,
    *,
    strict: bool = False,
    header_map: HeaderMap | None = None,
    progress: Progress | None = None,
) -> LoadReport:
    """Load every `<entity>.csv` / `<entity>.xlsx` of a folder (file names are case-insensitive)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise LoadError(f"{folder}: not a folder")
    paths = sorted(path for path in folder.iterdir() if path.is_file() and path.suffix.lower() in SUFFIXES)
    return _load(
        store,
        [Source(name=path.name, path=path) for path in paths if is_contract_file(path.name)],
        ignored_files=[path.name for path in paths if not is_contract_file(path.name)],
        strict=strict,
        header_map=header_map,
        progress=progress,
        source_label=str(folder.resolve()),
    )


def load_sources(
    store: Store,
    sources: list[Source],
    *,
    strict: bool = False,
    header_map: HeaderMap | None = None,
    progress: Progress | None = None,
    source_label: str = "upload",
) -> LoadReport:
    """Load files given as bytes (the dashboard's upload form); names decide the entity as in a folder."""
    return _load(
        store,
        [source for source in sources if is_contract_file(source.name)],
        ignored_files=[source.name for source in sources if not is_contract_file(source.name)],
        strict=strict,
        header_map=header_map,
        progress=progress,
        source_label=source_label,
    )


def is_contract_file(name: str) -> bool:
    """`<entity>.csv` or `<entity>.xlsx`, in any letter case."""
    path = PurePath(name)
    return path.suffix.lower() in SUFFIXES and path.stem.lower() in ENTITIES


def _load(
    store: Store,
    sources: list[Source],
    *,
    ignored_files: list[str],
    strict: bool,
    header_map: HeaderMap | None,
    progress: Progress | None,
    source_label: str,
) -> LoadReport:
    progress = progress or _no_progress
    started_at = dt.datetime.now()
    by_entity = _sources_by_entity(sources)
    # Hashing releases the GIL, so the files are hashed on a thread while they are read and checked.
    hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gendan-sha256")
    try:
        digests = {entity: hashing.submit(source.sha256) for entity, source in by_entity.items()}
        checked = _read_and_check(by_entity, header_map, progress)
        if strict:
            _refuse_rejects(checked, {entity: file.rejects for entity, file in checked.items()})
        with store.write() as con:
            load_id, counts, rejects = _write(con, checked, progress)
            if strict:
                _refuse_rejects(checked, rejects)
            all_rejects = _reject_rows(checked, rejects)
            sha256 = {entity: digest.result() for entity, digest in digests.items()}
            _record_load(con, load_id, started_at, source_label, checked, sha256, counts, all_rejects, strict)
    finally:
        hashing.shutdown(cancel_futures=True)
    return LoadReport(
        load_id=load_id,
        committed=True,
        source=source_label,
        entities=counts,
        rejects=TypeAdapter(list[Reject]).validate_python(all_rejects.drop("entity").to_dicts()),
        ignored_columns={file.source.name: file.ignored_columns for file in checked.values() if file.ignored_columns},
        ignored_files=ignored_files,
    )


def _read_and_check(
    by_entity: dict[str, Source], header_map: HeaderMap | None, progress: Progress
) -> dict[str, CheckedFile]:
    """Open every file (a bad one fails the load before anything is written), then check their rows."""
    tables = {}
    for done, (entity, source) in enumerate(by_entity.items()):
        progress("read", done, len(by_entity))
        tables[entity] = open_table(source)
    progress("read", len(by_entity), len(by_entity))
    total_rows = sum(table.rows for table in tables.values())
    checked: dict[str, CheckedFile] = {}
    rows_checked = 0

    def batch_progress(rows: int) -> None:
        nonlocal rows_checked
        progress("check", min(rows_checked, total_rows), total_rows)
        rows_checked += rows

    for position, (entity, table) in enumerate(tables.items()):
        later = list(tables.values())[position + 1 :]
        checked[entity] = _check_file(by_entity[entity], ENTITIES[entity], table, later, header_map, batch_progress)
    progress("check", total_rows, total_rows)
    return checked


def _write(
    con: duckdb.DuckDBPyConnection, checked: dict[str, CheckedFile], progress: Progress
) -> tuple[int, dict[str, EntityCounts], dict[str, pl.DataFrame]]:
    """Check references and upsert, entity by entity in load order: (load_id, counts, rejects by entity)."""
    [(load_id,)] = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchall()
    counts, rejects, rows_written = {}, {}, 0
    total = sum(file.accepted.height for file in checked.values())
    for entity, file in checked.items():
        progress("write", rows_written, total)
        refused, reference_rejects = _check_references(con, file.entity, file.accepted, file.refused)
        rejects[entity] = pl.concat([file.rejects, reference_rejects]).sort(LINE)
        upserted = _upsert(con, file.entity, file.accepted, refused, load_id)
        counts[entity] = upserted.model_copy(update={"read": file.rows, "rejected": rejects[entity].height})
        rows_written += file.accepted.height
        checked[entity] = replace(file, accepted=file.accepted.clear())  # written: free its rows for the next
    progress("write", total, total)
    return load_id, counts, rejects


def _no_progress(stage: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def _sources_by_entity(sources: list[Source]) -> dict[str, Source]:
    """Each entity's file, in `LOAD_ORDER`; two files for one entity is an error."""
    found: dict[str, Source] = {}
    for source in sources:
        if source.stem in found:
            raise LoadError(f"{found[source.stem].name} and {source.name} are both {source.stem}; keep one")
        found[source.stem] = source
    if not found:
        expected = ", ".join(f"{name}.csv" for name in LOAD_ORDER)
        raise LoadError(f"no contract files to load (expected one or more of {expected}, or .xlsx)")
    return {entity: found[entity] for entity in LOAD_ORDER if entity in found}


def _check_file(
    source: Source,
    entity: Entity,
    table: RawTable,
    later: list[RawTable],
    header_map: HeaderMap | None,
    batch_progress: Callable[[int], None],
) -> CheckedFile:
    """Check a file's rows batch by batch, then its repeated keys; `later` are the files after it."""
    headers = _match(table, entity, header_map, exact=False)
    if not headers.check.ok or any(column and not table.headers[position] for position, column in headers.positions):
        # A blank header only counts when its column holds a value: learn which do (rare).
        table.read_through()
        headers = _match(table, entity, header_map, exact=True)
    if not headers.check.ok:
        for other in later:  # a file that cannot be read is reported before a header problem, as it always was
            other.read_through()
        raise LoadError(headers.check.problem())
    accepted, problem_keys, rejects, rows = [], [], [], 0
    for batch in table.batches():
        batch_progress(batch.height)
        cells = batch.select(
            *(pl.col(cell_column(position)).alias(column) for position, column in headers.positions if column),
            LINE,
            SURPLUS,
        )
        checked = check_batch(cells, entity)
        accepted.append(checked.accepted)
        problem_keys.append(checked.problem_keys)
        rejects.append(checked.rejects)
        rows += batch.height
    all_accepted = pl.concat(accepted, rechunk=False)
    repeats = repeated_keys(all_accepted, pl.concat(problem_keys), entity)
    return CheckedFile(
        source=source,
        entity=entity,
        ignored_columns=_match(table, entity, header_map, exact=True).check.unknown,
        rows=rows,
        accepted=all_accepted,
        refused=repeats.select(LINE),
        rejects=pl.concat([*rejects, repeats]).sort(LINE),
    )


@dataclass(frozen=True)
class _Matched:
    check: HeaderCheck
    positions: list[tuple[int, str | None]]  # file position -> contract column (None: matches none)


def _match(table: RawTable, entity: Entity, header_map: HeaderMap | None, *, exact: bool) -> _Matched:
    """Match the table's headers; blank headers count if `exact` says their columns hold values, else all count."""
    names = table.column_names(all_blank=not exact)
    check = match_headers(list(names.values()), entity, file=table.name, header_map=header_map)
    return _Matched(check, list(zip(names, check.columns, strict=True)))


def _refuse_rejects(checked: dict[str, CheckedFile], rejects: dict[str, pl.DataFrame]) -> None:
    """`--strict`: any reject fails the whole load, naming the first."""
    total = sum(frame.height for frame in rejects.values())
    if not total:
        return
    entity, frame = next((entity, frame) for entity, frame in rejects.items() if frame.height)
    first = Reject(file=checked[entity].source.name, line=frame[LINE][0], **frame.drop(LINE).row(0, named=True))
    raise LoadError(f"--strict: {total} row(s) rejected, nothing loaded; first: {describe_reject(first)}")


def _check_references(
    con: duckdb.DuckDBPyConnection, entity: Entity, accepted: pl.DataFrame, refused: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows whose references exist neither in this load nor in the store: (`refused` with their `LINE`s, rejects).

    Entities are written in `LOAD_ORDER`, so the target table already holds this load's rows.
    """
    rejects = []
    for reference in entity.references:
        missing = _missing_references(con, reference, accepted, refused)
        refused = pl.concat([refused, missing.select(LINE)])
        rejects.append(
            missing.select(
                LINE,
                pl.lit(", ".join(reference.columns)).alias("column"),
                pl.col("value"),
                pl.format(f"{reference.label} '{{}}' is not in this load or the store", pl.col("value")).alias(
                    "reason"
                ),
                pl.lit(UNKNOWN_REFERENCE).alias("reason_code"),
                pl.lit(reference.label).alias("reason_detail"),
            )
        )
    return refused, pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECT_SCHEMA)


def _missing_references(
    con: duckdb.DuckDBPyConnection, reference: Reference, accepted: pl.DataFrame, refused: pl.DataFrame
) -> pl.DataFrame:
    """`LINE` and the referenced key ("PO1/2") of rows not refused whose reference matches no row of the target.

    Polars joins the incoming rows with the target's key columns: cheaper than handing DuckDB every incoming row.
    """
    columns = list(reference.columns)
    targets = ", ".join(
        f'"{target}" as "{column}"' for column, target in zip(columns, reference.target_columns, strict=True)
    )
    stored = con.sql(f'select {targets} from "{reference.target}"').pl().cast(accepted.select(columns).schema)
    incoming = accepted.lazy().select(LINE, *columns)
    if not refused.is_empty():
        incoming = incoming.join(refused.lazy(), on=LINE, how="anti")
    key = pl.concat_str([pl.col(column).cast(pl.String) for column in columns], separator="/", ignore_nulls=True)
    return incoming.join(stored.lazy(), on=columns, how="anti").select(LINE, key.alias("value")).sort(LINE).collect()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pl.DataFrame) -> Iterator[None]:
    """`frame` visible to SQL on `con` as `name`, for the duration of the block.

    Handed over as Arrow with string views, which share the frame's memory: DuckDB's own
    conversion of a Polars frame copies every string.
    """
    con.register(name, frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        yield
    finally:
        con.unregister(name)


_NOT_REFUSED = f'not exists (select 1 from refused where refused."{LINE}" = incoming."{LINE}")'


def _upsert(
    con: duckdb.DuckDBPyConnection, entity: Entity, accepted: pl.DataFrame, refused: pl.DataFrame, load_id: int
) -> EntityCounts:
    """Replace stored rows whose key is loaded again with different values, insert new keys; skip `refused` rows.

    A row identical to the stored one is left alone, keeping its original load_id, so
    loading the same files twice changes no data table. One join of the incoming rows
    with the stored ones finds the new and changed rows; into an empty table every
    row goes straight in.
    """
    table = f'"{entity.name}"'
    loaded = accepted.height - refused.height
    columns = ", ".join(f'incoming."{column.name}"' for column in entity.columns)
    insert = f"insert into {table} by name select {columns}, $load_id as load_id from incoming"
    [(stored_rows,)] = con.execute(f"select count(*) from {table}").fetchall()
    with registered(con, "incoming", accepted), registered(con, "refused", refused):
        if not stored_rows:
            [(inserted,)] = con.execute(f"{insert} where {_NOT_REFUSED}", {"load_id": load_id}).fetchall()
            return EntityCounts(loaded=loaded, inserted=inserted)
        same_key = " and ".join(f'stored."{name}" = incoming."{name}"' for name in entity.key)
        differs = " or ".join(
            f'stored."{column.name}" is distinct from incoming."{column.name}"'
            for column in entity.columns
            if not column.key
        )
        changes = con.sql(
            f"""
            select incoming."{LINE}", stored.rowid as stored_row
            from incoming left join {table} as stored on {same_key}
            where {_NOT_REFUSED} and (stored.rowid is null or {differs})
            """
        ).pl()
        with registered(con, "changes", changes):
            [(updated,)] = con.execute(
                f"delete from {table} where rowid in (select stored_row from changes where stored_row is not null)"
            ).fetchall()
            [(written,)] = con.execute(
                f'{insert} semi join changes on changes."{LINE}" = incoming."{LINE}"', {"load_id": load_id}
            ).fetchall()
    return EntityCounts(loaded=loaded, inserted=written - updated, updated=updated, unchanged=loaded - written)


def _reject_rows(checked: dict[str, CheckedFile], rejects: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every reject of the load, in load order then line: file, entity, line, column, value and the reason's
    sentence, code and detail."""
    frames = [
        frame.select(
            pl.lit(checked[entity].source.name).alias("file"),
            pl.lit(entity).alias("entity"),
            pl.col(LINE).alias("line"),
            "column",
            "value",
            "reason",
            "reason_code",
            "reason_detail",
        )
        for entity, frame in rejects.items()
    ]
    return pl.concat(frames)


def _record_load(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    started_at: dt.datetime,
    source_label: str,
    checked: dict[str, CheckedFile],
    sha256: dict[str, str],
    counts: dict[str, EntityCounts],
    rejects: pl.DataFrame,
    strict: bool,
) -> None:
    files = [
        LoadedFile(file=file.source.name, entity=entity, sha256=sha256[entity], rows=file.rows)
        for entity, file in checked.items()
    ]
    content_hash = hashlib.sha256("\n".join(f"{file.entity} {file.sha256}" for file in files).encode()).hexdigest()
    con.execute(
        """
        insert into loads (load_id, started_at, finished_at, source, files, content_hash, counts, rejected_rows, strict)
        values ($load_id, $started_at, $finished_at, $source, $files, $content_hash, $counts, $rejected_rows, $strict)
        """,
        {
            "load_id": load_id,
            "started_at": started_at,
            "finished_at": dt.datetime.now(),
            "source": source_label,
            "files": json.dumps([file.model_dump() for file in files], ensure_ascii=False),
            "content_hash": content_hash,
            "counts": json.dumps({entity: entity_counts.model_dump() for entity, entity_counts in counts.items()}),
            "rejected_rows": rejects.height,
            "strict": strict,
        },
    )
    with registered(con, "load_rejects", rejects):
        con.execute(
            """
            insert into rejects by name
            select $load_id as load_id, file, entity, line, "column", value, reason, reason_code, reason_detail
            from load_rejects
            """,
            {"load_id": load_id},
        )
