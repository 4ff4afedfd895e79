"""Manual tasks: `manual_task` node jobs waiting for their assignees, and completing them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import Conflict, FieldError, NotFound
from deskbase.kernel.events import RecordEvents
from deskbase.kernel.types import JSONValue
from deskbase.workflow.forms import check_form

__all__ = ["TaskService"]

_E, _J = t.executions.c, t.node_jobs.c


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class TaskService:
    """Manual tasks: the node jobs of `manual_task` nodes waiting for their assignees."""

    def __init__(self, db: Database, events: RecordEvents) -> None:
        self.db = db
        self.events = events

    async def open_tasks(self, ctx: RequestContext) -> list[JSONValue]:
        """The caller's open tasks (an admin's: all), oldest first."""
        query = (
            sa.select(t.node_jobs, _E.workflow_id)
            .join(t.executions, _E.id == _J.execution_id)
            .where(_J.type == "manual_task", _J.status == "waiting", _E.status == "waiting")
            .order_by(_J.started_at)
        )
        async with self.db.read() as conn:
            rows = list(await conn.execute(query))
        return [_task_json(r) for r in rows if _assigned(ctx, r.output)]

    async def complete(
        self, ctx: RequestContext, execution_id: int, key: str, values: JSONValue
    ) -> dict[str, JSONValue]:
        """Complete a task with its form's values; the execution goes on."""
        async with self.db.write() as conn:
            job = (
                await conn.execute(
                    sa.select(t.node_jobs).where(
                        _J.execution_id == execution_id, _J.key == key, _J.type == "manual_task"
                    )
                )
            ).first()
            if job is None or not _assigned(ctx, job.output):
                raise NotFound(f"Task {key!r} of execution {execution_id} does not exist")
            if job.status != "waiting":
                raise Conflict(
                    "The task is already completed", errors=[FieldError("status", job.status, "done")]
                )
            answer = check_form(job.output.get("form") or [], values)
            output = {**job.output, "result": answer, "completed_by": ctx.actor.id}
            await conn.execute(
                t.node_jobs.update()
                .where(_J.execution_id == execution_id, _J.key == key)
                .values(status="succeeded", output=output, finished_at=ctx.now)
            )
            await conn.execute(
                t.executions.update()
                .where(_E.id == execution_id, _E.status == "waiting")
                .values(status="queued", wake_at=None)
            )
            await record(conn, ctx, Entry("workflow.task", record_id=execution_id, detail={"task": key}))
        self.events.wakeup.set()
        return {"execution_id": execution_id, "key": key, "result": answer}


def _assigned(ctx: RequestContext, output: Any) -> bool:
    people = output.get("assignees", []) if isinstance(output, dict) else []
    return ctx.actor.is_admin or ctx.actor.id in people


def _task_json(row: Any) -> dict[str, JSONValue]:
    out = row.output or {}
    return {
        "execution_id": row.execution_id,
        "workflow_id": row.workflow_id,
        "key": row.key,
        "title": (row.input or {}).get("title"),
        "description": (row.input or {}).get("description"),
        "form": out.get("form", []),
        "assignees": out.get("assignees", []),
        "created_at": _iso(row.started_at),
    }
