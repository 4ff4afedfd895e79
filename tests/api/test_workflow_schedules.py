"""Cron and date-field triggers: runs at their time, once; missed runs replayed once or skipped."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel import tables as t
from tests.factories import assert_problem, make_collection, make_record

T = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # a Monday


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return T.replace(hour=hour, minute=minute, second=second)


async def _make(client: httpx.AsyncClient, app: App, trigger: dict[str, Any], since: datetime) -> int:
    await app.scheduler.stop()  # the test drives the clock
    resp = await client.post(
        "/api/workflows",
        json={
            "name": "timed",
            "enabled": True,
            "trigger": trigger,
            "nodes": [{"id": "n", "type": "calculate", "config": {"expression": "1"}}],
        },
    )
    assert resp.status_code == 201, resp.text
    wf: int = resp.json()["data"]["id"]
    async with app.db.write() as conn:
        await conn.execute(t.schedules.insert().values(workflow_id=wf, last_at=since))
    return wf


async def _runs(client: httpx.AsyncClient, app: App, wf: int) -> list[dict[str, Any]]:
    async with asyncio.timeout(20):
        await app.workers.drain()
    data: list[dict[str, Any]] = (await client.get(f"/api/workflows/{wf}/executions")).json()["data"]
    return data


async def test_a_cron_schedule_runs_once_at_its_time(client: httpx.AsyncClient, app: App) -> None:
    wf = await _make(client, app, {"type": "schedule", "cron": "*/5 * * * *"}, at(10))
    assert await app.scheduler.tick(at(10, 4)) == 0
    assert await app.scheduler.tick(at(10, 5, 10)) == 1
    assert await app.scheduler.tick(at(10, 5, 20)) == 0
    [run] = await _runs(client, app, wf)
    assert run["trigger"] == {"scheduled_at": at(10, 5).isoformat(), "missed_runs": 0}
    assert run["status"] == "succeeded"


@pytest.mark.parametrize(("missed", "runs"), [("run_once", 1), ("skip", 0)])
async def test_runs_missed_while_down_run_once_or_are_skipped(
    client: httpx.AsyncClient, app: App, missed: str, runs: int
) -> None:
    trigger = {"type": "schedule", "cron": "0 * * * *", "timezone": "Asia/Shanghai", "missed": missed}
    wf = await _make(client, app, trigger, at(10))
    assert await app.scheduler.tick(at(15, 30)) == runs  # 11:00 … 15:00 fell while down
    assert await app.scheduler.tick(at(15, 40)) == 0
    found = await _runs(client, app, wf)
    assert len(found) == runs
    if runs:
        assert found[0]["trigger"]["missed_runs"] == 4
    assert await app.scheduler.tick(at(16, 0, 5)) == 1  # on time again


async def test_a_schedule_over_records_runs_once_per_match(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "tickets", [{"name": "status", "type": "string"}])
    for status in ("open", "open", "closed"):
        await make_record(client, "tickets", {"status": status})
    trigger = {"type": "schedule", "cron": "0 9 * * *", "collection": "tickets", "filter": {"status": "open"}}
    wf = await _make(client, app, trigger, at(8))
    assert await app.scheduler.tick(at(9, 0, 1)) == 2
    found = await _runs(client, app, wf)
    assert sorted(r["trigger"]["record"]["status"] for r in found) == ["open", "open"]


@pytest.mark.parametrize("missed", ["run_once", "skip"])
async def test_a_date_field_fires_before_the_time(client: httpx.AsyncClient, app: App, missed: str) -> None:
    await make_collection(
        client, "tasks", [{"name": "title", "type": "string"}, {"name": "due_at", "type": "datetime"}]
    )
    for title, due in (("noon", at(12)), ("half", at(12, 30)), ("two", at(14)), ("none", None)):
        await make_record(client, "tasks", {"title": title, "due_at": due.isoformat() if due else None})
    trigger = {
        "type": "date_field",
        "collection": "tasks",
        "field": "due_at",
        "offset": "-1h",
        "missed": missed,
    }
    wf = await _make(client, app, trigger, at(10, 30))
    first = await app.scheduler.tick(at(11, 40))  # due in (11:30, 12:40]
    assert first == (2 if missed == "run_once" else 0)
    assert await app.scheduler.tick(at(13, 0, 30)) == 1  # due in (12:40, 14:00:30]: on time either way
    titles = sorted(r["trigger"]["record"]["title"] for r in await _runs(client, app, wf))
    assert titles == (["half", "noon", "two"] if missed == "run_once" else ["two"])


async def test_a_date_field_without_time_fires_at_an_hour_of_its_day(
    client: httpx.AsyncClient, app: App
) -> None:
    await make_collection(
        client, "tasks", [{"name": "title", "type": "string"}, {"name": "due_on", "type": "date"}]
    )
    for title, due in (("mon", "2026-01-05"), ("tue", "2026-01-06"), ("wed", "2026-01-07")):
        await make_record(client, "tasks", {"title": title, "due_on": due})
    # At 9:00 Shanghai time (01:00 UTC) the day before each task is due.
    trigger = {
        "type": "date_field",
        "collection": "tasks",
        "field": "due_on",
        "offset": "-15h",
        "timezone": "Asia/Shanghai",
    }
    wf = await _make(client, app, trigger, datetime(2026, 1, 5, 0, 0, tzinfo=UTC))
    assert await app.scheduler.tick(datetime(2026, 1, 5, 0, 59, tzinfo=UTC)) == 0
    assert await app.scheduler.tick(datetime(2026, 1, 5, 1, 0, 30, tzinfo=UTC)) == 1  # Tuesday's
    assert await app.scheduler.tick(datetime(2026, 1, 6, 0, 30, tzinfo=UTC)) == 0
    assert await app.scheduler.tick(datetime(2026, 1, 6, 1, 0, 5, tzinfo=UTC)) == 1  # Wednesday's
    runs = sorted(await _runs(client, app, wf), key=lambda r: r["id"])
    assert [r["trigger"]["record"]["title"] for r in runs] == ["tue", "wed"]
    assert runs[0]["trigger"]["due_at"] == "2026-01-05T09:00:00+08:00"


async def test_enabling_again_starts_afresh(client: httpx.AsyncClient, app: App) -> None:
    wf = await _make(client, app, {"type": "schedule", "cron": "*/5 * * * *"}, at(10))
    await client.patch(f"/api/workflows/{wf}", json={"enabled": False})
    await client.patch(f"/api/workflows/{wf}", json={"enabled": True})
    async with app.db.read() as conn:
        left = (await conn.execute(sa.select(sa.func.count()).select_from(t.schedules))).scalar_one()
    assert left == 0  # the next tick starts from its own time: nothing of the pause is replayed


async def test_bad_schedules_are_refused(client: httpx.AsyncClient) -> None:
    await make_collection(client, "tasks", [{"name": "title", "type": "string"}])
    for trigger, field in (
        ({"type": "schedule", "cron": "every day"}, "trigger.cron"),
        ({"type": "schedule", "cron": "0 9 * * *", "timezone": "Mars/Base"}, "trigger.timezone"),
        ({"type": "date_field", "collection": "tasks", "field": "title"}, "trigger.field"),
        (
            {"type": "date_field", "collection": "tasks", "field": "created_at", "timezone": "Mars/Base"},
            "trigger.timezone",
        ),
        (
            {"type": "date_field", "collection": "tasks", "field": "created_at", "offset": "soon"},
            "trigger.offset",
        ),
    ):
        resp = await client.post("/api/workflows", json={"name": "x", "trigger": trigger, "nodes": []})
        body = assert_problem(resp, 422, "invalid_workflow")
        assert field in {e["field"] for e in body["errors"]}, body
