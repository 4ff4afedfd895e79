"""The worker pool: claims queued executions and runs them concurrently, at most `size` at a
time and at most each workflow's `concurrency`; resumes executions a stopped process left."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from deskbase.kernel import tables as t
from deskbase.kernel.clock import aware
from deskbase.kernel.db import Database
from deskbase.kernel.events import RecordEvents
from deskbase.kernel.owners import new_owner, pid_gone, same_process
from deskbase.workflow.engine import Claimed, Engine

__all__ = ["Workers"]

log = logging.getLogger("deskbase.workflows")
_E = t.executions.c
_V = t.workflow_versions.c
HEARTBEAT = 10.0  # seconds; a running execution whose heartbeat is 3x older is taken over


class Workers:
    def __init__(
        self, db: Database, engine: Engine, events: RecordEvents, *, size: int = 8, poll: float = 1.0
    ):
        self.db = db
        self.engine = engine
        self.events = events
        self.size = size
        self.poll = poll
        self.limits: dict[int, int] = {}  # workflow id → concurrency
        self.owner = new_owner()
        self._running: dict[int, asyncio.Task[None]] = {}
        self._per_workflow: Counter[int] = Counter()
        self._loop_task: asyncio.Task[None] | None = None
        self._beat_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.recover(starting=True)
        self._loop_task = asyncio.create_task(self._loop(), name="deskbase-workflows")
        self._beat_task = asyncio.create_task(self._beat(), name="deskbase-workflow-heartbeat")

    async def recover(self, *, starting: bool = False) -> int:
        """Executions left `running` by a process that is gone go back to the queue: they
        resume from their first unfinished node. `starting`: this App is new, so what an
        earlier App of this very process left is gone too."""
        now = datetime.now(UTC)
        stale = now - timedelta(seconds=3 * HEARTBEAT)
        async with self.db.write() as conn:
            query = sa.select(_E.id, _E.owner, _E.heartbeat_at).where(_E.status == "running")
            if self.db.is_postgres:  # held until the requeue commits: no end is written meanwhile
                query = query.with_for_update(skip_locked=True)
            rows = list(await conn.execute(query))
            gone = [
                r.id
                for r in rows
                if r.owner != self.owner
                and (
                    not r.owner
                    or pid_gone(r.owner) is True
                    or (starting and same_process(r.owner))
                    or r.heartbeat_at is None
                    or aware(r.heartbeat_at) < stale
                )
            ]
            if gone:
                # (its node jobs are read when it resumes)
                await conn.execute(
                    t.executions.update()
                    .where(_E.id.in_(gone), _E.status == "running")
                    .values(status="queued", owner=None, started_at=sa.func.coalesce(_E.started_at, now))
                )
        if gone:
            log.info("Resuming %d interrupted workflow execution(s)", len(gone))
        return len(gone)

    async def stop(self) -> None:
        for task in (self._loop_task, self._beat_task, *self._running.values()):
            if task is not None:
                task.cancel()
        tasks = [x for x in (self._loop_task, self._beat_task, *self._running.values()) if x is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self.engine.ends.close()  # ends already reached are written, not lost
        self._loop_task = self._beat_task = None
        self._running.clear()
        self._per_workflow.clear()

    async def drain(self) -> None:
        """Wait until nothing is queued or running here (tests and the command line; callers
        bound the wait with `asyncio.timeout`)."""
        while True:
            async with self.db.read() as conn:
                busy = _E.status.in_(("queued", "running"))
                left = (await conn.execute(sa.select(sa.func.count()).where(busy))).scalar_one()
            if not left and not self._running:
                return
            self.events.wakeup.set()
            await asyncio.sleep(0.02)

    async def _loop(self) -> None:
        while True:
            try:
                await self._claim()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Claiming workflow executions failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.events.wakeup.wait(), timeout=self.poll)
            self.events.wakeup.clear()

    async def _claim(self) -> None:
        room = self.size - len(self._running)
        if room <= 0:
            return
        now = datetime.now(UTC)
        async with self.db.write() as conn:
            due = sa.or_(_E.status == "queued", sa.and_(_E.status == "waiting", _E.wake_at <= now))
            version = sa.and_(_V.workflow_id == _E.workflow_id, _V.version == _E.version)
            query = (
                sa.select(
                    _E.id, _E.workflow_id, _E.version, _E.trigger, _E.depth, _E.started_at, _V.definition
                )
                .select_from(t.executions.join(t.workflow_versions, version))
                .where(due)
                .order_by(_E.id)
                .limit(room * 4)
            )
            if self.db.is_postgres:
                query = query.with_for_update(of=t.executions, skip_locked=True)
            chosen: list[Claimed] = []
            taken: Counter[int] = Counter()
            for row in await conn.execute(query):
                limit = self.limits.get(row.workflow_id, 10)
                if self._per_workflow[row.workflow_id] + taken[row.workflow_id] >= limit:
                    continue
                taken[row.workflow_id] += 1
                fresh = row.started_at is None  # never started: no node jobs to read
                chosen.append(
                    Claimed(
                        row.id, row.workflow_id, row.version, row.trigger, row.depth, fresh, row.definition
                    )
                )
                if len(chosen) >= room:
                    break
            if chosen:
                await conn.execute(
                    t.executions.update()
                    .where(_E.id.in_([c.id for c in chosen]))
                    .values(
                        status="running",
                        owner=self.owner,
                        heartbeat_at=now,
                        started_at=sa.func.coalesce(_E.started_at, now),
                    )
                )
        for claimed in chosen:  # (a waiting one whose time came is among them)
            self._per_workflow[claimed.workflow_id] += 1
            task = asyncio.create_task(self._run(claimed), name=f"deskbase-execution-{claimed.id}")
            self._running[claimed.id] = task

    async def _run(self, claimed: Claimed) -> None:
        try:
            await self.engine.run(claimed)
        except asyncio.CancelledError:
            raise
        except Exception:  # one broken execution never stops the others
            log.exception("Execution %s crashed the engine", claimed.id)
        finally:
            self._running.pop(claimed.id, None)
            self._per_workflow[claimed.workflow_id] -= 1
            self.events.wakeup.set()

    async def _beat(self) -> None:
        """Every HEARTBEAT: mark this process's executions alive, and take over those of a
        process that died (with several server processes, the others carry on its work)."""
        while True:
            await asyncio.sleep(HEARTBEAT)
            ids = list(self._running)
            try:
                if ids:
                    async with self.db.write() as conn:
                        await conn.execute(
                            t.executions.update().where(_E.id.in_(ids)).values(heartbeat_at=datetime.now(UTC))
                        )
                if await self.recover():
                    self.events.wakeup.set()
            except Exception:
                log.warning("Workflow heartbeat failed", exc_info=True)
