"""Which file column is which contract column.

A header matches a contract column by its English name or Chinese alias, compared
after `normalise_header`. Exports whose headers are the factory's own ("Order Id",
"buyer") are mapped by a header map, kept as TOML so it can be reused every day:

    [orders]
    "Order Id" = "order_no"
"""

from __future__ import annotations

import difflib
import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, RootModel, ValidationError, model_validator

from etl.contract import ENTITIES, Column, Entity
from etl.read import LoadError, Source, normalise_header, read_headers

SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.5


class HeaderMap(RootModel[dict[str, dict[str, str]]]):
    """Per entity, a file's own header -> the contract column it holds."""

    root: dict[str, dict[str, str]]

    @model_validator(mode="after")
    def _names_exist(self) -> HeaderMap:
        for entity_name, headers in self.root.items():
            if entity_name not in ENTITIES:
                raise ValueError(f"[{entity_name}] is not an entity (expected one of {', '.join(ENTITIES)})")
            columns = {column.name for column in ENTITIES[entity_name].columns}
            for header, column in headers.items():
                if column not in columns:
                    raise ValueError(f"[{entity_name}] {header!r} = {column!r}: {entity_name} has no column {column!r}")
        return self

    def columns_by_header(self, entity: str) -> dict[str, str]:
        """Normalised header -> contract column, for one entity."""
        return {normalise_header(header): column for header, column in self.root.get(entity, {}).items()}


def load_header_map(path: Path) -> HeaderMap:
    """Read a TOML header map; `LoadError` with one line if it is not valid."""
    try:
        return HeaderMap.model_validate(tomllib.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise LoadError(f"{Path(path).name}: not a readable TOML header map ({error})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = " ".join(str(part) for part in first["loc"])
        reason = first["msg"].removeprefix("Value error, ")
        raise LoadError(f"{Path(path).name}: {where + ': ' if where else ''}{reason}") from None


def header_map_toml(header_map: HeaderMap) -> str:
    """The header map as TOML text, in the form `load_header_map` reads."""
    sections = []
    for entity, headers in header_map.root.items():
        # A JSON string is a valid TOML basic string: same quotes, same escapes.
        lines = [
            f"{json.dumps(header, ensure_ascii=False)} = {json.dumps(column)}" for header, column in headers.items()
        ]
        sections.append("\n".join([f"[{entity}]", *lines]))
    return "\n\n".join(sections) + "\n"


def save_header_map(header_map: HeaderMap, path: Path) -> None:
    """Write the header map as a TOML file (the upload form saves the mapping a user chose)."""
    Path(path).write_text(header_map_toml(header_map), encoding="utf-8")


class HeaderCheck(BaseModel):
    """How a file's header lines up with an entity's contract columns."""

    file: str
    entity: str
    headers: list[str]
    columns: list[str | None]  # the contract column of each file column, None when it matches none
    missing_required: list[str]
    missing_optional: list[str]
    duplicates: dict[str, list[str]]  # contract column -> the several headers that claim it
    suggestions: dict[str, list[str]]  # missing contract column -> closest unmatched headers, best first

    @property
    def matched(self) -> dict[str, str]:
        return {header: column for header, column in zip(self.headers, self.columns, strict=True) if column}

    @property
    def unknown(self) -> list[str]:
        """Headers that match no column: ignored by a load, and listed in its report."""
        return [header for header, column in zip(self.headers, self.columns, strict=True) if column is None]

    @property
    def ok(self) -> bool:
        return not self.missing_required and not self.duplicates

    def problem(self) -> str:
        """The one-line reason this header cannot be loaded (call only when not `ok`)."""
        if self.duplicates:
            column, headers = next(iter(self.duplicates.items()))
            return f"{self.file}: several columns mean {column!r} ({', '.join(map(repr, headers))}); keep one"
        first, *others = self.missing_required
        column = ENTITIES[self.entity].column(first)
        closest = self.suggestions.get(first)
        hint = "closest headers: " + ", ".join(map(repr, closest)) if closest else "no similar header"
        also = "; also missing: " + ", ".join(map(repr, others)) if others else ""
        return f"{self.file}: required column {first!r} ({column.alias}) is missing; {hint}{also}"


def match_headers(
    headers: list[str] | tuple[str, ...], entity: Entity, *, file: str, header_map: HeaderMap | None = None
) -> HeaderCheck:
    """Match each header to a contract column: the header map first, then names and aliases."""
    by_spelling = {
        normalise_header(spelling): column.name for column in entity.columns for spelling in (column.name, column.alias)
    }
    if header_map is not None:
        by_spelling |= header_map.columns_by_header(entity.name)
    columns = [by_spelling.get(normalise_header(header)) for header in headers]
    claimed: dict[str, list[str]] = {}
    for header, column in zip(headers, columns, strict=True):
        if column:
            claimed.setdefault(column, []).append(header)
    missing = [column for column in entity.columns if column.name not in claimed]
    unmatched = [header for header, column in zip(headers, columns, strict=True) if column is None]
    closest = {column.name: _closest(column, unmatched) for column in missing}
    return HeaderCheck(
        file=file,
        entity=entity.name,
        headers=list(headers),
        columns=columns,
        missing_required=[column.name for column in missing if column.required],
        missing_optional=[column.name for column in missing if not column.required],
        duplicates={column: found for column, found in claimed.items() if len(found) > 1},
        suggestions={column: found for column, found in closest.items() if found},
    )


def inspect_headers(source: Source, entity: str, header_map: HeaderMap | None = None) -> HeaderCheck:
    """Read a file's header and match it to an entity, for the upload form's mapping step."""
    return match_headers(read_headers(source), ENTITIES[entity], file=source.name, header_map=header_map)


def _closest(column: Column, headers: list[str]) -> list[str]:
    """Unmatched headers most like the column's name or alias (difflib ratio), best first."""
    spellings = (column.name, column.name.replace("_", " "), column.alias)

    def likeness(header: str) -> float:
        text = normalise_header(header).replace("_", " ")
        return max(difflib.SequenceMatcher(None, text, spelling.casefold()).ratio() for spelling in spellings)

    scored = sorted(((likeness(header), header) for header in headers), key=lambda pair: -pair[0])
    return [header for score, header in scored[:SUGGESTIONS] if score >= SUGGESTION_CUTOFF]
