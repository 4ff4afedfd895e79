"""Writing the audit log: one row per write, in the transaction of the write itself.

Every layer records through these two functions, so a rolled-back write leaves no entry and
a committed one always has its entry. Nothing here updates or deletes a row: the log is
append-only, and no route or service changes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.statements import one_row_insert
from deskbase.kernel.types import JSONValue

__all__ = ["Entry", "record", "record_many"]

_COLUMNS = tuple(c.name for c in t.audit.columns if c.name != "id")  # what one entry sets


@dataclass(frozen=True, slots=True)
class Entry:
    """One write: `changes` maps each changed field to its value before and after."""

    action: str
    collection: str | None = None
    record_id: int | None = None
    changes: dict[str, tuple[JSONValue, JSONValue]] | None = None
    detail: dict[str, JSONValue] | None = None


def _row(ctx: RequestContext, entry: Entry, at: datetime) -> dict[str, object]:
    return {
        "at": at,
        "actor_id": ctx.actor.id,
        "actor_email": ctx.actor.email or None,
        "source": ctx.source,
        "action": entry.action,
        "collection": entry.collection,
        "record_id": entry.record_id,
        "changes": {k: [before, after] for k, (before, after) in entry.changes.items()}
        if entry.changes is not None
        else None,
        "detail": entry.detail,
    }


async def record(conn: AsyncConnection, ctx: RequestContext, entry: Entry) -> None:
    # One row, on every write: a statement compiled once per dialect (kernel/statements.py).
    row = _row(ctx, entry, datetime.now(UTC))
    await one_row_insert(t.audit, conn.dialect, _COLUMNS).run(conn, row)


async def record_many(conn: AsyncConnection, ctx: RequestContext, entries: Sequence[Entry]) -> None:
    if len(entries) == 1:  # a plain execute: an executemany of one row costs more
        await record(conn, ctx, entries[0])
    elif entries:
        at = datetime.now(UTC)
        await conn.execute(t.audit.insert(), [_row(ctx, e, at) for e in entries])
