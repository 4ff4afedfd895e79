"""Starting executions from outside a record write: action buttons, incoming webhooks and
calls from other workflows. The service keeps the maps of who listens (`load`)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.access import Guard
from deskbase.data.query import ListQuery
from deskbase.data.records import RecordService
from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import FieldError, NotFound, RecordNotFound, ValidationFailed
from deskbase.kernel.events import MAX_DEPTH, RecordEvents, queued_execution
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.workflow.forms import check_form
from deskbase.workflow.triggers.manual import ActionConfig, WebhookConfig

__all__ = ["MAX_SELECTION", "Starts"]

MAX_SELECTION = 1000


class ActionNotFound(NotFound):
    code = "action_not_found"


@dataclass(slots=True)
class Starts:
    db: Database
    catalog: Catalog
    guard: Guard
    records: RecordService
    events: RecordEvents
    actions: dict[tuple[str, str], list[tuple[int, int, ActionConfig]]] = field(default_factory=dict)
    webhooks: dict[int, tuple[int, WebhookConfig]] = field(default_factory=dict)
    called: dict[int, int] = field(default_factory=dict)  # workflow id → version

    async def action(
        self, ctx: RequestContext, collection: str, name: str, ids: list[int], values: JSONValue
    ) -> list[int]:
        """Run the workflows of action `name` on records `ids` (one execution per record and
        workflow), if the caller's roles grant the action on those records (403 / 404)."""
        coll = self.catalog.get(collection)
        listeners = self.actions.get((collection, name), [])
        if not listeners:
            raise ActionNotFound(f"{collection} has no action {name!r}")
        if not ids or len(ids) > MAX_SELECTION:
            raise ValidationFailed(
                f"Select 1 to {MAX_SELECTION} records",
                errors=[FieldError("ids", f"1 to {MAX_SELECTION} record ids", "out_of_range")],
            )
        grant = self.guard.grant(ctx, coll, name)  # 403 unless a role has the custom action
        scope = self.guard.where(ctx, grant)
        found = sa.select(coll.table.c.id).where(coll.table.c.id.in_(ids))
        if scope is not None:
            found = found.where(scope)
        async with self.db.read() as conn:
            inside = set((await conn.execute(found)).scalars())
        missing = sorted(set(ids) - inside)
        if missing:
            raise RecordNotFound(f"{collection} record {missing[0]} does not exist")
        system = RequestContext(Actor.system(), source="workflow")
        page: dict[str, Any] = await self.records.list_records(
            system, collection, ListQuery(filter={"id": {"$in": list(ids)}}, page_size=min(len(ids), 500))
        )
        by_id = {r["id"]: r for r in page["data"]}
        user: dict[str, JSONValue] = {"id": ctx.actor.id, "email": ctx.actor.email, "name": ctx.actor.name}
        rows = []
        for workflow_id, version, config in listeners:
            answer = check_form([f.model_dump() for f in config.form], values if values is not None else {})
            for record_id in ids:
                data = {"record": by_id.get(record_id, {"id": record_id}), "values": answer, "user": user,
                        "action": name}  # fmt: skip
                rows.append(_row(workflow_id, version, data, ctx))
        async with self.db.write() as conn:
            created = await _insert(conn, rows)
            await record(
                conn, ctx, Entry("workflow.action", collection, detail={"action": name, "ids": list(ids)})
            )
        self.events.wakeup.set()
        return created

    async def webhook(self, workflow_id: int, secret: str, body: JSONValue) -> int:
        """An incoming webhook: 404 unless the workflow is enabled and the secret matches."""
        found = self.webhooks.get(workflow_id)
        if found is None or not hmac.compare_digest((found[1].secret or "").encode(), secret.encode()):
            raise NotFound("No such webhook")
        ctx = RequestContext(Actor.system(), source="webhook")
        async with self.db.write() as conn:
            [created] = await _insert(conn, [_row(workflow_id, found[0], {"body": body}, ctx)])
        self.events.wakeup.set()
        return created

    async def call(
        self, conn: AsyncConnection, ctx: RequestContext, workflow_id: int, data: dict[str, JSONValue]
    ) -> int:
        """Queue a `called` workflow from another one's node, in the caller's transaction."""
        version = self.called.get(workflow_id)
        if version is None:
            raise NotFound(f"Workflow {workflow_id} is not an enabled workflow with a `called` trigger")
        if ctx.depth >= MAX_DEPTH:
            raise ValidationFailed(
                f"Workflows calling workflows stop at depth {MAX_DEPTH}",
                errors=[FieldError("workflow", "too deep", "depth_limit")],
            )
        [created] = await _insert(conn, [_row(workflow_id, version, data, ctx)])
        self.events.queued()
        return created


def _row(workflow_id: int, version: int, data: dict[str, Any], ctx: RequestContext) -> dict[str, object]:
    return queued_execution(
        workflow_id, version, data, depth=ctx.depth, actor_id=ctx.actor.id, at=datetime.now(UTC)
    )


async def _insert(conn: AsyncConnection, rows: list[dict[str, object]]) -> list[int]:
    stmt = t.executions.insert().returning(t.executions.c.id, sort_by_parameter_order=True)
    return list((await conn.execute(stmt, rows)).scalars())
