"""Background jobs: reading, listing and cancelling them, access, and recovery at start."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa

from deskbase.app import App
from deskbase.data.jobs import JobCancelled, JobHandle, JobOutcome
from deskbase.identity.payloads import UserIn
from deskbase.kernel import tables as t
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.errors import JobNotFound, ValidationFailed
from tests.factories import assert_problem, make_collection

JOB_KEYS = {
    "id", "kind", "status", "collection", "total", "done", "errors", "error_count", "rate",
    "created_at", "started_at", "finished_at",
}  # fmt: skip


async def _admin_ctx(app: App) -> RequestContext:
    return RequestContext(actor=Actor(id=1, email="admin@example.com", roles=("admin",)))


async def test_a_job_reports_progress_and_its_result(client: httpx.AsyncClient, app: App) -> None:
    step = asyncio.Event()

    async def work(handle: JobHandle) -> JobOutcome:
        await handle.progress(2, 4, [], 0)
        await step.wait()
        await handle.progress(4, 4, [{"row": 3, "message": "odd"}], 1)
        return JobOutcome("succeeded", {"done": True}, "all good")

    job = await app.jobs.submit(await _admin_ctx(app), "demo", None, {"n": 4}, work)
    for _ in range(100):
        if (await app.jobs.get(await _admin_ctx(app), job.id)).done == 2:
            break
        await asyncio.sleep(0.01)
    running = (await client.get(f"/api/jobs/{job.id}")).json()["data"]
    assert set(running) >= JOB_KEYS
    assert (running["status"], running["done"], running["total"]) == ("running", 2, 4)
    assert running["finished_at"] is None
    assert running["started_at"]
    step.set()
    await app.jobs.wait(job.id)
    done = (await client.get(f"/api/jobs/{job.id}")).json()["data"]
    assert (done["status"], done["done"], done["error_count"]) == ("succeeded", 4, 1)
    assert done["errors"] == [{"row": 3, "message": "odd"}]
    assert done["result"] == {"done": True}
    assert done["message"] == "all good"
    assert done["rate"] > 0
    assert done["finished_at"] >= done["started_at"]
    listed = (await client.get("/api/jobs")).json()["data"]
    assert [j["id"] for j in listed] == [job.id]


async def test_failures_and_cancels_end_the_job(client: httpx.AsyncClient, app: App) -> None:
    ctx = await _admin_ctx(app)

    async def invalid(handle: JobHandle) -> JobOutcome:
        raise ValidationFailed("Bad file", errors=[])

    async def broken(handle: JobHandle) -> JobOutcome:
        raise RuntimeError("boom")

    async def stops(handle: JobHandle) -> JobOutcome:
        while True:
            await asyncio.sleep(0.01)
            handle.check()

    cleaned: list[int] = []
    a = await app.jobs.submit(ctx, "demo", None, {}, invalid, lambda: cleaned.append(1))
    b = await app.jobs.submit(ctx, "demo", None, {}, broken, lambda: cleaned.append(2))
    c = await app.jobs.submit(ctx, "demo", None, {}, stops, lambda: cleaned.append(3))
    await app.jobs.wait(a.id)
    await app.jobs.wait(b.id)
    assert (await client.post(f"/api/jobs/{c.id}/cancel")).status_code == 202
    await app.jobs.wait(c.id)
    got = {j.id: j for j in [await app.jobs.get(ctx, i) for i in (a.id, b.id, c.id)]}
    assert (got[a.id].status, got[a.id].message) == ("failed", "Bad file")
    assert got[b.id].status == "failed"
    assert "unexpected" in (got[b.id].message or "")
    assert got[c.id].status == "cancelled"
    assert sorted(cleaned) == [1, 2, 3]
    assert JobCancelled  # the class the work raises through handle.check()


async def test_unknown_and_foreign_jobs_are_not_found(client: httpx.AsyncClient, app: App) -> None:
    assert_problem(await client.get("/api/jobs/999"), 404, "job_not_found")
    assert_problem(await client.post("/api/jobs/999/cancel"), 404, "job_not_found")
    anon = await client.get("/api/jobs/1", headers={"Authorization": ""})
    assert_problem(anon, 401, "unauthenticated")

    async def work(handle: JobHandle) -> JobOutcome:
        return JobOutcome("succeeded", {})

    mine = await app.jobs.submit(await _admin_ctx(app), "demo", None, {}, work)
    await app.jobs.wait(mine.id)
    other = await app.identity.users.create_user(
        await _admin_ctx(app), UserIn(email="clerk@example.com", password="Ledger-pass-1", name="Clerk")
    )
    ctx = RequestContext(actor=Actor(id=other.id, email=other.email))
    with pytest.raises(JobNotFound):
        await app.jobs.get(ctx, mine.id)
    assert await app.jobs.list_jobs(ctx) == []


async def _job_row(app: App, **values: object) -> int:
    async with app.db.write() as conn:
        return int(
            (
                await conn.execute(
                    t.jobs.insert()
                    .values(
                        kind="import",
                        params={},
                        errors=[],
                        created_at=datetime.now(UTC),
                        **values,
                    )
                    .returning(t.jobs.c.id)
                )
            ).scalar_one()
        )


async def test_jobs_of_a_stopped_process_fail_at_start(app: App) -> None:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "import os; print(os.getpid())", stdout=asyncio.subprocess.PIPE
    )
    out, _ = await child.communicate()
    dead_pid = int(out)
    host = socket.gethostname()
    gone = await _job_row(app, status="running", owner=f"{host}:{dead_pid}:x")
    queued = await _job_row(app, status="queued", owner=f"{host}:{dead_pid}:y")
    alive = await _job_row(app, status="running", owner=f"{host}:{os.getppid()}:z")
    remote_old = await _job_row(
        app, status="running", owner="elsewhere:1:a", heartbeat_at=datetime.now(UTC) - timedelta(hours=1)
    )
    remote_live = await _job_row(app, status="running", owner="elsewhere:1:b", heartbeat_at=datetime.now(UTC))
    finished = await _job_row(app, status="succeeded", owner=f"{host}:{dead_pid}:c")
    assert await app.jobs.recover() == 3
    async with app.db.read() as conn:
        rows = dict((await conn.execute(sa.select(t.jobs.c.id, t.jobs.c.status))).all())
    assert rows == {
        gone: "failed",
        queued: "failed",
        alive: "running",
        remote_old: "failed",
        remote_live: "running",
        finished: "succeeded",
    }


async def test_stopping_the_app_fails_running_jobs(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "notes", [{"name": "title", "type": "string"}])
    started = asyncio.Event()

    async def forever(handle: JobHandle) -> JobOutcome:
        started.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    job = await app.jobs.submit(await _admin_ctx(app), "demo", "notes", {}, forever)
    await started.wait()
    await app.jobs.shutdown()
    async with app.db.read() as conn:
        row = (await conn.execute(sa.select(t.jobs).where(t.jobs.c.id == job.id))).one()
    assert row.status == "failed"
    assert "server stopped" in row.message


async def test_progress_reaches_the_row_and_so_does_a_cancel_from_elsewhere(app: App) -> None:
    app.jobs.flush_interval = 0
    reported, proceed = asyncio.Event(), asyncio.Event()

    async def work(handle: JobHandle) -> JobOutcome:
        await handle.progress(1, 3, [], 0)
        reported.set()
        await proceed.wait()
        await handle.progress(2, 3, [], 0)  # reads the row's cancel flag on PostgreSQL
        handle.check()
        return JobOutcome("succeeded", {})

    job = await app.jobs.submit(await _admin_ctx(app), "demo", None, {}, work)
    await reported.wait()
    async with app.db.read() as conn:
        row = (await conn.execute(sa.select(t.jobs).where(t.jobs.c.id == job.id))).one()
    assert row.status == "running"
    # PostgreSQL: written as it goes. SQLite: at start and end only (the job may hold the writer).
    assert (row.done, row.total) == ((1, 3) if app.db.is_postgres else (0, None))
    async with app.db.write() as conn:  # another process asks: only the row says so
        await conn.execute(t.jobs.update().where(t.jobs.c.id == job.id).values(cancel_requested=True))
    proceed.set()
    await app.jobs.wait(job.id)
    done = await app.jobs.get(await _admin_ctx(app), job.id)
    assert done.status == ("cancelled" if app.db.is_postgres else "succeeded")
