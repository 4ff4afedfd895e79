"""The in-app inbox: notifications per user, unread count, mark read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import NotFound
from deskbase.kernel.types import JSONValue

__all__ = ["InboxService"]

_I = t.inbox.c


def _item(row: sa.Row[tuple[object, ...]]) -> dict[str, JSONValue]:
    m = row._mapping
    read_at = m["read_at"]
    return {
        "id": m["id"],
        "title": m["title"],
        "body": m["body"],
        "link": m["link"],
        "execution_id": m["execution_id"],
        "read": read_at is not None,
        "created_at": m["created_at"].isoformat(),
    }


class InboxService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def send(
        self,
        conn: AsyncConnection,
        user_ids: Sequence[int],
        title: str,
        body: str | None = None,
        link: str | None = None,
        execution_id: int | None = None,
    ) -> int:
        """Deliver one notification to each user, in the caller's transaction."""
        ids = sorted(set(user_ids))
        if ids:
            now = datetime.now(UTC)
            rows = [
                {"user_id": u, "title": title[:500], "body": body, "link": link, "execution_id": execution_id,
                 "created_at": now}
                for u in ids
            ]  # fmt: skip
            await conn.execute(t.inbox.insert(), rows)
        return len(ids)

    async def list(
        self, ctx: RequestContext, *, unread: bool = False, limit: int = 50
    ) -> dict[str, JSONValue]:
        user = ctx.actor.id
        stmt = sa.select(t.inbox).where(_I.user_id == user).order_by(_I.id.desc()).limit(limit)
        if unread:
            stmt = stmt.where(_I.read_at.is_(None))
        count = sa.select(sa.func.count()).where(_I.user_id == user, _I.read_at.is_(None))
        async with self.db.read() as conn:
            items = [_item(r) for r in await conn.execute(stmt)]
            unread_count = int((await conn.execute(count)).scalar_one())
        return {"data": list[JSONValue](items), "meta": {"unread": unread_count}}

    async def mark_read(self, ctx: RequestContext, item_id: int | None = None) -> int:
        """Mark one item (or, with None, every item) of the caller's inbox as read."""
        cond = [_I.user_id == ctx.actor.id, _I.read_at.is_(None)]
        if item_id is not None:
            cond.append(_I.id == item_id)
        async with self.db.write() as conn:
            if item_id is not None:
                found = await conn.execute(
                    sa.select(_I.id).where(_I.id == item_id, _I.user_id == ctx.actor.id)
                )
                if found.first() is None:
                    raise NotFound(f"Inbox item {item_id} does not exist")
            result = await conn.execute(t.inbox.update().where(*cond).values(read_at=ctx.now))
        return int(result.rowcount or 0)
