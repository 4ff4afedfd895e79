"""How executions end: their last node jobs and their final status are written together, and
the ends of executions that finish at about the same time share one transaction (a group
commit), so a short workflow costs a few rows in a batch, not transactions of its own."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.db import Database

__all__ = ["End", "EndWriter", "JobWrite", "write_jobs"]

log = logging.getLogger("deskbase.workflows")
_J = t.node_jobs.c
_E = t.executions.c


@dataclass(frozen=True, slots=True)
class JobWrite:
    """One node job to store: a new row, or (`update`) the outcome of a row its node's own
    write already stored."""

    key: str
    update: bool
    values: dict[str, Any]


# Executemany statements, built once: a batch binds one parameter set per row.
_UPDATE_JOB = (
    t.node_jobs.update()
    .where(_J.execution_id == sa.bindparam("b_execution"), _J.key == sa.bindparam("b_key"))
    .values(
        status=sa.bindparam("b_status"),
        output=sa.bindparam("b_output", type_=sa.JSON),
        error=sa.bindparam("b_error"),
        attempts=sa.bindparam("b_attempts"),
        finished_at=sa.bindparam("b_finished_at", type_=sa.DateTime(timezone=True)),
    )
)
_END_EXECUTION = (
    t.executions.update()
    .where(_E.id == sa.bindparam("b_id"), _E.status == "running")
    .values(
        status=sa.bindparam("b_status"),
        error=sa.bindparam("b_error"),
        owner=None,
        wake_at=sa.bindparam("b_wake_at", type_=sa.DateTime(timezone=True)),
        finished_at=sa.bindparam("b_finished_at", type_=sa.DateTime(timezone=True)),
    )
)


async def write_jobs(
    conn: AsyncConnection, execution_id: int, jobs: list[JobWrite], stored: set[str]
) -> None:
    """Store node jobs in the caller's transaction; `stored` names the keys that already have a
    row (a node run again after a crash replaces its row) and learns the new ones."""
    await _write_jobs(conn, [(execution_id, jobs, stored)])


async def _write_jobs(conn: AsyncConnection, batch: list[tuple[int, list[JobWrite], set[str]]]) -> None:
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for execution_id, jobs, stored in batch:
        for job in jobs:
            if job.update:
                updates.append(
                    {"b_execution": execution_id, "b_key": job.key}
                    | {f"b_{k}": v for k, v in job.values.items()}
                )
                continue
            if job.key in stored:
                await conn.execute(
                    sa.delete(t.node_jobs).where(_J.execution_id == execution_id, _J.key == job.key)
                )
            inserts.append({"execution_id": execution_id, "key": job.key, **job.values})
            stored.add(job.key)
    if inserts:
        await conn.execute(t.node_jobs.insert(), inserts)
    if updates:
        await conn.execute(_UPDATE_JOB, updates)


@dataclass(slots=True)
class End:
    """An execution's end: its unsaved jobs, its status, and what else the end sets off."""

    execution: Any  # the claimed execution (id, workflow_id, trigger, …)
    status: str
    error: str | None
    wake: datetime | None
    finished_at: datetime | None
    jobs: list[JobWrite]
    stored: set[str]
    nodes: dict[str, Any] = field(default_factory=dict)


# What an end sets off beyond its own rows (admins told of a failure, a caller woken): run in
# the same transaction, once per end that needs it.
Aftermath = Callable[[AsyncConnection, End], Awaitable[None]]


class EndWriter:
    """Group commit of execution ends. `write` returns once its end is committed; ends that
    arrive while a batch is being written make the next batch. A batch that fails is retried
    one end per transaction, so one bad end never loses the others."""

    def __init__(self, db: Database, aftermath: Aftermath) -> None:
        self.db = db
        self.aftermath = aftermath
        self._queue: list[tuple[End, asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    async def write(self, end: End) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((end, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name="deskbase-execution-ends")
        # A cancelled waiter leaves its end queued: it is written all the same.
        await asyncio.shield(future)

    async def close(self) -> None:
        """Write what is queued (the App stops)."""
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue, []
            try:
                await self._commit([e for e, _ in batch])
            except Exception as exc:
                if len(batch) == 1:
                    _settle(batch[0][1], exc)
                    continue
                log.warning("A batch of %d execution ends failed; writing them one by one", len(batch))
                for end, future in batch:
                    try:
                        await self._commit([end])
                    except Exception as one:
                        _settle(future, one)
                    else:
                        _settle(future, None)
            else:
                for _, future in batch:
                    _settle(future, None)

    async def _commit(self, ends: list[End]) -> None:
        async with self.db.write() as conn:
            await _write_jobs(conn, [(e.execution.id, e.jobs, e.stored) for e in ends])
            await conn.execute(
                _END_EXECUTION,
                [
                    {"b_id": e.execution.id, "b_status": e.status, "b_error": e.error,
                     "b_wake_at": e.wake, "b_finished_at": e.finished_at}
                    for e in ends
                ],
            )  # fmt: skip
            for end in ends:
                await self.aftermath(conn, end)


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)
