"""Checks that need the database: related ids exist, unique values are free, files are known."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.filters import Restrict
from deskbase.data.payload import Prepared
from deskbase.kernel import tables as t
from deskbase.kernel.errors import FieldError
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.field_types.file import AttachmentFieldType, AttachmentOptions
from deskbase.schema.model import Collection, Field

__all__ = ["check_references", "check_unique", "resolve_files"]

_CHUNK = 900


async def _existing(
    conn: AsyncConnection,
    column: sa.ColumnElement[object],
    values: set[object],
    scope: sa.ColumnElement[bool] | None = None,
) -> set[object]:
    found: set[object] = set()
    items = list(values)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        stmt = sa.select(column).where(column.in_(chunk))
        if scope is not None:
            stmt = stmt.where(scope)
        found.update((await conn.execute(stmt)).scalars())
    return found


async def check_references(
    conn: AsyncConnection,
    catalog: Catalog,
    coll: Collection,
    rows: list[tuple[int | None, Prepared]],
    prefix: str = "",
    visible: Restrict | None = None,
) -> list[FieldError]:
    """Every related id named in `rows` must exist in its target collection.

    With `visible` (a role's list scope per collection), an id outside it is reported just
    like a missing one: a user cannot link to, or learn of, a record they cannot see.
    """
    wanted: dict[str, set[object]] = defaultdict(set)
    for _, prep in rows:
        for fld in coll.fields.values():
            if fld.relation is None:
                continue
            if fld.relation.kind == "many_to_one" and prep.values.get(fld.name) is not None:
                wanted[fld.name].add(prep.values[fld.name])
            elif fld.name in prep.links:
                wanted[fld.name].update(prep.links[fld.name])
    errors: list[FieldError] = []
    for name, ids in wanted.items():
        rel = coll.fields[name].relation
        assert rel is not None
        target = catalog.get(rel.target)
        scope = visible(target) if visible is not None else None
        missing = ids - await _existing(conn, target.table.c.id, ids, scope)
        if not missing:
            continue
        for index, prep in rows:
            named = {prep.values.get(name)} | set(prep.links.get(name, []))
            for bad in sorted(m for m in named & missing if isinstance(m, int)):
                errors.append(
                    FieldError(
                        prefix + name,
                        f"{rel.target} record {bad} does not exist",
                        "invalid_reference",
                        index,
                    )
                )
    return errors


async def check_unique(
    conn: AsyncConnection,
    coll: Collection,
    rows: list[tuple[int | None, Prepared]],
    exclude_id: object = None,
    prefix: str = "",
) -> list[FieldError]:
    errors: list[FieldError] = []
    for fld in coll.fields.values():
        if not fld.unique or fld.column is None:
            continue
        seen: dict[object, int | None] = {}
        for index, prep in rows:
            value = prep.values.get(fld.name)
            if value is None:
                continue
            if value in seen:
                errors.append(
                    FieldError(
                        prefix + fld.name,
                        f"{value!s} is given twice in this request",
                        "unique",
                        index,
                    )
                )
            seen[value] = index
        if not seen:
            continue
        column = fld.column
        query = sa.select(column).where(column.in_(list(seen)))
        if exclude_id is not None:
            query = query.where(coll.table.c.id != exclude_id)
        taken = set((await conn.execute(query)).scalars())
        for value in taken:
            if value in seen:
                errors.append(
                    FieldError(
                        prefix + fld.name,
                        f"{value!s} is already used by another record",
                        "unique",
                        seen[value],
                    )
                )
    return errors


def _accepts(fld: Field, mime_type: str) -> bool:
    ftype, options = fld.type, fld.options
    return not isinstance(ftype, AttachmentFieldType) or (
        isinstance(options, AttachmentOptions) and ftype.accepts(mime_type, options)
    )


async def resolve_files(
    conn: AsyncConnection,
    coll: Collection,
    rows: list[tuple[int | None, Prepared]],
    prefix: str = "",
    uploader: int | None = None,
    kept: frozenset[int] = frozenset(),
) -> list[FieldError]:
    """Swap attachment ids for their metadata; unknown ids and refused types are errors.

    With `uploader` (a user who is not an admin), only their own uploads, or files the
    record already holds (`kept`), may be attached: no one reaches another's file by id.
    """
    ids = {i for _, prep in rows for values in prep.files.values() for i in values}
    meta: dict[int, dict[str, JSONValue]] = {}
    if ids:
        query = sa.select(
            t.attachments.c.id,
            t.attachments.c.filename,
            t.attachments.c.size,
            t.attachments.c.mime_type,
        )
        query = query.where(t.attachments.c.id.in_(ids))
        if uploader is not None:
            query = query.where(sa.or_(t.attachments.c.created_by == uploader, t.attachments.c.id.in_(kept)))
        for row in await conn.execute(query):
            meta[row.id] = {
                "id": row.id,
                "filename": row.filename,
                "size": row.size,
                "mime_type": row.mime_type,
            }
    errors: list[FieldError] = []
    for index, prep in rows:
        for name, values in prep.files.items():
            fld = coll.fields[name]
            items: list[JSONValue] = []
            for i in values:
                item = meta.get(i)
                if item is None:
                    errors.append(
                        FieldError(
                            prefix + name,
                            f"attachment {i} does not exist",
                            "invalid_reference",
                            index,
                        )
                    )
                elif not _accepts(fld, str(item["mime_type"])):
                    errors.append(
                        FieldError(
                            prefix + name,
                            f"{item['mime_type']} files are not accepted",
                            "invalid_type",
                            index,
                        )
                    )
                else:
                    items.append(item)
            prep.values[name] = items or None
    return errors
