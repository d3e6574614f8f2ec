"""`gendan load`: contract files -> checked rows -> an upsert by key, published atomically.

A load reads and checks every file first (outside the store's write lock), then, in one
`store.write()` block, checks references, upserts entity by entity in `LOAD_ORDER` and
records the load and its rejects. Anything that goes wrong before the block ends —
a bad file, `--strict` with a reject, a crash — leaves the published store untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

import duckdb
import polars as pl
from pydantic import BaseModel, TypeAdapter

from etl.contract import ENTITIES, LOAD_ORDER, Entity, Reference
from etl.mapping import HeaderMap, match_headers
from etl.parse import REJECT_SCHEMA, ParsedTable, parse_table, registered
from etl.read import LINE, SUFFIXES, SURPLUS, LoadError, RawTable, Source, cell_column, read_table
from warehouse.store import DUCKDB_CONFIG, Store

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
    """A row kept out of the store, and why; `line` is where the record starts in the file."""

    file: str
    line: int
    column: str | None
    value: str | None
    reason: str


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
    """One file, read and checked against the contract, not yet against the store."""

    source: Source
    entity: Entity
    ignored_columns: list[str]
    rows: int
    parsed: ParsedTable


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
        [Source(name=path.name, data=path.read_bytes()) for path in paths if is_contract_file(path.name)],
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
    checked = _read_and_check(_sources_by_entity(sources), header_map, progress)
    if strict:
        _refuse_rejects(checked, {entity: file.parsed.rejects for entity, file in checked.items()})
    with store.write() as con:
        load_id, counts, rejects = _write(con, checked, progress)
        if strict:
            _refuse_rejects(checked, rejects)
        all_rejects = _reject_rows(checked, rejects)
        _record_load(con, load_id, started_at, source_label, checked, counts, all_rejects, strict)
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
    """Read every file (a bad one fails the load before anything is written), then check their rows."""
    tables = {}
    for done, (entity, source) in enumerate(by_entity.items()):
        progress("read", done, len(by_entity))
        tables[entity] = read_table(source)
    progress("read", len(by_entity), len(by_entity))
    total_rows = sum(table.frame.height for table in tables.values())
    checked, rows_checked = {}, 0
    with duckdb.connect(config=DUCKDB_CONFIG) as scratch:
        for entity, table in tables.items():
            progress("check", rows_checked, total_rows)
            checked[entity] = _check_file(by_entity[entity], ENTITIES[entity], table, header_map, scratch)
            rows_checked += table.frame.height
    progress("check", total_rows, total_rows)
    return checked


def _write(
    con: duckdb.DuckDBPyConnection, checked: dict[str, CheckedFile], progress: Progress
) -> tuple[int, dict[str, EntityCounts], dict[str, pl.DataFrame]]:
    """Check references and upsert, entity by entity in load order: (load_id, counts, rejects by entity)."""
    [(load_id,)] = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchall()
    counts, rejects, rows_written = {}, {}, 0
    total = sum(file.parsed.accepted.height for file in checked.values())
    for entity, file in checked.items():
        progress("write", rows_written, total)
        accepted, reference_rejects = _check_references(con, file.entity, file.parsed.accepted)
        rejects[entity] = pl.concat([file.parsed.rejects, reference_rejects]).sort(LINE)
        upserted = _upsert(con, file.entity, accepted, load_id)
        counts[entity] = upserted.model_copy(update={"read": file.rows, "rejected": rejects[entity].height})
        rows_written += file.parsed.accepted.height
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
    source: Source, entity: Entity, table: RawTable, header_map: HeaderMap | None, scratch: duckdb.DuckDBPyConnection
) -> CheckedFile:
    headers = match_headers(table.headers, entity, file=source.name, header_map=header_map)
    if not headers.ok:
        raise LoadError(headers.problem())
    cells = table.frame.select(
        *(pl.col(cell_column(position)).alias(column) for position, column in enumerate(headers.columns) if column),
        LINE,
        SURPLUS,
    )
    return CheckedFile(source, entity, headers.unknown, table.frame.height, parse_table(cells, entity, scratch))


def _refuse_rejects(checked: dict[str, CheckedFile], rejects: dict[str, pl.DataFrame]) -> None:
    """`--strict`: any reject fails the whole load, naming the first."""
    total = sum(frame.height for frame in rejects.values())
    if not total:
        return
    entity, frame = next((entity, frame) for entity, frame in rejects.items() if frame.height)
    first = Reject(file=checked[entity].source.name, line=frame[LINE][0], **frame.drop(LINE).row(0, named=True))
    raise LoadError(f"--strict: {total} row(s) rejected, nothing loaded; first: {describe_reject(first)}")


def _check_references(
    con: duckdb.DuckDBPyConnection, entity: Entity, accepted: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split accepted rows into those whose references exist (in this load or the store) and rejects.

    Entities are written in `LOAD_ORDER`, so the target table already holds this load's rows.
    """
    rejects = []
    for reference in entity.references:
        missing = _missing_references(con, reference, accepted)
        accepted = accepted.join(missing, on=LINE, how="anti")
        rejects.append(
            missing.select(
                LINE,
                pl.lit(", ".join(reference.columns)).alias("column"),
                pl.col("value"),
                pl.format(f"{reference.label} '{{}}' is not in this load or the store", pl.col("value")).alias(
                    "reason"
                ),
            )
        )
    return accepted, pl.concat(rejects) if rejects else pl.DataFrame(schema=REJECT_SCHEMA)


def _missing_references(con: duckdb.DuckDBPyConnection, reference: Reference, accepted: pl.DataFrame) -> pl.DataFrame:
    """`LINE` and the referenced key ("PO1/2") of rows whose reference matches no row of the target."""
    matches = " and ".join(
        f'target."{target}" = incoming."{column}"'
        for column, target in zip(reference.columns, reference.target_columns, strict=True)
    )
    key = ", ".join(f'incoming."{column}"' for column in reference.columns)
    with registered(con, "incoming", accepted):
        return con.sql(
            f"""
            select incoming."{LINE}", concat_ws('/', {key}) as value
            from incoming
            where not exists (select 1 from "{reference.target}" as target where {matches})
            """
        ).pl()


def _upsert(con: duckdb.DuckDBPyConnection, entity: Entity, accepted: pl.DataFrame, load_id: int) -> EntityCounts:
    """Replace stored rows whose key is loaded again with different values, insert new keys.

    A row identical to the stored one is left alone, keeping its original load_id, so
    loading the same files twice changes no data table.
    """
    table = f'"{entity.name}"'
    same_key = " and ".join(f'stored."{name}" = incoming."{name}"' for name in entity.key)
    differs = " or ".join(
        f'stored."{column.name}" is distinct from incoming."{column.name}"'
        for column in entity.columns
        if not column.key
    )
    columns = ", ".join(f'incoming."{column.name}"' for column in entity.columns)
    with registered(con, "incoming", accepted):
        [(updated,)] = con.execute(
            f"delete from {table} as stored using incoming where {same_key} and ({differs})"
        ).fetchall()
        [(written,)] = con.execute(
            f"""
            insert into {table} by name
            select {columns}, $load_id as load_id
            from incoming
            where not exists (select 1 from {table} as stored where {same_key})
            """,
            {"load_id": load_id},
        ).fetchall()
    return EntityCounts(
        loaded=accepted.height,
        inserted=written - updated,
        updated=updated,
        unchanged=accepted.height - written,
    )


def _reject_rows(checked: dict[str, CheckedFile], rejects: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Every reject of the load, in load order then line: file, entity, line, column, value, reason."""
    frames = [
        frame.select(
            pl.lit(checked[entity].source.name).alias("file"),
            pl.lit(entity).alias("entity"),
            pl.col(LINE).alias("line"),
            "column",
            "value",
            "reason",
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
    counts: dict[str, EntityCounts],
    rejects: pl.DataFrame,
    strict: bool,
) -> None:
    files = [
        LoadedFile(file=file.source.name, entity=entity, sha256=file.source.sha256, rows=file.rows)
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
            select $load_id as load_id, file, entity, line, "column", value, reason
            from load_rejects
            """,
            {"load_id": load_id},
        )
