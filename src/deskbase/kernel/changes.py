"""What one process changes that the others must learn: the change feed between the processes
of one installation (`deskbase serve --workers N`, several hosts on one PostgreSQL).

A process keeps some configuration in memory (the catalog of collections, the roles' rules,
the workflows' subscriptions, the signed-in actors); each is a *topic*. A change publishes its
topic in the transaction that made it (`publish`: PostgreSQL's NOTIFY, delivered at commit and
dropped with a rollback) or just after it (`announce`, for what is only a cache), and every
other process listening on the channel runs that topic's reloaders, in order of arrival, one
at a time. A process whose listening connection dropped reloads every topic once it is back
(it may have missed some).

A change made in a transaction is *confirmed*: once it has applied it, each other process says
so on a second channel, and the process that made the change waits for all of them (at most
`confirm_timeout`) after its commit, before the request that made it answers. So the next
request, whichever process it reaches, finds the change in place. The other processes are the
listening connections named for this channel in `pg_stat_activity`.

SQLite runs one process (its writers are serialized in-process): publishing does nothing there.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["ACTORS", "CHANNEL", "PERMISSIONS", "PUBLISHED", "SCHEMA", "WORKFLOWS", "ChangeFeed", "Reloader"]

log = logging.getLogger("deskbase.changes")
CHANNEL = "deskbase_changes"
Reloader = Callable[[], Awaitable[None]]
# The topics: what each process keeps in memory and reloads when another changes it.
SCHEMA = "schema"  # collections, fields, indexes (the catalog)
PERMISSIONS = "permissions"  # the roles' rules (the Guard)
WORKFLOWS = "workflows"  # the enabled workflows' triggers and limits
ACTORS = "actors"  # signed-in tokens resolved to users (the actor cache)
_RETRY = (0.1, 0.5, 1.0, 2.0, 5.0)  # seconds between attempts to listen again
PUBLISHED = "deskbase_published"  # key of a connection's `info`: the changes of its transaction
_FEED_NAME = "deskbase-feed"  # application_name prefix of the listening connections
_MAX_ACKS = 1000


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
        self.ack_channel = f"{channel}_ack"
        tag = hashlib.blake2s(channel.encode(), digest_size=4).hexdigest()
        self.peer_prefix = f"{_FEED_NAME} {tag} "  # the listeners of this channel, by name
        self.confirm_timeout = 2.0  # seconds a change waits for the other processes at most
        self._numbers = itertools.count(1)
        self._to_ack: list[str] = []  # changes of others, confirmed once their topics are applied
        self._acks: dict[str, set[str]] = {}  # a change of this process -> who applied it
        self._acked = asyncio.Event()  # replaced at every confirmation that arrives

    def subscribe(self, topic: str, reloader: Reloader) -> None:
        """Run `reloader` when another process publishes `topic` (after the ones before it)."""
        self._reloaders.setdefault(topic, []).append(reloader)

    async def publish(self, conn: AsyncConnection, topic: str, *, confirm: bool = True) -> None:
        """Tell the other processes of `topic` when the transaction of `conn` commits. With
        `confirm`, the change is noted in `conn.info[PUBLISHED]`, for `confirm()` after the
        commit (Database.write() does that)."""
        if not self.enabled:
            return
        payload = f"{self.origin} {topic}"
        if confirm:
            change = f"{self.origin}.{next(self._numbers)}"
            payload += f" {change}"
            conn.info.setdefault(PUBLISHED, []).append(change)
        await conn.execute(sa.select(sa.func.pg_notify(self.channel, payload)))

    async def confirm(self, changes: list[str]) -> None:
        """After the commit of `changes`: wait until every other listening process has applied
        them, or `confirm_timeout` (a process that does not answer is logged, not waited for)."""
        if not changes or not self.enabled:
            return
        try:
            if self._conn is None:  # not listening: no confirmation would reach this process
                return
            peers = await self._peers()
            async with asyncio.timeout(self.confirm_timeout):
                while missing := self._missing(changes, peers):
                    acked = self._acked
                    await acked.wait()
        except TimeoutError:
            log.warning(
                "Processes %s did not confirm a change within %.1f s: they may still see the state "
                "before it for a moment",
                ", ".join(sorted(missing)),
                self.confirm_timeout,
            )
        except Exception:
            log.warning("Could not confirm a change with the other processes", exc_info=True)
        finally:
            for change in changes:
                self._acks.pop(change, None)

    def _missing(self, changes: list[str], peers: set[str]) -> set[str]:
        return {p for c in changes for p in peers - self._acks.get(c, set())}

    async def _peers(self) -> set[str]:
        """The origins of the other processes listening on this channel."""
        query = sa.text(
            "SELECT application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND starts_with(application_name, :prefix)"
        )
        async with self._engine.connect() as conn:
            names = (await conn.execute(query, {"prefix": self.peer_prefix})).scalars()
            return {str(n)[len(self.peer_prefix) :] for n in names} - {self.origin}

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
                await self.publish(conn, topic, confirm=False)
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
        name = self.peer_prefix + self.origin  # how the others find this process
        conn = await asyncpg.connect(self._dsn, server_settings={"application_name": name})
        await conn.add_listener(self.channel, self._received)
        await conn.add_listener(self.ack_channel, self._confirmed)
        conn.add_termination_listener(self._lost)
        self._conn = conn

    def _received(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        origin, _, rest = payload.partition(" ")
        topic, _, change = rest.partition(" ")
        if origin != self.origin:
            self._queue([topic], [change] if change else [])

    def _confirmed(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        change, _, origin = payload.partition(" ")
        if change.startswith(f"{self.origin}."):  # one of this process's changes
            self._acks.setdefault(change, set()).add(origin)
            while len(self._acks) > _MAX_ACKS:  # late answers to changes no longer waited for
                del self._acks[next(iter(self._acks))]
            acked, self._acked = self._acked, asyncio.Event()
            acked.set()

    def _queue(self, topics: list[str], changes: list[str] | None = None) -> None:
        self._pending += [t for t in topics if t not in self._pending]
        self._to_ack += changes or []
        if self._drain is None or self._drain.done():
            self._drain = asyncio.get_running_loop().create_task(self._apply(), name="deskbase-changes")

    async def _apply(self) -> None:
        # Confirmations go once nothing is left to reload: a change's topic was reloaded after
        # its notification arrived (a topic already pending is reloaded once for several).
        while self._pending or self._to_ack:
            if not self._pending:
                changes, self._to_ack = self._to_ack, []
                await self._confirm(changes)
                continue
            topic = self._pending.pop(0)
            for reloader in self._reloaders.get(topic, ()):
                try:
                    await reloader()
                except Exception:  # a failed reload leaves the old state; the next change retries
                    log.exception("Reloading %s after another process changed it failed", topic)
            self.applied += 1

    async def _confirm(self, changes: list[str]) -> None:
        try:
            async with self._engine.connect() as conn:
                for change in changes:
                    payload = f"{change} {self.origin}"
                    await conn.execute(sa.select(sa.func.pg_notify(self.ack_channel, payload)))
        except Exception:  # the one who waits gives up after its timeout
            log.warning("Could not confirm changes to the processes that made them", exc_info=True)

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
