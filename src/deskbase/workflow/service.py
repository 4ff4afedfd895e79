"""WorkflowService: workflows and their versions, executions and their node jobs.

Editing the trigger or nodes of a workflow that has run makes a new version; executions keep
the version they started on. Enabled workflows' record triggers are kept in RecordEvents.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.changes import WORKFLOWS
from deskbase.kernel.context import RequestContext, require_admin
from deskbase.kernel.db import Database
from deskbase.kernel.errors import Conflict, FieldError, NotFound, ValidationFailed
from deskbase.kernel.events import RecordEvents, Subscription
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.workflow.model import Definition, InvalidWorkflow, parse_definition
from deskbase.workflow.nodes.base import NodeType
from deskbase.workflow.scheduler import Scheduler, Timed
from deskbase.workflow.starts import Starts
from deskbase.workflow.triggers.base import TriggerType
from deskbase.workflow.triggers.manual import ActionConfig, CalledConfig, WebhookConfig
from deskbase.workflow.triggers.schedules import DateFieldConfig, ScheduleConfig
from deskbase.workflow.worker import Workers

__all__ = ["ExecutionNotFound", "WorkflowNotFound", "WorkflowService"]

_W, _V, _E, _J = t.workflows.c, t.workflow_versions.c, t.executions.c, t.node_jobs.c
MAX_LIMIT = 200
_VERSIONED = ("trigger", "nodes", "concurrency", "run_as")  # changing these makes a new version


class WorkflowNotFound(NotFound):
    code = "workflow_not_found"


class ExecutionNotFound(NotFound):
    code = "execution_not_found"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class WorkflowService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        triggers: Registry[TriggerType[Any]],
        nodes: Registry[NodeType[Any]],
        events: RecordEvents,
        workers: Workers,
        scheduler: Scheduler,
        starts: Starts,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.triggers = triggers
        self.nodes = nodes
        self.events = events
        self.workers = workers
        self.scheduler = scheduler
        self.starts = starts

    # -- definitions ---------------------------------------------------------------------

    async def _check_role(self, conn: AsyncConnection, definition: Definition) -> None:
        if definition.run_as is None:
            return
        found = await conn.execute(sa.select(t.roles.c.name).where(t.roles.c.name == definition.run_as))
        if found.first() is None:
            raise InvalidWorkflow(
                f"run_as: no role {definition.run_as!r}",
                errors=[FieldError("run_as", f"no role {definition.run_as!r}", "unknown_role")],
            )

    def _definition(self, raw: dict[str, Any]) -> Definition:
        trigger = raw.get("trigger")
        if isinstance(trigger, dict) and trigger.get("type") == "webhook" and not trigger.get("secret"):
            raw = {**raw, "trigger": {**trigger, "secret": secrets.token_urlsafe(24)}}  # shown to admins
        return parse_definition(raw, self.triggers, self.nodes, self.catalog)

    async def load(self) -> None:
        """Subscribe the enabled workflows' current versions to record events."""
        subs: list[Subscription] = []
        timed: list[Timed] = []
        actions: dict[tuple[str, str], list[tuple[int, int, ActionConfig]]] = {}
        webhooks: dict[int, tuple[int, WebhookConfig]] = {}
        called: dict[int, int] = {}
        limits: dict[int, int] = {}
        query = (
            sa.select(_W.id, _W.version, _V.definition)
            .join(t.workflow_versions, sa.and_(_V.workflow_id == _W.id, _V.version == _W.version))
            .where(_W.enabled.is_(True))
        )
        async with self.db.read() as conn:
            for row in await conn.execute(query):
                trigger = row.definition["trigger"]
                if trigger["type"] not in self.triggers:
                    continue
                ttype = self.triggers.get(trigger["type"])
                config = ttype.parse({k: v for k, v in trigger.items() if k != "type"})
                subs += ttype.subscriptions(row.id, row.version, config)
                if isinstance(config, (ScheduleConfig, DateFieldConfig)):
                    timed.append(Timed(row.id, row.version, config))
                elif isinstance(config, ActionConfig):
                    actions.setdefault((config.collection, config.name), []).append(
                        (row.id, row.version, config)
                    )
                elif isinstance(config, WebhookConfig):
                    webhooks[row.id] = (row.version, config)
                elif isinstance(config, CalledConfig):
                    called[row.id] = row.version
                limits[row.id] = int(row.definition.get("concurrency", 10))
        self.events.replace(subs)
        self.scheduler.timed = timed
        self.starts.actions, self.starts.webhooks, self.starts.called = actions, webhooks, called
        self.workers.limits = limits

    async def create(self, ctx: RequestContext, raw: dict[str, Any]) -> dict[str, JSONValue]:
        require_admin(ctx, "manage workflows")
        name = _name(raw.get("name"))
        definition = self._definition(raw)
        async with self.db.write() as conn:
            await self._check_role(conn, definition)
            new_id = (
                await conn.execute(
                    t.workflows.insert()
                    .values(name=name, enabled=bool(raw.get("enabled", False)), version=1,
                            created_at=ctx.now, updated_at=ctx.now)
                    .returning(_W.id)
                )
            ).scalar_one()  # fmt: skip
            await conn.execute(
                t.workflow_versions.insert().values(
                    workflow_id=new_id, version=1, definition=definition.to_json(), created_at=ctx.now
                )
            )
            await record(conn, ctx, Entry("workflow.create", record_id=new_id, detail={"name": name}))
            await self.db.changes.publish(conn, WORKFLOWS)
        await self.load()
        return await self.get(ctx, new_id)

    async def update(
        self, ctx: RequestContext, workflow_id: int, raw: dict[str, Any]
    ) -> dict[str, JSONValue]:
        """Rename, enable or disable; a new trigger or nodes make a new version if the
        current one has executions (else the current version is replaced)."""
        require_admin(ctx, "manage workflows")
        async with self.db.write() as conn:
            row = await _workflow(conn, workflow_id)
            current = await _version(conn, workflow_id, row.version)
            values: dict[str, Any] = {"updated_at": ctx.now}
            if "name" in raw:
                values["name"] = _name(raw["name"])
            if "enabled" in raw:
                values["enabled"] = bool(raw["enabled"])
            version = row.version
            if any(k in raw for k in _VERSIONED):
                changed: dict[str, Any] = {k: raw[k] for k in _VERSIONED if k in raw}
                merged: dict[str, Any] = {**current, **changed}
                parsed = self._definition(merged)
                await self._check_role(conn, parsed)
                definition = parsed.to_json()
                ran = (
                    await conn.execute(
                        sa.select(sa.func.count()).where(_E.workflow_id == workflow_id, _E.version == version)
                    )
                ).scalar_one()
                if ran:
                    version += 1
                    await conn.execute(
                        t.workflow_versions.insert().values(
                            workflow_id=workflow_id,
                            version=version,
                            definition=definition,
                            created_at=ctx.now,
                        )
                    )
                    values["version"] = version
                else:
                    await conn.execute(
                        t.workflow_versions.update()
                        .where(_V.workflow_id == workflow_id, _V.version == version)
                        .values(definition=definition)
                    )
            await conn.execute(t.workflows.update().where(_W.id == workflow_id).values(values))
            if "enabled" in raw or "trigger" in raw:  # a schedule starts afresh: no replay of the pause
                await conn.execute(t.schedules.delete().where(t.schedules.c.workflow_id == workflow_id))
            changes = {
                k: (getattr(row, k), v) for k, v in values.items() if k in ("name", "enabled", "version")
            }
            await record(conn, ctx, Entry("workflow.update", record_id=workflow_id, changes=changes))
            await self.db.changes.publish(conn, WORKFLOWS)
        await self.load()
        return await self.get(ctx, workflow_id)

    async def delete(self, ctx: RequestContext, workflow_id: int) -> None:
        require_admin(ctx, "manage workflows")
        async with self.db.write() as conn:
            row = await _workflow(conn, workflow_id)
            busy = (
                await conn.execute(
                    sa.select(sa.func.count()).where(
                        _E.workflow_id == workflow_id, _E.status.in_(("queued", "running", "waiting"))
                    )
                )
            ).scalar_one()
            if busy:
                raise Conflict(
                    f"Workflow {workflow_id} has {busy} execution(s) under way; "
                    "disable it and wait, or cancel them",
                    errors=[FieldError("id", "executions under way", "busy")],
                )
            await conn.execute(t.workflows.delete().where(_W.id == workflow_id))
            await record(
                conn, ctx, Entry("workflow.delete", record_id=workflow_id, detail={"name": row.name})
            )
            await self.db.changes.publish(conn, WORKFLOWS)
        await self.load()

    async def get(self, ctx: RequestContext, workflow_id: int) -> dict[str, JSONValue]:
        require_admin(ctx, "read workflows")
        async with self.db.read() as conn:
            row = await _workflow(conn, workflow_id)
            return _workflow_json(row, await _version(conn, workflow_id, row.version))

    async def list(self, ctx: RequestContext) -> list[JSONValue]:
        require_admin(ctx, "read workflows")
        query = sa.select(t.workflows, _V.definition).join(
            t.workflow_versions, sa.and_(_V.workflow_id == _W.id, _V.version == _W.version)
        )
        async with self.db.read() as conn:
            return [_workflow_json(r, r.definition) for r in await conn.execute(query.order_by(_W.id))]

    # -- executions ----------------------------------------------------------------------

    async def executions(
        self, ctx: RequestContext, workflow_id: int, *, limit: int = 50, before: int | None = None
    ) -> dict[str, JSONValue]:
        """Newest first, each with its nodes' jobs (status, input, output, error, timings)."""
        require_admin(ctx, "read workflow executions")
        query = (
            sa.select(t.executions)
            .where(_E.workflow_id == workflow_id)
            .order_by(_E.id.desc())
            .limit(limit + 1)
        )
        if before is not None:
            query = query.where(_E.id < before)
        async with self.db.read() as conn:
            await _workflow(conn, workflow_id)
            rows = list(await conn.execute(query))[: limit + 1]
            more = len(rows) > limit
            rows = rows[:limit]
            jobs = await _jobs(conn, [r.id for r in rows])
        data = [_execution_json(r, jobs.get(r.id, [])) for r in rows]
        return {
            "data": list[JSONValue](data),
            "meta": {"has_more": more, "next_before": rows[-1].id if more else None},
        }

    async def execution(self, ctx: RequestContext, execution_id: int) -> dict[str, JSONValue]:
        require_admin(ctx, "read workflow executions")
        async with self.db.read() as conn:
            row = await _execution(conn, execution_id)
            jobs = await _jobs(conn, [execution_id])
        return _execution_json(row, jobs.get(execution_id, []))

    async def rerun(self, ctx: RequestContext, execution_id: int) -> dict[str, JSONValue]:
        """Run a failed execution again from its failed node (finished nodes are kept)."""
        require_admin(ctx, "re-run workflow executions")
        async with self.db.write() as conn:
            row = await _execution(conn, execution_id)
            if row.status != "failed":
                raise Conflict(
                    f"Only a failed execution can be re-run (this one is {row.status})",
                    errors=[FieldError("status", f"is {row.status}", "not_failed")],
                )
            await conn.execute(
                t.node_jobs.delete().where(_J.execution_id == execution_id, _J.status != "succeeded")
            )
            await conn.execute(
                t.executions.update()
                .where(_E.id == execution_id)
                .values(status="queued", error=None, finished_at=None)
            )
            await record(conn, ctx, Entry("workflow.rerun", record_id=execution_id))
        self.events.wakeup.set()
        return await self.execution(ctx, execution_id)

    async def cancel(self, ctx: RequestContext, execution_id: int) -> dict[str, JSONValue]:
        """Cancel an execution that has not started or is waiting."""
        require_admin(ctx, "cancel workflow executions")
        async with self.db.write() as conn:
            row = await _execution(conn, execution_id)
            if row.status not in ("queued", "waiting"):
                raise Conflict(
                    f"Only a queued or waiting execution can be cancelled (this one is {row.status})",
                    errors=[FieldError("status", f"is {row.status}", "not_waiting")],
                )
            await conn.execute(
                t.executions.update()
                .where(_E.id == execution_id, _E.status.in_(("queued", "waiting")))
                .values(status="cancelled", finished_at=datetime.now(UTC))
            )
            await record(conn, ctx, Entry("workflow.cancel", record_id=execution_id))
        return await self.execution(ctx, execution_id)


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise ValidationFailed(
            "A workflow needs a name", errors=[FieldError("name", "1 to 200 characters", "required")]
        )
    return value.strip()


async def _workflow(conn: AsyncConnection, workflow_id: int) -> Any:
    row = (await conn.execute(sa.select(t.workflows).where(_W.id == workflow_id))).first()
    if row is None:
        raise WorkflowNotFound(f"Workflow {workflow_id} does not exist")
    return row


async def _version(conn: AsyncConnection, workflow_id: int, version: int) -> dict[str, Any]:
    query = sa.select(_V.definition).where(_V.workflow_id == workflow_id, _V.version == version)
    definition: dict[str, Any] = (await conn.execute(query)).scalar_one()
    return definition


async def _execution(conn: AsyncConnection, execution_id: int) -> Any:
    row = (await conn.execute(sa.select(t.executions).where(_E.id == execution_id))).first()
    if row is None:
        raise ExecutionNotFound(f"Execution {execution_id} does not exist")
    return row


async def _jobs(conn: AsyncConnection, ids: list[int]) -> dict[int, list[JSONValue]]:
    out: dict[int, list[JSONValue]] = {}
    if not ids:
        return out
    query = (
        sa.select(t.node_jobs)
        .where(_J.execution_id.in_(ids))
        .order_by(_J.execution_id, _J.started_at, _J.key)
    )
    for j in await conn.execute(query):
        out.setdefault(j.execution_id, []).append(
            {
                "key": j.key,
                "node": j.node,
                "type": j.type,
                "status": j.status,
                "input": j.input,
                "output": {k: v for k, v in (j.output or {}).items() if not k.startswith("_")},
                "error": j.error,
                "attempts": j.attempts,
                "started_at": _iso(j.started_at),
                "finished_at": _iso(j.finished_at),
            }
        )
    return out


def _workflow_json(row: Any, definition: dict[str, Any]) -> dict[str, JSONValue]:
    return {
        "id": row.id,
        "name": row.name,
        "enabled": row.enabled,
        "version": row.version,
        **definition,
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def _execution_json(row: Any, jobs: list[JSONValue]) -> dict[str, JSONValue]:
    return {
        "id": row.id,
        "workflow_id": row.workflow_id,
        "version": row.version,
        "status": row.status,
        "trigger": row.trigger,
        "depth": row.depth,
        "error": row.error,
        "created_at": _iso(row.created_at),
        "started_at": _iso(row.started_at),
        "finished_at": _iso(row.finished_at),
        "nodes": jobs,
    }
