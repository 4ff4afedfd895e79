"""The notification node: a message to users' in-app inboxes, by email (SMTP), or to a chat
tool's webhook (the JSON body is configurable; by default `{"text": …}`)."""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Done, Failed, NodeConfig, NodeRun, NodeType, Outcome

__all__ = ["NotifyNode", "user_ids"]


class NotifyConfig(NodeConfig):
    channel: Literal["inbox", "email", "webhook"] = "inbox"
    to: JSONValue = Field(default_factory=list)  # user ids or emails, one or a list
    title: str = Field(min_length=1, max_length=500)
    body: str | None = None
    link: str | None = None
    url: str | None = None  # webhook: the chat tool's incoming-webhook URL
    payload: JSONValue = None  # webhook: the JSON to post (default {"text": "title\nbody"})


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
        if config.channel == "webhook":
            return await _webhook(config, run)
        if config.channel == "email":
            return await _email(config, run)
        async with run.services.db.write() as conn:
            users = await user_ids(conn, config.to)
            sent = await run.services.inbox.send(
                conn, users, config.title, config.body, config.link, run.execution_id
            )
            await run.record_job(conn)
        return Done({"result": {"sent": sent, "to": list[JSONValue](users)}})


async def _email(config: NotifyConfig, run: NodeRun) -> Outcome:
    items = config.to if isinstance(config.to, list) else [config.to]
    addresses = {i.strip() for i in items if isinstance(i, str) and "@" in i}
    async with run.services.db.read() as conn:
        ids = await user_ids(conn, [i for i in items if not (isinstance(i, str) and "@" in i)])
        if ids:
            rows = await conn.execute(sa.select(t.users.c.email).where(t.users.c.id.in_(ids)))
            addresses |= set(rows.scalars())
    if not addresses:
        return Failed("notify by email has no address to send to")
    await run.services.channels.email(sorted(addresses), config.title, config.body or config.title)
    return Done({"result": {"sent": len(addresses), "to": list[JSONValue](sorted(addresses))}})


async def _webhook(config: NotifyConfig, run: NodeRun) -> Outcome:
    if not config.url or not config.url.startswith(("http://", "https://")):
        return Failed("notify by webhook needs an http(s) `url`")
    text = config.title + (f"\n{config.body}" if config.body else "")
    payload = config.payload if config.payload is not None else {"text": text}
    response = await run.services.channels.request("POST", config.url, json=payload)
    if response.status_code >= 400:
        return Failed(f"the webhook answered {response.status_code}")
    return Done({"result": {"status": response.status_code}})
