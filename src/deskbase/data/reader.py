"""Reads records: one query per page (extensions joined), then batched relation loads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.model import Collection, Field

__all__ = ["Projection", "convert", "fetch_records", "load_many_ids", "project"]

Record = dict[str, JSONValue]
_Converter = Callable[[object, Any], JSONValue] | None  # None: the stored value is already JSON


@dataclass(slots=True)
class _Part:
    key: str
    fields: list[tuple[str, str, _Converter, Any]]  # (field name, label, to_api, options)
    table: sa.FromClause
    on: sa.ColumnElement[bool] | None  # None for the collection's own table
    many: list[Field]
    id_at: int = -1  # the position of `id` among `fields` (set at construction)

    def __post_init__(self) -> None:
        self.id_at = next((i for i, (name, _, _, _) in enumerate(self.fields) if name == "id"), -1)


@dataclass(slots=True)
class Projection:
    """Which columns a read selects, and how each becomes JSON."""

    parts: list[_Part]
    _columns: list[sa.ColumnElement[Any]] | None = None

    def columns(self) -> list[sa.ColumnElement[Any]]:
        if self._columns is None:
            self._columns = [
                part.table.c[name].label(label) for part in self.parts for name, label, _, _ in part.fields
            ]
        return list(self._columns)

    def select_from(self, base: sa.FromClause) -> sa.FromClause:
        joined = base
        for part in self.parts[1:]:
            assert part.on is not None
            joined = joined.outerjoin(part.table, part.on)
        return joined


_MEMO: dict[tuple[int, tuple[str, ...] | None], tuple[Collection, Projection]] = {}
_MEMO_SIZE = 512


def project(coll: Collection, names: Sequence[str] | None) -> Projection:
    """The projection for `fields=` (None: every field and every extension).

    A name is a field, an extension (all its fields) or `extension.field`. Projections are
    remembered per collection object (a schema change builds new ones) and field list.
    """
    key = (id(coll), None if names is None else tuple(names))
    hit = _MEMO.get(key)
    if hit is not None and hit[0] is coll:  # (the entry holds `coll`: its id is not reused)
        return hit[1]
    projection = _project(coll, names)
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[key] = (coll, projection)
    return projection


def _project(coll: Collection, names: Sequence[str] | None) -> Projection:
    wanted = None if names is None else set(names) | {"id"}
    partial: dict[str, set[str]] = {}
    if wanted is not None:
        unknown = []
        for n in wanted:
            head, dot, rest = n.partition(".")
            ext = coll.extensions.get(head) if dot else None
            if ext is not None and rest in ext.fields:
                partial.setdefault(head, {"id"}).add(rest)
            elif dot or (n not in coll.fields and n not in coll.extensions):
                unknown.append(n)
        if unknown:
            raise ValidationFailed(
                f"Unknown fields: {', '.join(sorted(unknown))}",
                errors=[FieldError(f"fields.{n}", "unknown field", "unknown_field") for n in sorted(unknown)],
            )
    parts = [_part(coll, "", coll.table, None, wanted)]
    for i, (ext_name, ext) in enumerate(sorted(coll.extensions.items())):
        whole = wanted is None or ext_name in wanted
        if (not whole and ext_name not in partial) or ext.extends is None:
            continue
        alias = ext.table.alias(f"x{i}")
        disc = coll.table.c[ext.extends.discriminator]
        on = sa.and_(alias.c.id == coll.table.c.id, disc == ext.extends.value)
        parts.append(_part(ext, ext_name, alias, on, None if whole else partial[ext_name]))
    return Projection(parts)


def _part(
    coll: Collection,
    key: str,
    table: sa.FromClause,
    on: sa.ColumnElement[bool] | None,
    wanted: set[str] | None,
) -> _Part:
    fields: list[tuple[str, str, _Converter, Any]] = []
    many: list[Field] = []
    prefix = f"{key}__" if key else ""
    for fld in coll.fields.values():
        if wanted is not None and fld.name not in wanted:
            continue
        if fld.column is not None:
            to_api = None if fld.type.native_api else fld.type.to_api
            fields.append((fld.name, prefix + fld.name, to_api, fld.options))
        elif fld.relation is not None and fld.relation.kind == "many_to_many":
            many.append(fld)
    return _Part(key, fields, table, on, many)


def convert(projection: Projection, row: Sequence[Any]) -> Record:
    """A record from a row of `projection.columns()` (in that order; more columns may follow)."""
    record: Record = {}
    at = 0
    for name, _, to_api, options in projection.parts[0].fields:
        value = row[at]
        at += 1
        record[name] = value if value is None or to_api is None else to_api(value, options)
    for part in projection.parts[1:]:
        values = row[at : at + len(part.fields)]
        at += len(part.fields)
        if values[part.id_at] is None:
            continue  # the record is not of this extension's type
        ext: Record = {}
        for (name, _, to_api, options), value in zip(part.fields, values, strict=True):
            if name != "id":
                ext[name] = value if value is None or to_api is None else to_api(value, options)
        record[part.key] = ext
    return record


async def fetch_records(
    conn: AsyncConnection,
    coll: Collection,
    projection: Projection,
    where: sa.ColumnElement[bool] | None = None,
    *,
    order_by: Sequence[sa.ColumnElement[Any]] = (),
    joins: Sequence[tuple[sa.FromClause, sa.ColumnElement[bool]]] = (),
    extra: Sequence[sa.ColumnElement[Any]] = (),
    limit: int | None = None,
    offset: int | None = None,
) -> tuple[list[Record], list[tuple[Any, ...]]]:
    """Records (with many-to-many ids) and, for each, the values of the `extra` columns."""
    source = projection.select_from(coll.table)
    for table, on in joins:
        source = source.outerjoin(table, on)
    columns = projection.columns()
    stmt = sa.select(*columns, *extra).select_from(source)
    if where is not None:
        stmt = stmt.where(where)
    if order_by:
        stmt = stmt.order_by(*order_by)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = (await conn.execute(stmt)).all()
    records = [convert(projection, row) for row in rows]
    for part in projection.parts:
        for fld in part.many:
            await load_many_ids(conn, fld, records, part.key)
    return records, [tuple(row[len(columns) :]) for row in rows] if extra else []


async def load_many_ids(conn: AsyncConnection, fld: Field, records: list[Record], key: str = "") -> None:
    """Fill a many_to_many field with its related ids, one query for the whole page."""
    assert fld.relation is not None
    assert fld.relation.junction is not None
    owners = [r[key] if key else r for r in records]
    ids = [o["id"] for o in owners if isinstance(o, dict)]
    by_source: dict[object, list[JSONValue]] = {i: [] for i in ids}
    if ids:
        junction = fld.relation.junction
        stmt = (
            sa.select(junction.c.source_id, junction.c.target_id)
            .where(junction.c.source_id.in_(ids))
            .order_by(junction.c.source_id, junction.c.target_id)
        )
        for source_id, target_id in await conn.execute(stmt):
            by_source[source_id].append(target_id)
    for owner in owners:
        if isinstance(owner, dict):
            owner[fld.name] = by_source.get(owner["id"], [])
