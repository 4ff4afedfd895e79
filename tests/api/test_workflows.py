"""Workflows: record triggers queued in the write's transaction, nodes, versions, failures,
re-runs, resume after an interruption, the depth limit, and the inbox."""

from __future__ import annotations

import asyncio
import json
import socket
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel import tables as t
from deskbase.kernel.events import MAX_DEPTH
from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import assert_problem, choices, dead_pid, make_collection, make_record

URGENT = "urgent: {{trigger.record.title}} ({{nodes.double.result}})"


async def _tickets(client: httpx.AsyncClient) -> None:
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
            {"name": "priority", "type": "integer"},
            {"name": "summary", "type": "string"},
            {"name": "code", "type": "string", "unique": True},
        ],
    )


async def _workflow(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    resp = await client.post("/api/workflows", json={"enabled": True, **body})
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def _settle(app: App) -> None:
    async with asyncio.timeout(20):
        await app.workers.drain()


async def _executions(client: httpx.AsyncClient, workflow_id: int) -> list[dict[str, Any]]:
    resp = await client.get(f"/api/workflows/{workflow_id}/executions")
    assert resp.status_code == 200, resp.text
    data: list[dict[str, Any]] = resp.json()["data"]
    return data


async def test_a_created_record_runs_the_nodes_in_order(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "triage",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {
                    "id": "double",
                    "type": "calculate",
                    "config": {"expression": "trigger.record.priority * 2"},
                },
                {
                    "id": "check",
                    "type": "condition",
                    "config": {"expression": "nodes.double.result > 5"},
                    "branches": {
                        "true": [
                            {
                                "id": "mark",
                                "type": "update_record",
                                "config": {
                                    "collection": "tickets",
                                    "id": "{{trigger.record.id}}",
                                    "values": {"summary": URGENT},
                                },
                            }
                        ],
                        "false": [{"id": "calm", "type": "calculate", "config": {"expression": "'calm'"}}],
                    },
                },
                {
                    "id": "tell",
                    "type": "notify",
                    "config": {"to": ["admin@example.com"], "title": "New ticket {{trigger.record.title}}"},
                },
            ],
        },
    )
    hot = await make_record(client, "tickets", {"title": "fire", "priority": 3})
    cold = await make_record(client, "tickets", {"title": "drip", "priority": 1})
    await _settle(app)
    got = (await client.get(f"/api/data/tickets/{hot['id']}")).json()["data"]
    assert got["summary"] == "urgent: fire (6)"
    assert (await client.get(f"/api/data/tickets/{cold['id']}")).json()["data"]["summary"] is None
    runs = await _executions(client, wf["id"])
    assert [r["status"] for r in runs] == ["succeeded", "succeeded"]
    by_record = {r["trigger"]["record"]["id"]: r for r in runs}
    assert [n["node"] for n in by_record[hot["id"]]["nodes"]] == ["double", "check", "mark", "tell"]
    assert [n["node"] for n in by_record[cold["id"]]["nodes"]] == ["double", "check", "calm", "tell"]
    assert by_record[hot["id"]]["nodes"][0]["output"] == {"result": 6}
    inbox = (await client.get("/api/inbox")).json()
    assert inbox["meta"]["unread"] == 2
    assert {i["title"] for i in inbox["data"]} == {"New ticket fire", "New ticket drip"}
    first = inbox["data"][0]["id"]
    assert (await client.post(f"/api/inbox/{first}/read")).json()["data"] == {"marked": 1}
    assert (await client.get("/api/inbox")).json()["meta"]["unread"] == 1
    assert (await client.post("/api/inbox/read")).json()["data"] == {"marked": 1}


async def test_a_rolled_back_write_starts_nothing(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "on update",
            "trigger": {"type": "record_updated", "collection": "tickets"},
            "nodes": [{"id": "n", "type": "calculate", "config": {"expression": "1"}}],
        },
    )
    a = await make_record(client, "tickets", {"title": "a"})
    b = await make_record(client, "tickets", {"title": "b"})
    # Updating both to the same unique code: the first update is written (and queues an
    # execution) before the second fails, so the whole request rolls back.
    resp = await client.patch(
        "/api/data/tickets",
        params={"filter": json.dumps({"id": {"$in": [a["id"], b["id"]]}})},
        json={"code": "X"},
    )
    assert resp.status_code in (409, 422), resp.text
    await _settle(app)
    assert await _executions(client, wf["id"]) == []
    await client.patch(f"/api/data/tickets/{a['id']}", json={"code": "Y"})
    await _settle(app)
    assert len(await _executions(client, wf["id"])) == 1


async def test_conditions_and_changed_fields(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "closed",
            "trigger": {
                "type": "record_updated",
                "collection": "tickets",
                "condition": {"status": "closed"},
                "changed_fields": ["status"],
            },
            "nodes": [{"id": "n", "type": "calculate", "config": {"expression": "trigger.changes.status"}}],
        },
    )
    rec = await make_record(client, "tickets", {"title": "a", "status": "new"})
    for patch in ({"status": "open"}, {"title": "renamed"}, {"status": "closed"}, {"title": "again"}):
        assert (await client.patch(f"/api/data/tickets/{rec['id']}", json=patch)).status_code == 200
    await _settle(app)
    runs = await _executions(client, wf["id"])
    assert len(runs) == 1
    assert runs[0]["nodes"][0]["output"] == {"result": ["open", "closed"]}


async def test_a_deleted_record_is_seen_as_it_was(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "gone",
            "trigger": {
                "type": "record_deleted",
                "collection": "tickets",
                "condition": {"priority": {"$gte": 2}},
            },
            "nodes": [{"id": "n", "type": "calculate", "config": {"expression": "trigger.record.title"}}],
        },
    )
    low = await make_record(client, "tickets", {"title": "low", "priority": 1})
    high = await make_record(client, "tickets", {"title": "high", "priority": 5})
    for rec in (low, high):
        assert (await client.delete(f"/api/data/tickets/{rec['id']}")).status_code == 204
    await _settle(app)
    runs = await _executions(client, wf["id"])
    assert [r["nodes"][0]["output"]["result"] for r in runs] == ["high"]


async def test_editing_a_workflow_that_ran_makes_a_version(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "v",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [{"id": "n", "type": "calculate", "config": {"expression": "1"}}],
        },
    )
    nodes = [{"id": "n", "type": "calculate", "config": {"expression": "2"}}]
    assert (await client.patch(f"/api/workflows/{wf['id']}", json={"nodes": nodes})).json()["data"][
        "version"
    ] == 1
    await make_record(client, "tickets", {"title": "a"})
    await _settle(app)
    nodes = [{"id": "n", "type": "calculate", "config": {"expression": "3"}}]
    edited = (await client.patch(f"/api/workflows/{wf['id']}", json={"nodes": nodes})).json()["data"]
    assert edited["version"] == 2
    await make_record(client, "tickets", {"title": "b"})
    await _settle(app)
    runs = await _executions(client, wf["id"])
    assert [(r["version"], r["nodes"][0]["output"]["result"]) for r in runs] == [(2, 3), (1, 2)]
    off = await client.patch(f"/api/workflows/{wf['id']}", json={"enabled": False})
    assert off.json()["data"]["enabled"] is False
    await make_record(client, "tickets", {"title": "c"})
    await _settle(app)
    assert len(await _executions(client, wf["id"])) == 2


async def test_a_failed_node_fails_the_execution_and_can_be_rerun(
    client: httpx.AsyncClient, app: App
) -> None:
    await _tickets(client)
    await make_collection(client, "logs", [{"name": "note", "type": "string"}])
    wf = await _workflow(
        client,
        {
            "name": "fragile",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {
                    "id": "log",
                    "type": "create_record",
                    "config": {"collection": "logs", "values": {"note": "seen"}},
                },
                {
                    "id": "touch",
                    "type": "update_record",
                    "config": {"collection": "tickets", "id": 999, "values": {"summary": "x"}},
                    "retries": 1,
                    "retry_delay": 0.01,
                },
            ],
        },
    )
    await make_record(client, "tickets", {"title": "a"})
    await _settle(app)
    [run] = await _executions(client, wf["id"])
    assert run["status"] == "failed"
    assert "record_not_found" in run["error"]
    assert [(n["node"], n["status"], n["attempts"]) for n in run["nodes"]] == [
        ("log", "succeeded", 1),
        ("touch", "failed", 2),
    ]
    inbox = (await client.get("/api/inbox")).json()["data"]
    assert any("fragile" in i["title"] and "failed" in i["title"] for i in inbox)
    # Make the failing node succeed, then re-run: the finished node does not run again.
    nodes = run["nodes"]
    del nodes
    rec = await make_record(client, "tickets", {"title": "target"})
    await _settle(app)
    async with app.db.write() as conn:  # point the failed node at a record that exists
        await conn.execute(
            t.workflow_versions.update()
            .where(t.workflow_versions.c.workflow_id == wf["id"])
            .values(
                definition={
                    **wf,
                    "nodes": [
                        wf["nodes"][0],
                        {**wf["nodes"][1], "config": {**wf["nodes"][1]["config"], "id": rec["id"]}},
                    ],
                }
            )
        )
    resp = await client.post(f"/api/executions/{run['id']}/rerun")
    assert resp.status_code == 202, resp.text
    await _settle(app)
    again = (await client.get(f"/api/executions/{run['id']}")).json()["data"]
    assert again["status"] == "succeeded"
    logs = (await client.get("/api/data/logs")).json()["data"]
    assert len(logs) == 2  # one per ticket created, none repeated by the re-run
    assert_problem(await client.post(f"/api/executions/{run['id']}/rerun"), 409)


async def test_an_interrupted_execution_resumes_without_repeating_nodes(
    client: httpx.AsyncClient, app: App
) -> None:
    await _tickets(client)
    await make_collection(client, "logs", [{"name": "note", "type": "string"}])
    wf = await _workflow(
        client,
        {
            "name": "resume",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {
                    "id": "one",
                    "type": "create_record",
                    "config": {"collection": "logs", "values": {"note": "one"}},
                },
                {
                    "id": "two",
                    "type": "create_record",
                    "config": {"collection": "logs", "values": {"note": "two"}},
                },
            ],
        },
    )
    await app.workers.stop()  # no worker: the execution stays queued
    await make_record(client, "tickets", {"title": "a"})
    [run] = await _executions(client, wf["id"])
    # As if a process had run node `one` and died: the log row and its job exist.
    await make_record(client, "logs", {"note": "one"})
    async with app.db.write() as conn:
        await conn.execute(
            t.node_jobs.insert().values(
                execution_id=run["id"], key="one", node="one", type="create_record", status="succeeded",
                output={"result": {"note": "one"}}, started_at=sa.func.now(), finished_at=sa.func.now(),
            )
        )  # fmt: skip
        dead = f"{socket.gethostname()}:{dead_pid()}:gone"
        await conn.execute(
            t.executions.update().where(t.executions.c.id == run["id"]).values(status="running", owner=dead)
        )
    await app.workers.start()  # recovers the execution and resumes it at node `two`
    await _settle(app)
    notes = sorted(r["note"] for r in (await client.get("/api/data/logs")).json()["data"])
    assert notes == ["one", "two"]
    [done] = await _executions(client, wf["id"])
    assert done["status"] == "succeeded"


async def test_workflows_triggering_workflows_stop_at_the_depth_limit(
    client: httpx.AsyncClient, app: App
) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "echo",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {
                    "id": "again",
                    "type": "create_record",
                    "config": {"collection": "tickets", "values": {"title": "echo"}},
                }
            ],
        },
    )
    await make_record(client, "tickets", {"title": "start"})
    await _settle(app)
    runs = await _executions(client, wf["id"])
    assert sorted(r["depth"] for r in runs) == list(range(MAX_DEPTH))
    total = (await client.get("/api/data/tickets", params={"count": "true"})).json()["meta"]["total"]
    assert total == 1 + MAX_DEPTH


async def test_loops_and_parallel_branches(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    await make_collection(client, "logs", [{"name": "note", "type": "string"}])
    for title in ("x", "y"):
        await make_record(client, "tickets", {"title": title, "status": "open"})
    wf = await _workflow(
        client,
        {
            "name": "sweep",
            "trigger": {"type": "record_created", "collection": "logs", "condition": {"note": "go"}},
            "nodes": [
                {
                    "id": "find",
                    "type": "query_records",
                    "config": {"collection": "tickets", "filter": {"status": "open"}, "sort": "id"},
                },
                {
                    "id": "each",
                    "type": "loop",
                    "config": {"items": "{{nodes.find.result}}"},
                    "branches": {
                        "body": [
                            {
                                "id": "close",
                                "type": "update_record",
                                "config": {
                                    "collection": "tickets",
                                    "id": "{{loop.item.id}}",
                                    "values": {"status": "closed", "summary": "#{{loop.index}}"},
                                },
                            }
                        ]
                    },
                },
                {
                    "id": "both",
                    "type": "parallel",
                    "branches": {
                        "a": [
                            {"id": "pa", "type": "calculate", "config": {"expression": "nodes.find.count"}}
                        ],
                        "b": [{"id": "pb", "type": "end", "config": {"status": "succeeded"}}],
                    },
                },
            ],
        },
    )
    await make_record(client, "logs", {"note": "go"})
    await _settle(app)
    [run] = await _executions(client, wf["id"])
    assert run["status"] == "succeeded", run
    keys = [n["key"] for n in run["nodes"]]
    assert {"find", "each", "close[0]", "close[1]", "both"} <= set(keys)
    rows = (await client.get("/api/data/tickets", params={"sort": "id"})).json()["data"]
    assert [(r["status"], r["summary"]) for r in rows] == [("closed", "#0"), ("closed", "#1")]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "x", "trigger": {"type": "nope"}, "nodes": []}, {"trigger.type"}),
        (
            {
                "name": "x",
                "trigger": {"type": "record_created", "collection": "ghosts"},
                "nodes": [
                    {"id": "a", "type": "calculate", "config": {}},
                    {"id": "a", "type": "teleport"},
                    {
                        "id": "c",
                        "type": "condition",
                        "config": {"expression": "1"},
                        "branches": {"maybe": []},
                    },
                ],
            },
            {
                "trigger.collection",
                "nodes.0.config.expression",
                "nodes.1.id",
                "nodes.1.type",
                "nodes.2.branches.maybe",
            },
        ),
    ],
)
async def test_a_bad_workflow_is_refused_with_every_problem(
    client: httpx.AsyncClient, body: dict[str, Any], fields: set[str]
) -> None:
    problem = assert_problem(await client.post("/api/workflows", json=body), 422, "invalid_workflow")
    assert fields <= {e["field"] for e in problem["errors"]}


async def test_only_admins_manage_workflows(client: httpx.AsyncClient) -> None:
    await make_user(client, "someone@example.com", [])
    async with as_user(client, "someone@example.com") as someone:
        assert_problem(await someone.get("/api/workflows"), 403)
        assert (await someone.get("/api/inbox")).status_code == 200


async def _status(
    client: httpx.AsyncClient, execution_id: int, want: str, seconds: float = 15
) -> dict[str, Any]:
    async with asyncio.timeout(seconds):
        while True:
            ex: dict[str, Any] = (await client.get(f"/api/executions/{execution_id}")).json()["data"]
            if ex["status"] == want:
                return ex
            await asyncio.sleep(0.05)


async def test_a_delay_waits_durably(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    wf = await _workflow(
        client,
        {
            "name": "later",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {"id": "pause", "type": "delay", "config": {"seconds": 1}},
                {
                    "id": "mark",
                    "type": "update_record",
                    "config": {
                        "collection": "tickets",
                        "id": "{{trigger.record.id}}",
                        "values": {"summary": "later"},
                    },
                },
            ],
        },
    )
    rec = await make_record(client, "tickets", {"title": "a"})
    await _settle(app)
    [run] = await _executions(client, wf["id"])
    assert run["status"] == "waiting"
    await app.workers.stop()  # a restart while it waits keeps the wait
    await app.workers.start()
    await _status(client, run["id"], "succeeded")
    assert (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]["summary"] == "later"


async def test_a_manual_task_waits_for_its_assignee(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    await make_user(client, "approver@example.com", [])
    await make_user(client, "bystander@example.com", [])
    form = [
        {"name": "approved", "type": "boolean", "required": True},
        {"name": "note", "type": "text"},
    ]
    wf = await _workflow(
        client,
        {
            "name": "approval",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {
                    "id": "approve",
                    "type": "manual_task",
                    "config": {
                        "title": "Approve {{trigger.record.title}}",
                        "assignees": ["approver@example.com"],
                        "form": form,
                    },
                },
                {
                    "id": "mark",
                    "type": "update_record",
                    "config": {
                        "collection": "tickets",
                        "id": "{{trigger.record.id}}",
                        "values": {"summary": "{{nodes.approve.result.note}}"},
                    },
                },
            ],
        },
    )
    rec = await make_record(client, "tickets", {"title": "laptop"})
    await _settle(app)
    [run] = await _executions(client, wf["id"])
    assert run["status"] == "waiting"
    url = f"/api/executions/{run['id']}/tasks/approve/complete"
    async with as_user(client, "bystander@example.com") as other:
        assert (await other.get("/api/tasks")).json()["data"] == []
        assert_problem(await other.post(url, json={"approved": True}), 404)
    async with as_user(client, "approver@example.com") as approver:
        [task] = (await approver.get("/api/tasks")).json()["data"]
        assert task["title"] == "Approve laptop"
        inbox = (await approver.get("/api/inbox")).json()["data"]
        assert inbox[0]["link"] == f"/api/executions/{run['id']}/tasks/approve"
        missing = assert_problem(await approver.post(url, json={"note": "x"}), 422)
        assert missing["errors"][0]["field"] == "approved"
        done = await approver.post(url, json={"approved": True, "note": "ok by me"})
        assert done.status_code == 200, done.text
        assert_problem(await approver.post(url, json={"approved": True}), 409)
    await _status(client, run["id"], "succeeded")
    assert (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]["summary"] == "ok by me"
    # A second one is cancelled while it waits.
    await make_record(client, "tickets", {"title": "phone"})
    await _settle(app)
    waiting = next(r for r in await _executions(client, wf["id"]) if r["status"] == "waiting")
    cancelled = await client.post(f"/api/executions/{waiting['id']}/cancel")
    assert cancelled.json()["data"]["status"] == "cancelled"
    assert (await client.get("/api/tasks")).json()["data"] == []


async def test_a_workflow_run_as_a_role_obeys_its_permissions(client: httpx.AsyncClient, app: App) -> None:
    await _tickets(client)
    await make_collection(client, "logs", [{"name": "note", "type": "string"}])
    await make_collection(client, "vault", [{"name": "note", "type": "string"}])
    await grant_role(client, "clerk", {"logs": {"create": {}, "get": {}}})
    bad = await client.post(
        "/api/workflows",
        json={"name": "x", "run_as": "ghost", "trigger": {"type": "record_created", "collection": "tickets"},
              "nodes": []},
    )  # fmt: skip
    assert_problem(bad, 422, "invalid_workflow")
    wf = await _workflow(
        client,
        {
            "name": "as clerk",
            "run_as": "clerk",
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {
                    "id": "log",
                    "type": "create_record",
                    "config": {"collection": "logs", "values": {"note": "ok"}},
                },
                {
                    "id": "peek",
                    "type": "create_record",
                    "config": {"collection": "vault", "values": {"note": "no"}},
                },
            ],
        },
    )
    await make_record(client, "tickets", {"title": "a"})
    await _settle(app)
    [run] = await _executions(client, wf["id"])
    assert run["status"] == "failed"
    assert "permission_denied" in run["error"]
    assert [r["note"] for r in (await client.get("/api/data/logs")).json()["data"]] == ["ok"]
    assert (await client.get("/api/data/vault")).json()["data"] == []
