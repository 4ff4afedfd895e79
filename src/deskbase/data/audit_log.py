"""Reading the audit log: the whole log for admins, one record's history for its readers.

The log is written by `kernel.audit` in the transaction of each write; nothing here (and no
route) changes or deletes an entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from deskbase.data.access import Grant, Guard
from deskbase.kernel import tables as t
from deskbase.kernel.clock import aware
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import PermissionDenied, RecordNotFound
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog

__all__ = ["MAX_LIMIT", "AuditLog", "AuditQuery"]

MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor_id: int | None = None
    collection: str | None = None
    record_id: int | None = None
    action: str | None = None  # exact (`record.update`) or a prefix ending in `.` (`record.`)
    source: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    before: int | None = None  # the id of the last entry of the previous page
    limit: int = 100


def _entry(row: Any) -> dict[str, JSONValue]:
    return {
        "id": row.id,
        "at": aware(row.at).isoformat(),
        "actor": {"id": row.actor_id, "email": row.actor_email} if row.actor_id is not None else None,
        "source": row.source,
        "action": row.action,
        "collection": row.collection,
        "record_id": row.record_id,
        "changes": row.changes,
        "detail": row.detail,
    }


class AuditLog:
    def __init__(self, db: Database, catalog: Catalog, guard: Guard) -> None:
        self.db = db
        self.catalog = catalog
        self.guard = guard

    async def search(self, ctx: RequestContext, q: AuditQuery) -> dict[str, JSONValue]:
        """Entries newest first, `limit` at a time; `meta.next_before` pages on (admin only)."""
        if not ctx.actor.is_admin:
            raise PermissionDenied("Only administrators may read the audit log")
        a = t.audit.c
        conds: list[sa.ColumnElement[bool]] = []
        if q.actor_id is not None:
            conds.append(a.actor_id == q.actor_id)
        if q.collection is not None:
            conds.append(a.collection == q.collection)
        if q.record_id is not None:
            conds.append(a.record_id == q.record_id)
        if q.action:
            conds.append(
                a.action.startswith(q.action, autoescape=True)
                if q.action.endswith(".")
                else a.action == q.action
            )
        if q.source is not None:
            conds.append(a.source == q.source)
        if q.since is not None:
            conds.append(a.at >= q.since)
        if q.until is not None:
            conds.append(a.at < q.until)
        if q.before is not None:
            conds.append(a.id < q.before)
        stmt = sa.select(t.audit).where(*conds).order_by(a.id.desc()).limit(q.limit + 1)
        async with self.db.read() as conn:
            rows = list(await conn.execute(stmt))
        entries = [_entry(r) for r in rows[: q.limit]]
        more = len(rows) > q.limit
        return {
            "data": list[JSONValue](entries),
            "meta": {"has_more": more, "next_before": rows[q.limit - 1].id if more else None},
        }

    async def history(self, ctx: RequestContext, name: str, record_id: int) -> list[dict[str, JSONValue]]:
        """One record's entries, oldest first, showing only the fields the caller may read."""
        coll = self.catalog.get(name)
        grant = self.guard.grant(ctx, coll, "get")
        scope = self.guard.where(ctx, grant)
        async with self.db.read() as conn:
            if not ctx.actor.is_admin:  # others see the history of records they can read now
                found = sa.select(coll.table.c.id).where(coll.table.c.id == record_id)
                if scope is not None:
                    found = found.where(scope)
                if (await conn.execute(found)).first() is None:
                    raise RecordNotFound(f"{name} record {record_id} does not exist")
            stmt = (
                sa.select(t.audit)
                .where(t.audit.c.collection == name, t.audit.c.record_id == record_id)
                .order_by(t.audit.c.id)
            )
            rows = list(await conn.execute(stmt))
        return [_masked(_entry(r), grant) for r in rows]


def _masked(entry: dict[str, JSONValue], grant: Grant) -> dict[str, JSONValue]:
    changes = entry["changes"]
    if grant.fields is None or not isinstance(changes, dict):
        return entry
    return {**entry, "changes": {k: v for k, v in changes.items() if grant.allows(k)}}
