"""Who may download an attachment: its uploader, an admin, or a reader of a record holding it."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.access.guard import Guard
from deskbase.kernel.context import RequestContext
from deskbase.schema.model import Collection, Field

__all__ = ["can_download"]


def _holds(column: sa.ColumnElement[Any], attachment_id: int, dialect: str) -> sa.ColumnElement[bool]:
    """The attachment column (a JSON list of `{id, …}`) holds `attachment_id`."""
    if dialect == "postgresql":
        return column.contains([{"id": attachment_id}])
    items = sa.func.json_each(column).table_valued("value").alias("items")
    return sa.exists(
        sa.select(sa.literal(1))
        .select_from(items)
        .where(sa.func.json_extract(items.c.value, "$.id") == attachment_id)
    )


def _file_fields(coll: Collection) -> list[Field]:
    return [f for f in coll.fields.values() if f.value_kind == "file" and f.column is not None]


async def can_download(
    conn: AsyncConnection,
    ctx: RequestContext,
    guard: Guard,
    attachment_id: int,
    uploaded_by: int | None,
    dialect: str,
) -> bool:
    """Whether the actor may read the file: as its uploader, or because a record they may
    `get` holds it in a field they may read (the record scope applies)."""
    actor = ctx.actor
    if actor.is_admin or (uploaded_by is not None and uploaded_by == actor.id):
        return True
    for coll in guard.catalog:
        fields = _file_fields(coll)
        if not fields or not guard.allows(ctx, coll, "get"):
            continue
        grant = guard.grant(ctx, coll, "get")
        # an extension's fields are read through its master's rules (`ext.field`)
        readable = [f for f in fields if grant.allows(f.name)]
        if not readable:
            continue
        holds = sa.or_(*(_holds(f.column, attachment_id, dialect) for f in readable if f.column is not None))
        stmt = sa.select(coll.table.c.id).where(holds)
        scope = guard.where(ctx, grant)
        if scope is not None:
            stmt = stmt.where(scope)
        if (await conn.execute(stmt.limit(1))).first() is not None:
            return True
    return False
