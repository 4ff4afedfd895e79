"""Fills a new or changed field for the records that already exist (formulas, auto numbers)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel.context import RequestContext
from deskbase.schema.field_types.base import ComputedValue, SequenceFieldType
from deskbase.schema.model import Collection, Field
from deskbase.schema.sequence import take_numbers

__all__ = ["backfill_field"]

_BATCH = 2000


async def backfill_field(
    conn: AsyncConnection, coll: Collection, fld: Field, ctx: RequestContext | None
) -> None:
    if fld.column is None:
        return
    table = coll.table
    if isinstance(fld.type, ComputedValue):
        names = sorted(fld.type.names(fld.options) & {f.name for f in coll.stored_fields()})
        cols = [table.c.id, *(table.c[n] for n in names)]
        rows = (await conn.execute(sa.select(*cols).order_by(table.c.id))).all()
        updates = [
            {"_id": r[0], "_v": fld.type.compute(fld.options, dict(zip(names, r[1:], strict=True)))}
            for r in rows
        ]
        await _update(conn, table, fld.name, updates)
    elif isinstance(fld.type, SequenceFieldType) and ctx is not None:
        ids = (
            (await conn.execute(sa.select(table.c.id).where(fld.column.is_(None)).order_by(table.c.id)))
            .scalars()
            .all()
        )
        if not ids:
            return
        scope = fld.type.scope(fld.options, ctx)
        numbers = await take_numbers(conn, coll.name, fld.name, scope, len(ids))
        updates = [
            {"_id": i, "_v": fld.type.render(fld.options, n, ctx)} for i, n in zip(ids, numbers, strict=True)
        ]
        await _update(conn, table, fld.name, updates)


async def _update(
    conn: AsyncConnection, table: sa.Table, name: str, updates: list[dict[str, object]]
) -> None:
    stmt = table.update().where(table.c.id == sa.bindparam("_id")).values({name: sa.bindparam("_v")})
    for start in range(0, len(updates), _BATCH):
        chunk = updates[start : start + _BATCH]
        if chunk:
            await conn.execute(stmt, chunk)
