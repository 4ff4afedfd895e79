"""What one process changes that the others must learn: the change feed between the processes
of one installation (`deskbase serve --workers N`, several hosts on one PostgreSQL).

A process keeps some configuration in memory (the catalog of collections, the roles' rules,
the workflows' subscriptions, the signed-in actors); each is a *topic*. A change publishes its
topic in the transaction that made it (`publish`: PostgreSQL's NOTIFY, delivered at commit and
dropped with a rollback) or just after it (`announce`, for what is only a cache), and every
other process listening on the channel runs that topic's reloaders, in order of arrival, one
at a time. A process whose listening connection dropped reloads every topic once it is back
(it may have missed some).

SQLite runs one process (its writers are serialized in-process): publishing does nothing there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["ACTORS", "CHANNEL", "PERMISSIONS", "SCHEMA", "WORKFLOWS", "ChangeFeed", "Reloader"]

log = logging.getLogger("deskbase.changes")
CHANNEL = "deskbase_changes"
Reloader = Callable[[], Awaitable[None]]
# The topics: what each process keeps in memory and reloads when another changes it.
SCHEMA = "schema"  # collections, fields, indexes (the catalog)
PERMISSIONS = "permissions"  # the roles' rules (the Guard)
WORKFLOWS = "workflows"  # the enabled workflows' triggers and limits
ACTORS = "actors"  # signed-in tokens resolved to users (the actor cache)
_RETRY = (0.1, 0.5, 1.0, 2.0, 5.0)  # seconds between attempts to listen again


class ChangeFeed:
    def __init__(self, url: str, engine: AsyncEngine, channel: str = CHANNEL) -> None:
        parsed = make_url(url)
        self.enabled = parsed.get_backend_name() == "postgresql"
        self._dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self._engine = engine  # autocommit on PostgreSQL (Database's reader): a NOTIFY goes at once
        self.channel = channel
        self.origin = uuid.uuid4().hex[:12]  # this process's App: its own notifications are skipped
        self._reloaders: dict[str, list[Reloader]] = {}
        self._pending: list[str] = []
        self._drain: asyncio.Task[None] | None = None
        self._conn: Any = None  # asyncpg.Connection while listening
        self._reconnect: asyncio.Task[None] | None = None
        self._announcing: set[asyncio.Task[None]] = set()
        self.applied = 0  # topics reloaded from other processes' notifications (tests, diagnostics)

    def subscribe(self, topic: str, reloader: Reloader) -> None:
        """Run `reloader` when another process publishes `topic` (after the ones before it)."""
        self._reloaders.setdefault(topic, []).append(reloader)

    async def publish(self, conn: AsyncConnection, topic: str) -> None:
        """Tell the other processes of `topic` when the transaction of `conn` commits."""
        if self.enabled:
            await conn.execute(sa.select(sa.func.pg_notify(self.channel, f"{self.origin} {topic}")))

    def announce(self, topic: str) -> None:
        """Tell the other processes of `topic` now, outside any transaction (for caches, whose
        entries expire on their own if this is lost)."""
        if not self.enabled:
            return
        with contextlib.suppress(RuntimeError):  # no running loop: nobody to tell
            task = asyncio.get_running_loop().create_task(self._send(topic))
            self._announcing.add(task)
            task.add_done_callback(self._announcing.discard)

    async def _send(self, topic: str) -> None:
        try:
            async with self._engine.connect() as conn:
                await self.publish(conn, topic)
        except Exception:
            log.warning("Could not announce %s to the other processes", topic, exc_info=True)

    async def start(self) -> None:
        if self.enabled and self._conn is None:
            await self._listen()

    async def stop(self) -> None:
        tasks = [t for t in (self._reconnect, self._drain, *self._announcing) if t is not None]
        for task in (self._reconnect, self._drain):
            if task is not None:
                task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self._reconnect = self._drain = None
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def settled(self) -> None:
        """Wait until the notifications received so far have been applied."""
        while self._drain is not None and not self._drain.done():
            await asyncio.wait({self._drain})

    # -- listening ---------------------------------------------------------------------

    async def _listen(self) -> None:
        conn = await asyncpg.connect(self._dsn)
        await conn.add_listener(self.channel, self._received)
        conn.add_termination_listener(self._lost)
        self._conn = conn

    def _received(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        origin, _, topic = payload.partition(" ")
        if origin != self.origin:
            self._queue([topic])

    def _queue(self, topics: list[str]) -> None:
        self._pending += [t for t in topics if t not in self._pending]
        if self._drain is None or self._drain.done():
            self._drain = asyncio.get_running_loop().create_task(self._apply(), name="deskbase-changes")

    async def _apply(self) -> None:
        while self._pending:
            topic = self._pending.pop(0)
            for reloader in self._reloaders.get(topic, ()):
                try:
                    await reloader()
                except Exception:  # a failed reload leaves the old state; the next change retries
                    log.exception("Reloading %s after another process changed it failed", topic)
            self.applied += 1

    def _lost(self, _conn: object) -> None:
        if self._conn is None:
            return  # stopping
        self._conn = None
        log.warning("Lost the change feed's connection; listening again")
        self._reconnect = asyncio.get_running_loop().create_task(self._again())

    async def _again(self) -> None:
        attempt = 0
        while True:
            await asyncio.sleep(_RETRY[min(attempt, len(_RETRY) - 1)])
            attempt += 1
            try:
                await self._listen()
            except Exception as exc:  # the database is still away: try again later
                log.debug("Listening again failed: %s", exc)
                continue
            self._queue(list(self._reloaders))  # whatever changed meanwhile was missed
            return
