"""Workflows started from outside a write: action buttons, incoming webhooks, sub-workflows."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from deskbase.app import App
from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import assert_problem, choices, make_collection, make_record

BY = "{{trigger.values.reason}} by {{trigger.user.email}}"


async def _workflow(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    resp = await client.post("/api/workflows", json={"enabled": True, **body})
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def _settle(app: App) -> None:
    async with asyncio.timeout(20):
        await app.workers.drain()


async def test_an_action_button_obeys_the_custom_action_permission(
    client: httpx.AsyncClient, app: App
) -> None:
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices("new", "done")},
        ],
    )
    wf = await _workflow(
        client,
        {
            "name": "finish",
            "trigger": {
                "type": "action",
                "collection": "tickets",
                "name": "finish",
                "confirm": "Close it?",
                "form": [{"name": "reason", "type": "text", "required": True}],
            },
            "nodes": [
                {
                    "id": "close",
                    "type": "update_record",
                    "config": {"collection": "tickets", "id": "{{trigger.record.id}}",
                               "values": {"status": "done", "title": BY}},
                }
            ],
        },
    )  # fmt: skip
    mine = await make_record(client, "tickets", {"title": "a", "status": "new"})
    other = await make_record(client, "tickets", {"title": "b", "status": "new"})
    await grant_role(client, "closer", {"tickets": {"list": {}, "finish": {"scope": {"title": "a"}}}})
    await make_user(client, "closer@example.com", ["closer"])
    await make_user(client, "nobody@example.com", [])
    url = "/api/data/tickets/{}/actions/finish"
    async with as_user(client, "nobody@example.com") as nobody:
        assert_problem(await nobody.post(url.format(mine["id"]), json={"values": {"reason": "x"}}), 403)
    async with as_user(client, "closer@example.com") as closer:
        assert_problem(await closer.post(url.format(other["id"]), json={"values": {"reason": "x"}}), 404)
        assert_problem(await closer.post(url.format(mine["id"]), json={"values": {}}), 422)
        assert_problem(await closer.post("/api/data/tickets/1/actions/fly"), 404, "action_not_found")
        resp = await closer.post(url.format(mine["id"]), json={"values": {"reason": "fixed"}})
        assert resp.status_code == 202, resp.text
    await _settle(app)
    got = (await client.get(f"/api/data/tickets/{mine['id']}")).json()["data"]
    assert (got["status"], got["title"]) == ("done", "fixed by closer@example.com")
    # On a selection, as an admin: one execution per record.
    resp = await client.post(
        "/api/data/tickets/actions/finish",
        json={"ids": [mine["id"], other["id"]], "values": {"reason": "bulk"}},
    )
    assert len(resp.json()["data"]["executions"]) == 2
    await _settle(app)
    runs = (await client.get(f"/api/workflows/{wf['id']}/executions")).json()["data"]
    assert [r["status"] for r in runs] == ["succeeded"] * 3


async def test_an_incoming_webhook_needs_its_secret(
    client: httpx.AsyncClient, anon: httpx.AsyncClient, app: App
) -> None:
    await make_collection(client, "leads", [{"name": "email", "type": "string"}])
    wf = await _workflow(
        client,
        {
            "name": "intake",
            "trigger": {"type": "webhook"},
            "nodes": [
                {"id": "add", "type": "create_record",
                 "config": {"collection": "leads", "values": {"email": "{{trigger.body.contact.email}}"}}}
            ],
        },
    )  # fmt: skip
    secret = wf["trigger"]["secret"]
    assert len(secret) >= 16
    assert_problem(await anon.post(f"/api/hooks/{wf['id']}/wrong-secret-000000", json={}), 404)
    resp = await anon.post(f"/api/hooks/{wf['id']}/{secret}", json={"contact": {"email": "a@b.example"}})
    assert resp.status_code == 202, resp.text
    assert_problem(await anon.post(f"/api/hooks/{wf['id']}/{secret}", content=b"{nope"), 400, "invalid_json")
    await _settle(app)
    leads = (await client.get("/api/data/leads")).json()["data"]
    assert [r["email"] for r in leads] == ["a@b.example"]
    await client.patch(f"/api/workflows/{wf['id']}", json={"enabled": False})
    assert_problem(await anon.post(f"/api/hooks/{wf['id']}/{secret}", json={}), 404)


async def test_a_sub_workflow_is_called_and_waited_for(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(
        client, "orders", [{"name": "amount", "type": "integer"}, {"name": "note", "type": "string"}]
    )
    child = await _workflow(
        client,
        {
            "name": "tax",
            "trigger": {"type": "called"},
            "nodes": [
                {"id": "tax", "type": "calculate", "config": {"expression": "trigger.input.amount * 0.1"}}
            ],
        },
    )
    await _workflow(
        client,
        {
            "name": "order",
            "trigger": {"type": "record_created", "collection": "orders"},
            "nodes": [
                {"id": "sub", "type": "call_workflow",
                 "config": {"workflow": child["id"], "input": {"amount": "{{trigger.record.amount}}"}}},
                {"id": "save", "type": "update_record",
                 "config": {"collection": "orders", "id": "{{trigger.record.id}}",
                            "values": {"note": "tax {{nodes.sub.result.tax.result}}"}}},
            ],
        },
    )  # fmt: skip
    order = await make_record(client, "orders", {"amount": 250})
    async with asyncio.timeout(20):
        while True:
            await _settle(app)
            note = (await client.get(f"/api/data/orders/{order['id']}")).json()["data"]["note"]
            if note:
                break
            await asyncio.sleep(0.05)
    assert note == "tax 25.0"
    runs = (await client.get(f"/api/workflows/{child['id']}/executions")).json()["data"]
    assert [r["depth"] for r in runs] == [1]
