"""The notification node: a message to users' in-app inboxes (email and chat webhooks next)."""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Done, NodeConfig, NodeRun, NodeType, Outcome

__all__ = ["NotifyNode", "user_ids"]


class NotifyConfig(NodeConfig):
    channel: Literal["inbox"] = "inbox"
    to: JSONValue = Field(default_factory=list)  # user ids or emails, one or a list
    title: str = Field(min_length=1, max_length=500)
    body: str | None = None
    link: str | None = None


async def user_ids(conn: AsyncConnection, to: JSONValue) -> list[int]:
    """Active users named by ids or emails (one, or a list)."""
    items = to if isinstance(to, list) else [to]
    ids = {i for i in items if isinstance(i, int) and not isinstance(i, bool)}
    emails = {i.strip().lower() for i in items if isinstance(i, str) and "@" in i}
    ids |= {int(i) for i in items if isinstance(i, str) and i.strip().isdigit()}
    if emails:
        rows = await conn.execute(sa.select(t.users.c.id).where(t.users.c.email.in_(emails)))
        ids |= set(rows.scalars())
    if ids:  # only users that exist and are active
        rows = await conn.execute(
            sa.select(t.users.c.id).where(t.users.c.id.in_(ids), t.users.c.active.is_(True))
        )
        return sorted(rows.scalars())
    return []


class NotifyNode(NodeType[NotifyConfig]):
    key = "notify"
    Config = NotifyConfig

    async def run(self, config: NotifyConfig, run: NodeRun) -> Outcome:
        async with run.services.db.write() as conn:
            users = await user_ids(conn, config.to)
            sent = await run.services.inbox.send(
                conn, users, config.title, config.body, config.link, run.execution_id
            )
            await run.record_job(conn)
        return Done({"result": {"sent": sent, "to": list[JSONValue](users)}})
