"""Writing the audit log: one row per write, in the transaction of the write itself.

Every layer records through these two functions, so a rolled-back write leaves no entry and
a committed one always has its entry. Nothing here updates or deletes a row: the log is
append-only, and no route or service changes it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.types import JSONValue

__all__ = ["Entry", "record", "record_many"]


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
    # One row, on every write: a statement compiled once per dialect and values encoded by the
    # columns' own bind processors, sent to the driver as they are (a Core execute of the same
    # INSERT spends more in SQLAlchemy than in the database: about a sixth of a record's create).
    sql, encoders = _one_row(conn.dialect)
    row = _row(ctx, entry, datetime.now(UTC))
    await conn.exec_driver_sql(sql, tuple(row[name] if f is None else f(row[name]) for name, f in encoders))


async def record_many(conn: AsyncConnection, ctx: RequestContext, entries: Sequence[Entry]) -> None:
    if len(entries) == 1:  # a plain execute: an executemany of one row costs more
        await record(conn, ctx, entries[0])
    elif entries:
        at = datetime.now(UTC)
        await conn.execute(t.audit.insert(), [_row(ctx, e, at) for e in entries])


_Encoders = list[tuple[str, Callable[[Any], Any] | None]]
_STATEMENTS: weakref.WeakKeyDictionary[Dialect, tuple[str, _Encoders]] = weakref.WeakKeyDictionary()


def _one_row(dialect: Dialect) -> tuple[str, _Encoders]:
    """The INSERT of one audit row for `dialect`, and each parameter's name and encoder."""
    if dialect not in _STATEMENTS:
        names = [c.name for c in t.audit.columns if c.name != "id"]
        compiled = t.audit.insert().inline().compile(dialect=dialect, column_keys=names)
        order = list(compiled.positiontup or [])
        encoders: _Encoders = [
            (n, t.audit.c[n].type.dialect_impl(dialect).bind_processor(dialect)) for n in order
        ]
        _STATEMENTS[dialect] = (compiled.string, encoders)
    return _STATEMENTS[dialect]
