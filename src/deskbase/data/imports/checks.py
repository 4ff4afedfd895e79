"""Per-batch checks that need the database, each one set-based (one query per batch and
column, never one per row): related records by key or id, upsert targets, unique values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.filters import Restrict
from deskbase.data.imports.batch import Batch
from deskbase.data.imports.mapping import Mapping
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = [
    "ImportState",
    "check_missing",
    "check_required",
    "check_unique",
    "find_targets",
    "resolve_relations",
    "select_in",
]

_CHUNK = 5000  # bound parameters per IN list, well under SQLite's and asyncpg's limits


@dataclass(slots=True)
class ImportState:
    """What the import remembers across batches (never the rows themselves)."""

    max_id: int  # the largest id before the import: larger ones were created by it
    updated: set[int] = field(default_factory=set)  # ids of the records it updated


async def select_in(
    conn: AsyncConnection,
    key: sa.ColumnElement[Any],
    value: sa.ColumnElement[Any],
    keys: Sequence[object],
    scope: sa.ColumnElement[bool] | None = None,
) -> list[tuple[Any, Any]]:
    """(key, value) of every row (within `scope`) whose `key` is one of `keys`: one query
    per 5,000 keys."""
    out: list[tuple[Any, Any]] = []
    items = list(keys)
    for start in range(0, len(items), _CHUNK):
        stmt = sa.select(key, value).where(key.in_(items[start : start + _CHUNK]))
        result = await conn.execute(stmt if scope is None else stmt.where(scope))
        out += [(k, v) for k, v in result]
    return out


async def _pairs(
    conn: AsyncConnection,
    table: sa.Table,
    key: sa.ColumnElement[Any],
    values: list[object],
    scope: sa.ColumnElement[bool] | None = None,
) -> list[tuple[object, int]]:
    return await select_in(conn, key, table.c.id, values, scope)


async def resolve_relations(
    conn: AsyncConnection,
    catalog: Catalog,
    mapping: Mapping,
    batch: Batch,
    visible: Restrict | None = None,
) -> None:
    """Swap related keys (or ids) for the ids of existing target records: many_to_one cells
    hold one, many_to_many cells a list. With `visible` (a role's list scopes), records
    outside it are as good as missing: an import links only to what its user can see."""
    for column, values in zip(mapping.columns, batch.values, strict=True):
        rel = column.field.relation
        if rel is None or rel.kind == "one_to_many":
            continue
        many = rel.kind == "many_to_many"
        wanted = list({k for v in values if v is not None for k in (v if many else [v])})  # type: ignore[attr-defined]
        if not wanted:
            continue
        target = catalog.get(rel.target)
        key = column.lookup.column if column.lookup is not None else target.table.c.id
        assert key is not None
        found: dict[object, int] = {}
        ambiguous: set[object] = set()
        scope = visible(target) if visible is not None else None
        for value, record_id in await _pairs(conn, target.table, key, wanted, scope):
            if value in found and found[value] != record_id:
                ambiguous.add(value)
            found[value] = record_id
        by = column.lookup.name if column.lookup is not None else "id"
        for pos, value in enumerate(values):
            if value is None:
                continue
            for item in value if many else [value]:  # type: ignore[attr-defined]
                if item in ambiguous:
                    batch.fail(pos, column, f"several {rel.target} records have {by} {item!r}", "ambiguous")
                    break
                if item not in found:
                    batch.fail(pos, column, f"no {rel.target} record has {by} {item!r}", "invalid_reference")
                    break
            else:
                values[pos] = [found[k] for k in value] if many else found[value]  # type: ignore[attr-defined]
                continue
            values[pos] = None


async def find_targets(
    conn: AsyncConnection,
    coll: Collection,
    mapping: Mapping,
    batch: Batch,
    state: ImportState,
    update_scope: sa.ColumnElement[bool] | None = None,
) -> None:
    """The existing record of each row, by the key column (one query for the batch).

    A row whose record lies outside `update_scope` (the role's) fails: it may not be updated.
    """
    column, keys = mapping.key, batch.key
    if column is None or keys is None:
        return
    first: dict[object, int] = {}
    for pos, value in enumerate(keys):
        if value is None or pos in batch.bad:
            continue
        if value in first:
            batch.fail(pos, column, f"{value!s} is also on row {batch.rows[first[value]]}", "duplicate_key")
        else:
            first[value] = pos
    key_column = coll.table.c[column.field.name]
    existing = dict(await _pairs(conn, coll.table, key_column, list(first)))
    for value, pos in first.items():
        record_id = existing.get(value)
        if record_id is None:
            if column.field.name == "id":
                batch.fail(pos, column, f"no {coll.name} record has id {value!s}", "not_found")
        elif record_id > state.max_id or record_id in state.updated:
            batch.fail(pos, column, f"{value!s} is also on an earlier row of the file", "duplicate_key")
        else:
            batch.targets[pos] = record_id
    if update_scope is not None:
        ids = [i for i in batch.targets if i is not None]
        inside = {i for _, i in await select_in(conn, coll.table.c.id, coll.table.c.id, ids, update_scope)}
        for pos, record_id in enumerate(batch.targets):
            if record_id is not None and record_id not in inside:
                batch.targets[pos] = None
                batch.fail(pos, column, "outside the records your role may update", "outside_scope")


async def check_unique(conn: AsyncConnection, coll: Collection, mapping: Mapping, batch: Batch) -> None:
    """Unique fields: no value twice in the file, none taken by another record."""
    for column, values in zip(mapping.columns, batch.values, strict=True):
        fld = column.field
        if column.owner is not coll or not fld.unique or fld.column is None or column is mapping.key:
            continue
        first: dict[object, int] = {}
        for pos, value in enumerate(values):
            if value is None or pos in batch.bad:
                continue
            if value in first:
                batch.fail(pos, column, f"{value!s} is also on row {batch.rows[first[value]]}", "unique")
            else:
                first[value] = pos
        for value, record_id in await _pairs(conn, coll.table, fld.column, list(first)):
            at = first.get(value)
            if at is not None and batch.targets[at] != record_id and at not in batch.bad:
                batch.fail(at, column, f"{value!s} is already used by another record", "unique")


def check_required(coll: Collection, mapping: Mapping, batch: Batch) -> None:
    """Empty cells in the columns of required fields."""
    for column, values in zip(mapping.columns, batch.values, strict=True):
        if column.owner is coll and column.field.required:
            for pos, value in enumerate(values):
                if value is None and pos not in batch.bad:
                    batch.fail(pos, column, "this field is required", "required")


def check_missing(coll: Collection, mapping: Mapping, batch: Batch, defaults: Sequence[str]) -> None:
    """New rows (no existing record) need the required fields that the file has no column for."""
    mapped = {c.field.name for c in mapping.columns if c.owner is coll}
    missing = [
        f.name
        for f in coll.fields.values()
        if f.required and f.writable and f.name not in mapped and f.name not in defaults
    ]
    if missing:
        for pos in batch.good():
            if batch.targets[pos] is None:
                batch.fail_field(pos, missing[0], "this field is required and the file has no column for it")
