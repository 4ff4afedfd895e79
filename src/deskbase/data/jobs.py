"""JobService: background jobs (imports, …) run as asyncio tasks inside the server process.

A job's row in `ds_jobs` says what it is and how it ended. While it runs, its progress lives
in memory (read by `get`) and is written to the row at most every `flush_interval` seconds
in short transactions of their own; on SQLite, whose single writer the job itself may hold,
the row is written when the job starts and ends only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import sqlalchemy as sa

from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AppError, JobNotFound
from deskbase.kernel.owners import new_owner, pid_gone, same_process
from deskbase.kernel.types import JSONValue

__all__ = ["Job", "JobCancelled", "JobHandle", "JobOutcome", "JobService", "Work"]

log = logging.getLogger("deskbase.jobs")

FINISHED: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})
_UNFINISHED = ("queued", "running")
_STALE_HEARTBEAT = timedelta(minutes=2)
WATCH = 30.0  # seconds between two looks for jobs of a process that died (PostgreSQL)
_STOPPED = "The server stopped while the job ran; nothing was written"


class JobCancelled(Exception):
    """Raised by a job's work when it notices that cancelling was asked for."""


@dataclass(frozen=True, slots=True)
class JobOutcome:
    status: Literal["succeeded", "failed"]
    result: dict[str, JSONValue]
    message: str | None = None


def _utc(value: datetime | None) -> datetime | None:
    """Aware UTC (SQLite gives the stored timestamps back naive)."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@dataclass(slots=True)
class Job:
    id: int
    kind: str
    status: str
    collection: str | None
    params: dict[str, JSONValue]
    created_by: int | None
    created_at: datetime
    total: int | None = None
    done: int = 0
    errors: list[dict[str, JSONValue]] = field(default_factory=list)
    error_count: int = 0
    rate: float | None = None
    result: dict[str, JSONValue] | None = None
    message: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cancel_requested: bool = False

    @classmethod
    def from_row(cls, row: Any) -> Job:
        data = {name: getattr(row, name) for name in _FIELDS}
        for name in _TIMES:
            data[name] = _utc(data[name])
        data["params"], data["errors"] = data["params"] or {}, list(data["errors"] or [])
        return cls(**data)

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {name: getattr(self, name) for name in _FIELDS if name != "created_by"}
        out.update(
            {name: (value.isoformat() if (value := _utc(getattr(self, name))) else None) for name in _TIMES}
        )
        out["rate"] = None if self.rate is None else round(self.rate, 1)
        return out


_FIELDS = tuple(f.name for f in fields(Job))
_TIMES = ("created_at", "started_at", "finished_at")
_PROGRESS = ("total", "done", "errors", "error_count", "rate")


class JobHandle:
    """What a running job's work sees: progress reporting and the cancel flag."""

    def __init__(self, service: JobService, job: Job) -> None:
        self.service = service
        self.job = job
        self._cancel = False
        self._clock = time.monotonic()
        self._last_flush = self._clock

    @property
    def cancel_requested(self) -> bool:
        return self._cancel

    def request_cancel(self) -> None:
        self._cancel = True
        self.job.cancel_requested = True

    async def progress(
        self, done: int, total: int | None, errors: list[dict[str, JSONValue]], error_count: int
    ) -> None:
        """Record progress; written to the database at most every `flush_interval` seconds."""
        job = self.job
        job.done, job.total, job.error_count = done, total, error_count
        job.errors = errors[: self.service.max_errors]
        now = time.monotonic()
        job.rate = done / (now - self._clock) if now > self._clock else None
        if self.service.db.is_postgres and now - self._last_flush >= self.service.flush_interval:
            self._last_flush = now
            if await self.service.flush(job):
                self.request_cancel()

    def check(self) -> None:
        """Raise JobCancelled if cancelling was asked for."""
        if self._cancel:
            raise JobCancelled


Work = Callable[[JobHandle], Awaitable[JobOutcome]]


class JobService:
    def __init__(self, db: Database, *, flush_interval: float = 0.5, max_errors: int = 1000) -> None:
        self.db = db
        self.flush_interval = flush_interval
        self.max_errors = max_errors
        self.owner = new_owner()
        self._running: dict[int, tuple[asyncio.Task[None], JobHandle]] = {}
        self._watch_task: asyncio.Task[None] | None = None

    # -- starting ------------------------------------------------------------------------

    async def submit(
        self,
        ctx: RequestContext,
        kind: str,
        collection: str | None,
        params: dict[str, JSONValue],
        work: Work,
        cleanup: Callable[[], object] | None = None,
    ) -> Job:
        """Create a queued job and start `work` in a task; `cleanup` runs when it ends."""
        job = Job(0, kind, "queued", collection, params, ctx.actor.id, ctx.now)
        row = {name: getattr(job, name) for name in _FIELDS if name != "id"}
        async with self.db.write() as conn:
            insert = t.jobs.insert().values({**row, "owner": self.owner}).returning(t.jobs.c.id)
            job.id = job_id = (await conn.execute(insert)).scalar_one()
        handle = JobHandle(self, job)
        task = asyncio.create_task(self._run(handle, work, cleanup), name=f"deskbase-job-{job_id}")
        self._running[job_id] = (task, handle)  # a reference, so the task is not collected
        task.add_done_callback(lambda _: self._running.pop(job_id, None))
        return job

    async def _run(self, handle: JobHandle, work: Work, cleanup: Callable[[], object] | None) -> None:
        job = handle.job
        try:
            job.started_at = datetime.now(UTC)
            job.status = "running"
            await self._save(job, status="running", started_at=job.started_at, heartbeat_at=job.started_at)
            try:
                outcome = await work(handle)
                job.status, job.result, job.message = outcome.status, outcome.result, outcome.message
            except JobCancelled:
                job.status, job.message = "cancelled", "Cancelled; nothing was written"
            except AppError as exc:
                job.status, job.message = "failed", exc.detail
                job.errors = [e.to_json() for e in exc.errors[: self.max_errors]]
                job.error_count = max(job.error_count, len(exc.errors))
            except asyncio.CancelledError:
                job.status, job.message = "failed", _STOPPED
                await self._finish(job)
                raise
            except Exception:
                log.exception("Job %s (%s) failed", job.id, job.kind)
                job.status, job.message = "failed", "An unexpected error stopped the job; it was logged"
            await self._finish(job)
        finally:
            if cleanup is not None:
                cleanup()

    async def _finish(self, job: Job) -> None:
        job.finished_at = datetime.now(UTC)
        if job.started_at is not None and job.done:
            seconds = (job.finished_at - job.started_at).total_seconds()
            job.rate = job.done / seconds if seconds > 0 else job.rate
        ended = ("status", "result", "message", "finished_at")
        await self._save(job, **{name: getattr(job, name) for name in (*_PROGRESS, *ended)})

    async def _save(self, job: Job, **values: object) -> None:
        async with self.db.write() as conn:
            await conn.execute(t.jobs.update().where(t.jobs.c.id == job.id).values(**values))

    async def flush(self, job: Job) -> bool:
        """Write a running job's progress; True when cancelling was asked for meanwhile."""
        async with self.db.write() as conn:
            found = await conn.execute(
                t.jobs.update()
                .where(t.jobs.c.id == job.id)
                .values(
                    {**{name: getattr(job, name) for name in _PROGRESS}, "heartbeat_at": datetime.now(UTC)}
                )
                .returning(t.jobs.c.cancel_requested)
            )
            return bool(found.scalar_one_or_none())

    # -- reading and cancelling ----------------------------------------------------------

    async def get(self, ctx: RequestContext, job_id: int) -> Job:
        live = self._running.get(job_id)
        if live is not None:
            job = live[1].job
        else:
            async with self.db.read() as conn:
                row = (await conn.execute(sa.select(t.jobs).where(t.jobs.c.id == job_id))).first()
            if row is None:
                raise JobNotFound(f"Job {job_id} does not exist")
            job = Job.from_row(row)
        if not ctx.actor.is_admin and job.created_by != ctx.actor.id:
            raise JobNotFound(f"Job {job_id} does not exist")
        return job

    async def list_jobs(self, ctx: RequestContext, limit: int = 50) -> list[Job]:
        """The user's most recent jobs, newest first."""
        query = (
            sa.select(t.jobs)
            .where(t.jobs.c.created_by == ctx.actor.id)
            .order_by(t.jobs.c.created_at.desc(), t.jobs.c.id.desc())
            .limit(limit)
        )
        async with self.db.read() as conn:
            jobs = [Job.from_row(row) for row in await conn.execute(query)]
        return [self._running[j.id][1].job if j.id in self._running else j for j in jobs]

    async def cancel(self, ctx: RequestContext, job_id: int) -> Job:
        """Ask a job to stop; it notices between batches and rolls back. Finished jobs stay as they are."""
        job = await self.get(ctx, job_id)
        if job.status in FINISHED:
            return job
        live = self._running.get(job_id)
        if live is not None:
            live[1].request_cancel()
            if self.db.is_sqlite:
                return job  # the job may hold SQLite's only writer: the flag in memory is enough
        async with self.db.write() as conn:
            await conn.execute(t.jobs.update().where(t.jobs.c.id == job_id).values(cancel_requested=True))
        job.cancel_requested = True
        return job

    async def wait(self, job_id: int) -> None:
        """Wait until a job of this process has ended (for tests and the command line)."""
        live = self._running.get(job_id)
        if live is not None:
            await asyncio.wait({live[0]})

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Fail what a stopped process left; on PostgreSQL, where other server processes may
        die while this one runs, keep looking (and keep this process's jobs' heartbeats fresh)."""
        await self.recover(starting=True)
        if self.db.is_postgres:
            self._watch_task = asyncio.create_task(self._watch(), name="deskbase-jobs-watch")

    async def recover(self, *, starting: bool = False) -> int:
        """Jobs left queued or running by a process that is gone become failed. `starting`:
        this App is new, so what an earlier App of this very process left is gone too."""
        # A job not started yet has no heartbeat: its creation time stands for it.
        beat = sa.func.coalesce(t.jobs.c.heartbeat_at, t.jobs.c.created_at).label("beat")
        query = sa.select(t.jobs.c.id, t.jobs.c.owner, beat).where(t.jobs.c.status.in_(_UNFINISHED))
        async with self.db.read() as conn:
            rows = (await conn.execute(query)).all()
        dead = [row.id for row in rows if self._is_dead(row.owner, _utc(row.beat), starting=starting)]
        if dead:
            ended = {"status": "failed", "message": _STOPPED, "finished_at": datetime.now(UTC)}
            async with self.db.write() as conn:
                # (only rows not ended meanwhile)
                where = sa.and_(t.jobs.c.id.in_(dead), t.jobs.c.status.in_(_UNFINISHED))
                await conn.execute(t.jobs.update().where(where).values(ended))
        return len(dead)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(WATCH)
            try:
                if self._running:
                    async with self.db.write() as conn:
                        await conn.execute(
                            t.jobs.update()
                            .where(t.jobs.c.id.in_(list(self._running)))
                            .values(heartbeat_at=datetime.now(UTC))
                        )
                await self.recover()
            except Exception:
                log.warning("Looking for jobs of stopped processes failed", exc_info=True)

    def _is_dead(self, owner: str | None, heartbeat: datetime | None, *, starting: bool) -> bool:
        gone = pid_gone(owner)
        if gone is None:  # another machine's job: gone once its heartbeat is old
            return heartbeat is None or datetime.now(UTC) - heartbeat > _STALE_HEARTBEAT
        if same_process(owner):
            # A new App in this process: the old one's jobs are gone. Later on, another App of
            # this process (as in tests) is alive.
            return starting and owner != self.owner
        return gone

    async def shutdown(self) -> None:
        """Cancel the running jobs (their transactions roll back) and wait for them."""
        if self._watch_task is not None:
            self._watch_task.cancel()
            await asyncio.gather(self._watch_task, return_exceptions=True)
            self._watch_task = None
        tasks = [task for task, _ in self._running.values()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
