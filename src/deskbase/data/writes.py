"""Record writes, piece by piece: extension rows, generated and computed values, sequence
numbers, inserts and relation links; used by RecordService inside its transactions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.payload import Prepared, prepare
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.statements import one_row_insert
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.field_types.base import ComputedValue, GeneratedValue, SequenceFieldType
from deskbase.schema.model import Collection
from deskbase.schema.sequence import take_numbers

__all__ = [
    "Rows",
    "both",
    "compute",
    "file_ids",
    "generate",
    "insert",
    "insert_returning",
    "link",
    "number",
    "plan_extension",
    "raise_errors",
    "written",
]

Rows = list[tuple[int | None, Prepared]]


def plan_extension(
    coll: Collection,
    payload: dict[str, Any],
    prep: Prepared,
    index: int | None,
    current: dict[str, Any] | None,
) -> Collection | None:
    """Prepare the extension part of a master write; return the extension whose row must go."""
    if not coll.extensions:
        return None
    exts = list(coll.extensions.values())
    disc_name = exts[0].extends.discriminator if exts[0].extends else ""
    old_value = current.get(disc_name) if current else None
    new_value = prep.values.get(disc_name, old_value)
    changed = current is not None and disc_name in prep.values and new_value != old_value
    gone = None
    for ext in exts:
        assert ext.extends is not None
        sent = ext.name in payload
        matches = ext.extends.value == new_value
        if sent and not matches:
            prep.errors.append(
                FieldError(
                    ext.name,
                    f"{ext.name} fields need {disc_name} = {ext.extends.value!r}",
                    "extension_mismatch",
                    index,
                )
            )
        elif matches and (current is None or changed or sent):
            creating = current is None or changed
            sub = payload.get(ext.name) or {}
            prep.extension = (
                ext,
                prepare(ext, sub, creating=creating, index=index, prefix=f"{ext.name}."),
            )
        if changed and ext.extends.value == old_value:
            gone = ext
    return gone


def generate(coll: Collection, rows: Rows, ctx: RequestContext, *, creating: bool) -> None:
    for fld in coll.fields.values():
        gen = fld.type
        if isinstance(gen, GeneratedValue) and (gen.on_create if creating else gen.on_update):
            value = gen.generate(ctx)
            for _, prep in rows:
                prep.values[fld.name] = value


async def number(conn: AsyncConnection, coll: Collection, rows: Rows, ctx: RequestContext) -> None:
    for fld in coll.fields.values():
        seq = fld.type
        if not isinstance(seq, SequenceFieldType):
            continue
        scope = seq.scope(fld.options, ctx)
        numbers = await take_numbers(conn, coll.name, fld.name, scope, len(rows))
        for n, (_, prep) in zip(numbers, rows, strict=True):
            prep.values[fld.name] = seq.render(fld.options, n, ctx)


def compute(coll: Collection, prep: Prepared, current: dict[str, Any]) -> None:
    for fld in coll.fields.values():
        if isinstance(fld.type, ComputedValue):
            merged = {**current, **prep.values}
            prep.values[fld.name] = fld.type.compute(fld.options, merged)


async def insert(
    conn: AsyncConnection,
    table: sa.Table,
    rows: list[dict[str, object]],
    returning: bool = True,
) -> list[Any]:
    if not returning:
        keys = sorted({k for row in rows for k in row})
        await conn.execute(table.insert(), [{k: row.get(k) for k in keys} for row in rows])
        return []
    return [row[0] for row in await insert_returning(conn, table, rows, [table.c.id])]


async def insert_returning(
    conn: AsyncConnection,
    table: sa.Table,
    rows: list[dict[str, object]],
    columns: list[sa.ColumnElement[Any]],
) -> list[Sequence[Any]]:
    """Insert the rows and return `columns` of each (in that order), in the rows' order."""
    keys = sorted({k for row in rows for k in row})
    if not keys:
        stmt = table.insert().returning(*columns)
        return [(await conn.execute(stmt)).one() for _ in rows]
    full = [{k: row.get(k) for k in keys} for row in rows]
    if len(full) == 1:  # one row: a plain execute (an executemany goes through insertmanyvalues)
        names = _column_names(table, columns)
        if names is not None:  # the table's own columns: a statement compiled once
            returned = await one_row_insert(table, conn.dialect, keys, names).run(conn, full[0])
            assert returned is not None
            return [returned]
        return [(await conn.execute(table.insert().returning(*columns), full[0])).one()]
    stmt = table.insert().returning(*columns, sort_by_parameter_order=True)
    return list((await conn.execute(stmt, full)).all())


def _column_names(table: sa.Table, columns: list[sa.ColumnElement[Any]]) -> list[str] | None:
    """The names of `columns` if each is a column of `table` (labelled or not), else None."""
    names = []
    for col in columns:
        base = col.element if isinstance(col, sa.Label) else col
        if not isinstance(base, sa.Column) or base.table is not table:
            return None
        names.append(base.key)
    return names


async def link(
    catalog: Catalog,
    conn: AsyncConnection,
    coll: Collection,
    record_id: Any,
    prep: Prepared,
    *,
    replace: bool,
) -> None:
    for name, ids in prep.links.items():
        rel = coll.fields[name].relation
        assert rel is not None
        if rel.kind == "many_to_many" and rel.junction is not None:
            junction = rel.junction
            if replace:
                await conn.execute(junction.delete().where(junction.c.source_id == record_id))
            if ids:
                await conn.execute(junction.insert(), [{"source_id": record_id, "target_id": i} for i in ids])
        elif rel.kind == "one_to_many" and rel.inverse:
            target = catalog.get(rel.target)
            inverse = target.table.c[rel.inverse]
            if replace:
                dropped = sa.and_(inverse == record_id, target.table.c.id.not_in(ids) if ids else sa.true())
                if target.fields[rel.inverse].required:
                    left = (await conn.execute(sa.select(sa.func.count()).where(dropped))).scalar_one()
                    if left:
                        raise_errors(
                            [
                                FieldError(
                                    name,
                                    f"{rel.target}.{rel.inverse} is required: "
                                    "move those records instead of unlinking them",
                                    "required",
                                )
                            ]
                        )
                await conn.execute(target.table.update().where(dropped).values({rel.inverse: None}))
            if ids:
                await conn.execute(
                    target.table.update().where(target.table.c.id.in_(ids)).values({rel.inverse: record_id})
                )


def written(coll: Collection, payload: JSONValue) -> list[str]:
    """The known fields a payload writes: `field`, or `extension.field` for nested ones."""
    if not isinstance(payload, dict):
        return []
    names = [k for k in payload if k in coll.fields]
    for ext_name, ext in coll.extensions.items():
        sub = payload.get(ext_name)
        if isinstance(sub, dict):
            names += [f"{ext_name}.{k}" for k in sub if k in ext.fields]
    return names


def both(a: sa.ColumnElement[bool] | None, b: sa.ColumnElement[bool] | None) -> sa.ColumnElement[bool] | None:
    if a is None:
        return b
    return a if b is None else sa.and_(a, b)


def file_ids(coll: Collection, row: dict[str, Any]) -> frozenset[int]:
    """Attachment ids a stored row holds (a master's own file fields)."""
    ids: set[int] = set()
    for fld in coll.fields.values():
        if fld.value_kind == "file" and isinstance(row.get(fld.name), list):
            ids.update(i["id"] for i in row[fld.name] if isinstance(i, dict) and isinstance(i.get("id"), int))
    return frozenset(ids)


def raise_errors(errors: list[FieldError]) -> None:
    if errors:
        detail = "; ".join(
            (f"row {e.index}: " if e.index is not None else "") + f"{e.field}: {e.message}"
            for e in errors[:20]
        )
        raise ValidationFailed(detail, errors=errors)
