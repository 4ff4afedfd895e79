"""Queue workflow executions for record events, inside the write's own transaction."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.events import MAX_DEPTH, RecordEvents, RecordKind, queued_execution
from deskbase.kernel.types import JSONValue
from deskbase.schema.model import Collection

__all__ = ["Happened", "queue_executions"]

log = logging.getLogger("deskbase.workflows")
Compile = Callable[[Collection, JSONValue], sa.ColumnElement[bool]]


@dataclass(frozen=True, slots=True)
class Happened:
    """One record's event: the record (after; before for a delete) and, for updates, the
    changed fields' values before and after."""

    record_id: int
    record: dict[str, JSONValue]
    changes: dict[str, tuple[JSONValue, JSONValue]] | None = None


async def queue_executions(
    conn: AsyncConnection,
    ctx: RequestContext,
    events: RecordEvents,
    coll: Collection,
    kind: RecordKind,
    happened: Sequence[Happened],
    compile_condition: Compile,
) -> int:
    """One queued execution per matching subscription and record; the condition is checked
    in SQL now, on the record as this transaction sees it."""
    subs = events.subscriptions(coll.name, kind)
    if not subs or not happened:
        return 0
    if ctx.depth >= MAX_DEPTH:
        log.warning("Workflow chain cut at depth %s (%s %s)", ctx.depth, coll.name, kind)
        return 0
    rows: list[dict[str, object]] = []
    for sub in subs:
        chosen = list(happened)
        if kind == "updated" and sub.changed_fields is not None:
            chosen = [h for h in chosen if h.changes and sub.changed_fields & set(h.changes)]
        if sub.condition is not None and chosen:
            ids = [h.record_id for h in chosen]
            stmt = sa.select(coll.table.c.id).where(
                coll.table.c.id.in_(ids), compile_condition(coll, sub.condition)
            )
            matched = set((await conn.execute(stmt)).scalars())
            chosen = [h for h in chosen if h.record_id in matched]
        for h in chosen:
            data: dict[str, JSONValue] = {"collection": coll.name, "event": kind, "record": h.record}
            if h.changes is not None:
                data["changes"] = {k: [a, b] for k, (a, b) in h.changes.items()}
            rows.append(
                queued_execution(
                    sub.workflow_id, sub.version, data, depth=ctx.depth, actor_id=ctx.actor.id, at=ctx.now
                )
            )
    if rows:
        await conn.execute(t.executions.insert(), rows)
        events.queued()
    return len(rows)
