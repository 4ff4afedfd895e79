"""The engine: runs one execution node by node, storing each node's job, and resumes an
interrupted execution without repeating a node that finished (its job says so)."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.context import ADMIN_ROLE, Actor, RequestContext
from deskbase.kernel.errors import AppError
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.workflow.ends import End, EndWriter, JobWrite, write_jobs
from deskbase.workflow.model import NodeSpec
from deskbase.workflow.nodes.base import Branch, Done, Failed, NodeRun, NodeType, Outcome, Stop, Wait
from deskbase.workflow.runtime import Services
from deskbase.workflow.templates import render

__all__ = ["Claimed", "Engine", "load_nodes"]

log = logging.getLogger("deskbase.workflows")
_J = t.node_jobs.c


class _Suspend(Exception):
    """A node waits: the execution sleeps until `until` (None: until its job is completed)."""

    def __init__(self, until: datetime | None) -> None:
        super().__init__("waiting")
        self.until = until


class _NodeFailed(Exception):
    def __init__(self, node: str, error: str) -> None:
        super().__init__(f"node {node}: {error}")
        self.error = f"node {node}: {error}"


def load_nodes(raw: list[Any]) -> tuple[NodeSpec, ...]:
    """Node specs from a stored (already checked) definition."""
    return tuple(
        NodeSpec(
            n["id"],
            n["type"],
            n.get("config") or {},
            {k: load_nodes(v) for k, v in (n.get("branches") or {}).items()},
            int(n.get("retries", 0)),
            float(n.get("retry_delay", 1.0)),
        )
        for n in raw
    )


@dataclass(frozen=True, slots=True)
class Claimed:
    """An execution as the worker claimed it: all the engine needs to start it."""

    id: int
    workflow_id: int
    version: int
    trigger: Any
    depth: int
    fresh: bool  # never started before: it has no node jobs yet
    definition: dict[str, Any]  # its workflow version's


@dataclass(slots=True)
class _Run:
    execution_id: int
    ctx: RequestContext
    variables: dict[str, Any]
    jobs: dict[str, dict[str, Any]]
    stored: set[str]  # keys of the jobs that have a row
    stopped: str | None = None
    nodes_out: dict[str, JSONValue] = field(default_factory=dict)
    # Job writes that may wait for the next transaction: those of pure nodes (run again after a
    # crash, harmlessly) and the outputs of nodes whose write already stored their job.
    pending: list[JobWrite] = field(default_factory=list)
    flushed: int = 0


async def _flush(conn: AsyncConnection, run: _Run) -> None:
    await write_jobs(conn, run.execution_id, run.pending, run.stored)
    run.flushed = len(run.pending)


class Engine:
    def __init__(self, services: Services, nodes: Registry[NodeType[Any]]) -> None:
        self.services = services
        self.nodes = nodes
        self.db = services.db
        self.ends = EndWriter(self.db, self._aftermath)

    async def run(self, ex: Claimed) -> str:
        """Run (or resume) an execution to its end; returns its final status."""
        version = ex.definition
        jobs: dict[str, dict[str, Any]] = {}
        if not ex.fresh:
            async with self.db.read() as conn:
                rows = await conn.execute(sa.select(t.node_jobs).where(_J.execution_id == ex.id))
                jobs = {r.key: dict(r._mapping) for r in rows}
        run_as = version.get("run_as")
        actor = Actor.role(run_as) if isinstance(run_as, str) else Actor.system()
        ctx = RequestContext(actor, source="workflow", depth=ex.depth + 1)
        nodes_out: dict[str, Any] = {}
        variables: dict[str, Any] = {"trigger": ex.trigger, "nodes": nodes_out, "now": ctx.now.isoformat()}
        run = _Run(ex.id, ctx, variables, jobs, set(jobs))
        status, error, wake = "succeeded", None, None
        try:
            await self._sequence(run, load_nodes(version["nodes"]), "")
            if run.stopped is not None:
                status = run.stopped
        except _Suspend as exc:
            status, wake = "waiting", exc.until
        except _NodeFailed as exc:
            status, error = "failed", exc.error
        except asyncio.CancelledError:
            raise  # the worker is stopping: the execution resumes on the next start
        except Exception as exc:  # a bug must not take the worker down
            log.exception("Execution %s failed unexpectedly", ex.id)
            status, error = "failed", f"unexpected error: {type(exc).__name__}: {exc}"
        finished = None if status == "waiting" else datetime.now(UTC)
        await self.ends.write(End(ex, status, error, wake, finished, run.pending, run.stored, nodes_out))
        return status

    async def _aftermath(self, conn: AsyncConnection, end: End) -> None:
        """What an execution's end sets off, in the transaction that writes it."""
        ex = end.execution
        if end.status == "failed":
            await self._tell_admins(conn, ex, end.error or "failed")
        parent = ex.trigger.get("_parent") if isinstance(ex.trigger, dict) else None
        if end.status != "waiting" and isinstance(parent, dict):
            await _wake_parent(conn, parent.get("execution"), end.status, end.nodes)
        if end.status == "waiting":  # a called workflow may have ended before this one waited
            await _ended_children(conn, ex.id)

    async def _tell_admins(self, conn: AsyncConnection, ex: Any, error: str) -> None:
        admins = await conn.execute(
            sa.select(t.user_roles.c.user_id).where(t.user_roles.c.role == ADMIN_ROLE)
        )
        name = (
            await conn.execute(sa.select(t.workflows.c.name).where(t.workflows.c.id == ex.workflow_id))
        ).scalar_one_or_none()
        await self.services.inbox.send(
            conn,
            list(admins.scalars()),
            f"Workflow {name!r} failed (execution {ex.id})",
            error,
            f"/api/workflows/{ex.workflow_id}/executions",
            ex.id,
        )

    async def _sequence(self, run: _Run, nodes: tuple[NodeSpec, ...], suffix: str) -> None:
        for spec in nodes:
            if run.stopped is not None:
                return
            await self._node(run, spec, suffix)

    async def _node(self, run: _Run, spec: NodeSpec, suffix: str) -> None:
        key = spec.id + suffix
        done = run.jobs.get(key)
        if done is not None and done["status"] == "succeeded":
            output = done["output"] or {}
            run.variables["nodes"][spec.id] = _public(output)
        elif done is not None and done["status"] == "waiting":
            output = await self._resume(run, spec, key, done)
        else:
            output = await self._attempts(run, spec, key)
        if "_stop" in output:
            run.stopped = str(output["_stop"])
            return
        names = output.get("_branches")
        if names is None:
            return
        chosen = [n for n in (names or list(spec.branches)) if n in spec.branches]
        items = output.get("_items")
        if items is not None:
            for i, item in enumerate(items):
                run.variables["loop"] = {"item": item, "index": i}
                for name in chosen:
                    await self._sequence(run, spec.branches[name], f"{suffix}[{i}]")
            run.variables.pop("loop", None)
        elif output.get("_parallel"):
            # Every branch runs to its end (or its wait) before the join: none is cut mid-write.
            ends = await asyncio.gather(
                *(self._sequence(run, spec.branches[n], suffix) for n in chosen), return_exceptions=True
            )
            failed = [e for e in ends if isinstance(e, BaseException) and not isinstance(e, _Suspend)]
            if failed:
                raise failed[0]
            waits = [e for e in ends if isinstance(e, _Suspend)]
            if waits:
                times = [w.until for w in waits if w.until is not None]
                raise _Suspend(min(times) if len(times) == len(waits) else None)
        else:
            for name in chosen:
                await self._sequence(run, spec.branches[name], suffix)

    async def _attempts(self, run: _Run, spec: NodeSpec, key: str) -> dict[str, Any]:
        ntype = self.nodes.get(spec.type)
        started = datetime.now(UTC)
        error = ""
        rendered: JSONValue = None
        try:  # a template or config that does not fit fails at once: retrying would not help
            rendered = render(spec.config, run.variables)
            config = ntype.parse(rendered if isinstance(rendered, dict) else {})
        except (AppError, ValidationError) as exc:
            await self._save_job(run, spec, key, "failed", rendered, None, _message(exc), 0, started, False)
            raise _NodeFailed(spec.id, _message(exc)) from None
        for attempt in range(spec.retries + 1):
            if attempt:
                await asyncio.sleep(spec.retry_delay * 2 ** (attempt - 1))
            recorded = False

            async def record_job(
                conn: AsyncConnection, attempt: int = attempt, given: JSONValue = rendered
            ) -> None:
                nonlocal recorded
                # The node's job rides with its write, and so do earlier nodes' jobs not yet stored.
                run.pending.append(
                    JobWrite(key, False, {"node": spec.id, "type": spec.type, "status": "succeeded",
                                          "input": given, "output": None, "error": None,
                                          "attempts": attempt + 1, "started_at": started,
                                          "finished_at": datetime.now(UTC)})
                )  # fmt: skip
                await _flush(conn, run)
                recorded = True

            t0 = time.perf_counter()
            try:
                ctx = RequestContext(
                    run.ctx.actor, run.ctx.source, depth=run.ctx.depth, in_transaction=record_job
                )
                node_run = NodeRun(run.execution_id, spec.id, self.services, ctx, run.variables, record_job)
                outcome = await ntype.run(config, node_run)
            except (AppError, ValidationError) as exc:
                outcome = Failed(_message(exc))
                if recorded:  # its transaction rolled back: nothing was stored, its own job neither
                    run.pending = [j for j in run.pending if j.key != key]
                recorded, run.flushed = False, 0
            output = _output(outcome)
            if isinstance(outcome, Wait):
                await self._save_job(
                    run, spec, key, "waiting", rendered, output, None, attempt, started, recorded
                )
                raise _Suspend(outcome.until)
            if recorded:
                del run.pending[: run.flushed]  # its transaction committed them
                run.flushed = 0
            if not isinstance(outcome, Failed):
                run.variables["nodes"][spec.id] = _public(output)
                await self._save_job(
                    run, spec, key, "succeeded", rendered, output, None, attempt, started, recorded,
                    defer=recorded or ntype.pure,
                )  # fmt: skip
                ms = (time.perf_counter() - t0) * 1000
                log.debug("node %s of execution %s took %.1f ms", key, run.execution_id, ms)
                return output
            error = outcome.error
        await self._save_job(run, spec, key, "failed", rendered, None, error, spec.retries, started, False)
        raise _NodeFailed(spec.id, error)

    async def _resume(self, run: _Run, spec: NodeSpec, key: str, job: dict[str, Any]) -> dict[str, Any]:
        """A waiting node when its execution wakes: it goes on, or waits again."""
        ntype = self.nodes.get(spec.type)
        stored: dict[str, Any] = job["output"] or {}
        rendered = job["input"] if isinstance(job["input"], dict) else {}
        config = ntype.parse(rendered)
        node_run = NodeRun(run.execution_id, spec.id, self.services, run.ctx, run.variables, _no_write)
        outcome = await ntype.resume(config, node_run, _public(stored))
        output = _output(outcome)
        started = job["started_at"]
        if isinstance(outcome, Wait):
            raise _Suspend(outcome.until)
        if isinstance(outcome, Failed):
            await self._save_job(run, spec, key, "failed", rendered, None, outcome.error, 0, started, True)
            raise _NodeFailed(spec.id, outcome.error)
        run.variables["nodes"][spec.id] = _public(output)
        await self._save_job(
            run, spec, key, "succeeded", rendered, output, None, job["attempts"] - 1, started, True
        )
        return output

    async def _save_job(
        self, run: _Run, spec: NodeSpec, key: str, status: str, rendered: JSONValue,
        output: dict[str, Any] | None, error: str | None, attempt: int, started: datetime, recorded: bool,
        *, defer: bool = False,
    ) -> None:  # fmt: skip
        """Store a node's job: at once (with the jobs waiting for a transaction), or, for `defer`,
        with the execution's next write."""
        values: dict[str, Any] = {"status": status, "output": output, "error": error, "attempts": attempt + 1,
                                  "finished_at": datetime.now(UTC)}  # fmt: skip
        if not recorded:
            values |= {"node": spec.id, "type": spec.type, "input": rendered, "started_at": started}
        run.pending.append(JobWrite(key, recorded, values))
        if defer:
            return
        async with self.db.write() as conn:
            await _flush(conn, run)
        run.pending.clear()
        run.flushed = 0


async def _wake_parent(conn: AsyncConnection, parent_id: Any, status: str, nodes: dict[str, Any]) -> None:
    """A called workflow ended: its caller's waiting node learns how, and the caller goes on
    (if it is not waiting yet, it finds out itself when it starts to: `_ended_children`)."""
    jobs = await conn.execute(
        sa.select(t.node_jobs).where(
            _J.execution_id == parent_id, _J.type == "call_workflow", _J.status == "waiting"
        )
    )
    for job in jobs:
        output = job.output or {}
        if "child_status" in output:
            continue
        await _tell(conn, parent_id, job.key, {**output, "child_status": status, "child_nodes": nodes})


async def _ended_children(conn: AsyncConnection, execution_id: int) -> None:
    jobs = await conn.execute(
        sa.select(t.node_jobs).where(
            _J.execution_id == execution_id, _J.type == "call_workflow", _J.status == "waiting"
        )
    )
    for job in list(jobs):
        output = job.output or {}
        child = (
            await conn.execute(
                sa.select(t.executions.c.status).where(t.executions.c.id == output.get("execution"))
            )
        ).scalar_one_or_none()
        if "child_status" in output:  # the child told the job before this execution waited
            await _tell(conn, execution_id, job.key, output)
        elif child in ("succeeded", "failed", "cancelled"):
            done = await conn.execute(
                sa.select(_J.node, _J.output).where(
                    _J.execution_id == output.get("execution"), _J.status == "succeeded"
                )
            )
            nodes = {n: {k: v for k, v in (o or {}).items() if not k.startswith("_")} for n, o in done}
            await _tell(conn, execution_id, job.key, {**output, "child_status": child, "child_nodes": nodes})


async def _tell(conn: AsyncConnection, execution_id: Any, key: str, output: dict[str, Any]) -> None:
    await conn.execute(
        t.node_jobs.update().where(_J.execution_id == execution_id, _J.key == key).values(output=output)
    )
    await conn.execute(
        t.executions.update()
        .where(t.executions.c.id == execution_id, t.executions.c.status == "waiting")
        .values(status="queued", wake_at=None)
    )


async def _no_write(conn: AsyncConnection) -> None:
    """A resumed node does not write through a record transaction of its own."""


def _output(outcome: Outcome) -> dict[str, Any]:
    match outcome:
        case Wait(until, output):
            return {**output, "_until": until.isoformat() if until else None}
        case Done(output):
            return dict(output)
        case Stop(status, output):
            return {**output, "_stop": status}
        case Branch(names, output, parallel, items):
            out: dict[str, Any] = {**output, "_branches": list(names)}
            if parallel:
                out["_parallel"] = True
            if items is not None:
                out["_items"] = items
            return out
        case Failed(error):
            return {"error": error}


def _public(output: dict[str, Any]) -> dict[str, Any]:
    """A node's output as later templates see it (`nodes.find.result`), without engine keys."""
    return {k: v for k, v in output.items() if not k.startswith("_")}


def _message(exc: Exception) -> str:
    if isinstance(exc, AppError):
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors[:5])
        return f"{exc.code}: {exc.detail}" + (
            f" ({details})" if details and details not in exc.detail else ""
        )
    return str(exc)
