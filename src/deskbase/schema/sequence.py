"""Gap-free counters for auto numbers: one row per (collection, field, scope).

The increment is an upsert inside the writer's transaction, so a rolled-back insert gives
its number back and concurrent writers queue on the counter row.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t

__all__ = ["take_numbers"]


async def take_numbers(conn: AsyncConnection, collection: str, field: str, scope: str, count: int) -> range:
    """Reserve `count` consecutive numbers and return them."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    base = insert(t.sequences).values(collection=collection, field=field, scope=scope, value=count)
    stmt = base.on_conflict_do_update(
        index_elements=[t.sequences.c.collection, t.sequences.c.field, t.sequences.c.scope],
        set_={"value": t.sequences.c.value + count},
    ).returning(t.sequences.c.value)
    last = (await conn.execute(stmt)).scalar_one()
    return range(last - count + 1, last + 1)
