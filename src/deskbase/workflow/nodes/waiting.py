"""Nodes that wait durably: a delay (for a while, or until a date), and a manual task that a
user or a role completes from the inbox with a form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from pydantic import Field

from deskbase.kernel import tables as t
from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Done, Failed, NodeConfig, NodeRun, NodeType, Outcome, Wait
from deskbase.workflow.nodes.notify import user_ids
from deskbase.workflow.triggers.manual import FormField

__all__ = ["DelayNode", "ManualTaskNode"]


class DelayConfig(NodeConfig):
    seconds: float | None = Field(default=None, ge=0, le=366 * 86400)
    until: JSONValue = None  # an ISO date-time (or a template giving one)


def _instant(value: JSONValue) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class DelayNode(NodeType[DelayConfig]):
    """Waits `seconds`, or until the date-time `until`; the wait survives a restart."""

    key = "delay"
    Config = DelayConfig

    async def run(self, config: DelayConfig, run: NodeRun) -> Outcome:
        if config.seconds is not None:
            until = datetime.now(UTC) + timedelta(seconds=config.seconds)
        else:
            moment = _instant(config.until)
            if moment is None:
                return Failed(f"delay needs `seconds` or an ISO date-time `until` (got {config.until!r})")
            until = moment
        if until <= datetime.now(UTC):
            return Done({"until": until.isoformat()})
        return Wait(until, {"until": until.isoformat()})

    async def resume(self, config: DelayConfig, run: NodeRun, output: dict[str, JSONValue]) -> Outcome:
        until = _instant(output.get("until"))
        if until is not None and until > datetime.now(UTC):
            return Wait(until, output)
        return Done(output)


class TaskConfig(NodeConfig):
    title: str = Field(min_length=1, max_length=500)
    description: str | None = None
    assignees: JSONValue = Field(default_factory=list)  # user ids or emails
    role: str | None = None  # or everyone with this role
    form: list[FormField] = Field(default_factory=list)


class ManualTaskNode(NodeType[TaskConfig]):
    """Asks users to complete a task (with a form) from their inbox; the execution waits for it.
    The form's values become the node's `result`."""

    key = "manual_task"
    Config = TaskConfig

    async def run(self, config: TaskConfig, run: NodeRun) -> Outcome:
        link = f"/api/executions/{run.execution_id}/tasks/{run.node_id}"
        async with run.services.db.write() as conn:
            people = set(await user_ids(conn, config.assignees))
            if config.role:
                holders = await conn.execute(
                    sa.select(t.user_roles.c.user_id).where(t.user_roles.c.role == config.role)
                )
                people |= set(holders.scalars())
            if not people:
                return Failed(
                    "manual_task has no one to assign it to (no user matched `assignees` or `role`)"
                )
            await run.services.inbox.send(
                conn, sorted(people), config.title, config.description, link, run.execution_id
            )
        form: list[JSONValue] = [f.model_dump() for f in config.form]
        assigned: list[JSONValue] = list(sorted(people))
        return Wait(None, {"assignees": assigned, "form": form, "task": link})
