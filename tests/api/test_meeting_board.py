"""Seed 002's meeting board, end to end: agenda items with start/end buttons; starting one
marks it presenting with its start time, ending it marks it done with its end time and tells
the presenter two items ahead to get ready; every stage change is logged automatically."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from deskbase.app import App
from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import choices, make_collection, make_record

PRESENTERS = ["ann@example.com", "bob@example.com", "cai@example.com", "dee@example.com"]


async def _workflow(client: httpx.AsyncClient, body: dict[str, Any]) -> None:
    resp = await client.post("/api/workflows", json={"enabled": True, **body})
    assert resp.status_code == 201, resp.text


async def _board(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    await make_collection(
        client,
        "agenda_items",
        [
            {"name": "title", "type": "string"},
            {"name": "position", "type": "integer"},
            {"name": "presenter", "type": "string"},
            {"name": "status", "type": "select", "options": choices("waiting", "presenting", "done")},
            {"name": "started_at", "type": "datetime"},
            {"name": "ended_at", "type": "datetime"},
        ],
    )
    await make_collection(
        client,
        "agenda_log",
        [{"name": "item", "type": "integer"}, {"name": "from_status", "type": "string"},
         {"name": "to_status", "type": "string"}],
    )  # fmt: skip
    record = "{{trigger.record.id}}"
    presenting = {"status": "presenting", "started_at": "{{now}}"}
    done = {"status": "done", "ended_at": "{{now}}"}
    two_ahead = {"position": "{{trigger.record.position + 2}}"}
    anyone = "nodes.ahead.count > 0"
    await _workflow(client, {
        "name": "Start presenting",
        "trigger": {"type": "action", "collection": "agenda_items", "name": "start"},
        "nodes": [{"id": "go", "type": "update_record", "config": {
            "collection": "agenda_items", "id": record, "values": presenting}}],
    })  # fmt: skip
    await _workflow(client, {
        "name": "End presenting",
        "trigger": {"type": "action", "collection": "agenda_items", "name": "end"},
        "nodes": [
            {"id": "stop", "type": "update_record", "config": {
                "collection": "agenda_items", "id": record, "values": done}},
            {"id": "ahead", "type": "query_records", "config": {
                "collection": "agenda_items", "filter": two_ahead, "limit": 1}},
            {"id": "any", "type": "condition", "config": {"expression": anyone}, "branches": {
                "true": [{"id": "tell", "type": "notify", "config": {
                    "to": "{{nodes.ahead.result[0].presenter}}",
                    "title": "Get ready: {{nodes.ahead.result[0].title}} is two items away"}}]}},
        ],
    })  # fmt: skip
    await _workflow(client, {
        "name": "Log stage changes",
        "trigger": {"type": "record_updated", "collection": "agenda_items", "changed_fields": ["status"]},
        "nodes": [{"id": "log", "type": "create_record", "config": {"collection": "agenda_log", "values": {
            "item": record, "from_status": "{{trigger.changes.status[0]}}",
            "to_status": "{{trigger.changes.status[1]}}"}}}],
    })  # fmt: skip
    await grant_role(client, "chair", {"agenda_items": {"list": {}, "get": {}, "start": {}, "end": {}}})
    items = []
    for i, email in enumerate(PRESENTERS, start=1):
        await make_user(client, email, ["chair"] if i == 1 else [])
        items.append(
            await make_record(
                client,
                "agenda_items",
                {"title": f"Topic {i}", "position": i, "presenter": email, "status": "waiting"},
            )
        )
    return items


async def test_the_meeting_board(client: httpx.AsyncClient, app: App) -> None:
    items = await _board(client)
    first = items[0]["id"]
    async with as_user(client, PRESENTERS[0]) as chair:  # the chair presses the buttons
        assert (await chair.post(f"/api/data/agenda_items/{first}/actions/start")).status_code == 202
        async with asyncio.timeout(20):
            await app.workers.drain()
        started = (await chair.get(f"/api/data/agenda_items/{first}")).json()["data"]
        assert started["status"] == "presenting"
        assert started["started_at"] is not None
        assert (await chair.post(f"/api/data/agenda_items/{first}/actions/end")).status_code == 202
        async with asyncio.timeout(20):
            await app.workers.drain()
        ended = (await chair.get(f"/api/data/agenda_items/{first}")).json()["data"]
        assert ended["status"] == "done"
        assert ended["ended_at"] >= ended["started_at"]
    async with as_user(client, PRESENTERS[2]) as third:  # two items ahead of the first
        inbox = (await third.get("/api/inbox")).json()["data"]
        assert [i["title"] for i in inbox] == ["Get ready: Topic 3 is two items away"]
    async with as_user(client, PRESENTERS[1]) as second:
        assert (await second.get("/api/inbox")).json()["data"] == []
    log = (await client.get("/api/data/agenda_log", params={"sort": "id"})).json()["data"]
    assert [(r["item"], r["from_status"], r["to_status"]) for r in log] == [
        (first, "waiting", "presenting"),
        (first, "presenting", "done"),
    ]
