"""The change feed: two Apps on one PostgreSQL installation stand for two server processes
(`deskbase serve --workers 2`); what one changes, the other applies without a restart."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import sqlalchemy as sa

from deskbase.api import create_api
from deskbase.app import App
from deskbase.data import jobs
from deskbase.data.jobs import JobHandle, JobOutcome
from deskbase.kernel import tables as t
from deskbase.kernel.changes import SCHEMA
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.settings import Settings
from tests.conftest import ADMIN, PG_URL, _pg_admin, pg_app, pg_schema
from tests.factories import dead_pid

Pair = tuple[App, App]


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[Pair]:
    async with pg_schema() as schema:
        apps = [
            pg_app(schema, data_dir=tmp_path / name, admin_email=ADMIN[0], admin_password=ADMIN[1])
            for name in ("a", "b")
        ]
        for app in apps:
            await app.start()
        try:
            yield apps[0], apps[1]
        finally:
            for app in apps:
                await app.stop()


def _marks_done(name: str, collection: str) -> dict[str, Any]:
    """An enabled workflow: each record created in `collection` gets `done` set by a node."""
    mark = {"collection": collection, "id": "{{trigger.record.id}}", "values": {"done": True}}
    return {
        "name": name,
        "enabled": True,
        "trigger": {"type": "record_created", "collection": collection},
        "nodes": [{"id": "mark", "type": "update_record", "config": mark}],
    }


@contextlib.asynccontextmanager
async def _client(app: App) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_api(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        resp = await client.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
        assert resp.status_code == 200, resp.text
        client.headers["Authorization"] = f"Bearer {resp.json()['token']}"
        yield client


async def _eventually(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110 - the condition is another App's state
            await asyncio.sleep(0.02)


async def test_a_new_collection_reaches_the_other_process(pair: Pair) -> None:
    a, b = pair
    async with _client(a) as ca, _client(b) as cb:
        assert (await cb.get("/api/data/notes")).status_code == 404
        spec = {"name": "notes", "fields": [{"name": "title", "type": "string"}]}
        assert (await ca.post("/api/collections", json=spec)).status_code == 201

        async def b_knows() -> bool:
            return "notes" in b.catalog

        await _eventually(b_knows)
        resp = await cb.post("/api/data/notes", json={"title": "written through b"})
        assert resp.status_code == 201, resp.text
        field = {"name": "due", "type": "date"}
        assert (await ca.post("/api/collections/notes/fields", json=field)).status_code == 201

        async def b_has_field() -> bool:
            return "due" in b.catalog.get("notes").fields

        await _eventually(b_has_field)
        resp = await cb.post("/api/data/notes", json={"title": "dated", "due": "2026-12-01"})
        assert resp.status_code == 201, resp.text
    assert a.db.changes.applied == 0  # its own notifications are not applied twice


async def test_permissions_and_workflows_reach_the_other_process(pair: Pair) -> None:
    a, b = pair
    async with _client(a) as ca, _client(b) as cb:
        spec = {
            "name": "tasks",
            "fields": [{"name": "title", "type": "string"}, {"name": "done", "type": "boolean"}],
        }
        assert (await ca.post("/api/collections", json=spec)).status_code == 201
        rules = {"tasks": {"list": {"scope": "all", "fields": ["title"]}}}
        assert (await ca.put("/api/roles/member/permissions", json=rules)).status_code == 200

        async def b_rules() -> bool:
            return "tasks" in b.guard.role("member")

        await _eventually(b_rules)
        assert b.guard.role("member") == a.guard.role("member")

        assert (await ca.post("/api/workflows", json=_marks_done("close", "tasks"))).status_code == 201

        async def b_subscribed() -> bool:
            return bool(b.events.subscriptions("tasks", "created"))

        await _eventually(b_subscribed)
        made = (await cb.post("/api/data/tasks", json={"title": "through b"})).json()["data"]

        async def done() -> bool:
            got = (await cb.get(f"/api/data/tasks/{made['id']}")).json()["data"]
            return bool(got["done"])

        await _eventually(done)


async def test_a_sign_out_reaches_the_other_process_cache(pair: Pair) -> None:
    a, b = pair
    async with _client(a) as ca, _client(b) as cb:
        cb.headers["Authorization"] = ca.headers["Authorization"]  # the same session on both
        assert (await cb.get("/api/me")).status_code == 200  # cached by b now
        assert len(b.identity.cache) == 1
        assert (await ca.post("/api/auth/logout")).status_code == 204

        async def b_forgot() -> bool:
            return len(b.identity.cache) == 0

        await _eventually(b_forgot)
        assert (await cb.get("/api/me")).status_code == 401


async def test_a_rolled_back_change_tells_nobody(pair: Pair) -> None:
    a, b = pair

    async def fail() -> None:
        async with a.db.write() as conn:
            await a.db.changes.publish(conn, SCHEMA)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        await fail()
    async with a.db.write() as conn:
        await a.db.changes.publish(conn, SCHEMA)  # a committed one after it, as a marker

    async def b_applied() -> bool:
        return b.db.changes.applied >= 1

    await _eventually(b_applied)
    await asyncio.sleep(0.2)
    await b.db.changes.settled()
    assert b.db.changes.applied == 1


async def test_a_lost_connection_listens_again_and_reloads(pair: Pair) -> None:
    a, b = pair
    feed = b.db.changes
    pid = feed._conn.get_server_pid()
    admin: asyncpg.Connection = await _pg_admin()
    try:
        await admin.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await admin.close()

    async def back() -> bool:
        return feed._conn is not None and feed._conn.get_server_pid() != pid

    await _eventually(back)
    await feed.settled()
    missed = feed.applied
    assert missed >= 3  # every topic reloaded: what changed meanwhile was not heard
    async with _client(a) as ca:
        spec = {"name": "after_loss", "fields": [{"name": "title", "type": "string"}]}
        assert (await ca.post("/api/collections", json=spec)).status_code == 201

    async def b_knows() -> bool:
        return "after_loss" in b.catalog

    await _eventually(b_knows)


async def test_sqlite_publishes_nothing(tmp_path: Path) -> None:
    app = App(Settings(data_dir=tmp_path))
    await app.start()
    try:
        assert not app.db.changes.enabled
        async with app.db.write() as conn:
            await app.db.changes.publish(conn, SCHEMA)  # no statement, no error
        app.db.changes.announce(SCHEMA)
    finally:
        await app.stop()


async def test_a_dead_process_executions_are_taken_over_and_a_live_one_keeps_its_own(pair: Pair) -> None:
    a, b = pair
    async with _client(a) as ca:
        fields = [{"name": "title", "type": "string"}, {"name": "done", "type": "boolean"}]
        assert (
            await ca.post("/api/collections", json={"name": "chores", "fields": fields})
        ).status_code == 201
        assert (await ca.post("/api/workflows", json=_marks_done("finish", "chores"))).status_code == 201
        await a.workers.stop()
        await b.workers.stop()  # nobody claims: the execution stays queued
        chore = (await ca.post("/api/data/chores", json={"title": "dishes"})).json()["data"]
        e = t.executions.c

        async def own(owner: str) -> None:
            async with a.db.write() as conn:
                await conn.execute(
                    t.executions.update().values(status="running", owner=owner, heartbeat_at=sa.func.now())
                )

        await own(a.workers.owner)  # a is alive (same process id as b, another App)
        assert await b.workers.recover() == 0
        await own(f"{socket.gethostname()}:{dead_pid()}:gone")
        assert await b.workers.recover() == 1
        async with a.db.read() as conn:
            assert (await conn.execute(sa.select(e.status))).scalar_one() == "queued"
        await b.workers.start()

        async def done() -> bool:
            got = (await ca.get(f"/api/data/chores/{chore['id']}")).json()["data"]
            return bool(got["done"])

        await _eventually(done)


@pytest.fixture
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Job services look for jobs of stopped processes every 50 ms (asked before `pair`)."""
    monkeypatch.setattr(jobs, "WATCH", 0.05)


async def test_a_dead_process_jobs_fail_while_the_others_run_and_a_live_one_keeps_its_own(
    quick_watch: None, pair: Pair
) -> None:
    a, b = pair
    started, release = asyncio.Event(), asyncio.Event()

    async def waits(handle: JobHandle) -> JobOutcome:
        started.set()
        await release.wait()
        return JobOutcome("succeeded", {})

    ctx = RequestContext(actor=Actor(id=1, email=ADMIN[0], roles=("admin",)))
    live = await a.jobs.submit(ctx, "demo", None, {}, waits)
    await started.wait()
    orphan = await a.jobs.submit(ctx, "demo", None, {}, waits)  # its owner is made a dead process below
    async with a.db.write() as conn:
        gone = f"{socket.gethostname()}:{dead_pid()}:gone"
        await conn.execute(t.jobs.update().where(t.jobs.c.id == orphan.id).values(owner=gone))

    async def status(job_id: int) -> str:
        async with b.db.read() as conn:
            query = sa.select(t.jobs.c.status).where(t.jobs.c.id == job_id)
            return str((await conn.execute(query)).scalar_one())

    async def orphan_failed() -> bool:
        return await status(orphan.id) == "failed"

    await _eventually(orphan_failed)
    assert await status(live.id) == "running"  # a is alive: same process id as b, another App
    release.set()
    await a.jobs.wait(live.id)
    assert await status(live.id) == "succeeded"


async def test_a_change_is_in_place_in_every_process_when_its_request_answers(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = pair
    load = b.schema.load

    async def slow_load() -> None:  # b takes its time to apply what a changed
        await asyncio.sleep(0.3)
        await load()

    monkeypatch.setattr(b.schema, "load", slow_load)
    async with _client(a) as ca, _client(b) as cb:
        spec = {"name": "notes", "fields": [{"name": "title", "type": "string"}]}
        assert (await ca.post("/api/collections", json=spec)).status_code == 201
        assert "notes" in b.catalog  # a answered once b had applied it
        assert (await cb.post("/api/data/notes", json={"title": "at once"})).status_code == 201
        rules = {"notes": {"list": {"scope": "all", "fields": ["title"]}}}
        assert (await ca.put("/api/roles/member/permissions", json=rules)).status_code == 200
        assert "notes" in b.guard.role("member")


async def test_a_process_that_does_not_confirm_delays_a_change_only_so_long(
    pair: Pair, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = pair
    a.db.changes.confirm_timeout = 0.3
    # A listener of this installation that never answers (a process stuck, or of an older version).
    silent = await asyncpg.connect(
        PG_URL, server_settings={"application_name": f"{a.db.changes.peer_prefix}silent"}
    )
    try:
        async with _client(a) as ca:
            started = time.perf_counter()
            spec = {"name": "notes", "fields": [{"name": "title", "type": "string"}]}
            assert (await ca.post("/api/collections", json=spec)).status_code == 201
            waited = time.perf_counter() - started
        assert 0.3 <= waited < 2.0
        assert "notes" in b.catalog  # b confirmed; only the silent one was waited for
        assert "Processes silent did not confirm" in caplog.text
    finally:
        await silent.close()
