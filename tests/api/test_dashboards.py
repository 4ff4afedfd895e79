"""Dashboards: CRUD, personal and shared dashboards, rights, block checks and the audit log."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import assert_problem, call, choices, error_codes, make_collection, problem_issue

DASHBOARD_KEYS = {"id", "name", "shared", "owner_id", "position", "blocks", "created_at", "updated_at"}
BAR: dict[str, Any] = {
    "id": "by-status",
    "type": "bar",
    "title": "Tickets by status",
    "collection": "tickets",
    "query": {
        "group_by": ["status", "opened_at:month"],
        "measures": ["count", "sum:amount"],
        "filter": {"status": {"$ne": "closed"}},
        "order": ["-count"],
        "limit": 10,
        "tz": "Asia/Shanghai",
    },
    "layout": {"x": 0, "y": 0, "w": 6, "h": 4},
}
NUMBER: dict[str, Any] = {
    "id": "total",
    "type": "number",
    "title": "Open",
    "collection": "tickets",
    "query": {"measures": ["count"]},
    "layout": {"x": 6, "y": 0, "w": 3, "h": 2},
}


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> httpx.AsyncClient:
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
            {"name": "stage", "type": "select", "options": choices("a", "b")},
            {"name": "amount", "type": "decimal", "options": {"precision": 12, "scale": 2}},
            {"name": "opened_at", "type": "datetime"},
        ],
    )
    await make_collection(client, "secrets", [{"name": "title", "type": "string"}])
    return client


async def _create(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    resp = await client.post("/api/dashboards", json=body)
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def _names(client: httpx.AsyncClient) -> list[str]:
    resp = await client.get("/api/dashboards")
    assert resp.status_code == 200, resp.text
    return [d["name"] for d in resp.json()["data"]]


async def test_crud_and_order(admin: httpx.AsyncClient) -> None:
    board = await _create(admin, {"name": "Service desk", "shared": True, "blocks": [BAR, NUMBER]})
    assert set(board) == DASHBOARD_KEYS
    assert board["shared"] is True
    assert board["owner_id"] is None
    assert board["blocks"][0] == BAR
    # Missing query members are filled in, as the aggregate API defaults them.
    assert board["blocks"][1]["query"] == {
        "group_by": [],
        "measures": ["count"],
        "filter": None,
        "order": [],
        "limit": None,
        "tz": None,
    }
    mine = await _create(admin, {"name": "Mine"})
    assert mine["blocks"] == []
    assert mine["position"] == 1
    assert isinstance(mine["owner_id"], int)
    assert await _names(admin) == ["Service desk", "Mine"]

    sankey = {
        "id": "flow",
        "type": "sankey",
        "title": "",
        "collection": "tickets",
        "query": {"group_by": ["status", "stage"]},
        "layout": {"x": 0, "y": 4, "w": 12, "h": 6},
    }
    resp = await admin.patch(f"/api/dashboards/{board['id']}", json={"blocks": [sankey], "position": 5})
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert [b["id"] for b in data["blocks"]] == ["flow"]  # replaced whole
    assert data["position"] == 5
    assert await _names(admin) == ["Mine", "Service desk"]
    resp = await admin.patch(f"/api/dashboards/{mine['id']}", json={"name": "  Renamed "})
    assert resp.json()["data"]["name"] == "Renamed"
    got = (await admin.get(f"/api/dashboards/{board['id']}")).json()["data"]
    assert got["blocks"] == data["blocks"]

    assert (await admin.delete(f"/api/dashboards/{board['id']}")).status_code == 204
    assert_problem(await admin.get(f"/api/dashboards/{board['id']}"), 404, "dashboard_not_found")
    assert_problem(await admin.patch(f"/api/dashboards/{board['id']}", json={"name": "x"}), 404)
    assert_problem(await admin.get("/api/dashboards/0"), 404, "dashboard_not_found")
    assert_problem(await admin.get("/api/dashboards/99999999999999"), 404, "dashboard_not_found")


async def test_personal_and_shared_dashboards(admin: httpx.AsyncClient) -> None:
    await grant_role(admin, "agent", {"tickets": {"list": {"scope": "all"}}})
    await make_user(admin, "agent@example.com", ["agent"])
    await make_user(admin, "other@example.com", ["member"])
    secret_block = {**NUMBER, "id": "s", "collection": "secrets"}
    shared = await _create(admin, {"name": "Team", "shared": True, "blocks": [NUMBER, secret_block]})
    private = await _create(admin, {"name": "Admin's", "blocks": [NUMBER]})
    async with as_user(admin, "agent@example.com") as agent:
        mine = await _create(agent, {"name": "Mine", "blocks": [BAR]})
        assert await _names(agent) == ["Team", "Mine"]
        # Reading does not check the blocks' collections (the agent may not list `secrets`).
        resp = await agent.get(f"/api/dashboards/{shared['id']}")
        assert resp.status_code == 200, resp.text
        assert len(resp.json()["data"]["blocks"]) == 2
        for method in ("GET", "PATCH", "DELETE"):
            resp = await agent.request(method, f"/api/dashboards/{private['id']}", json={"name": "x"})
            assert_problem(resp, 404, "dashboard_not_found")
        resp = await agent.post("/api/dashboards", json={"name": "Everyone", "shared": True})
        assert_problem(resp, 403, "permission_denied")
        assert_problem(await agent.patch(f"/api/dashboards/{shared['id']}", json={"name": "x"}), 403)
        assert_problem(await agent.delete(f"/api/dashboards/{shared['id']}"), 403, "permission_denied")
        assert_problem(await agent.patch(f"/api/dashboards/{mine['id']}", json={"shared": True}), 403)
        resp = await agent.patch(f"/api/dashboards/{mine['id']}", json={"blocks": []})
        assert resp.status_code == 200, resp.text
    async with as_user(admin, "other@example.com") as other:
        assert await _names(other) == ["Team"]
        assert_problem(await other.get(f"/api/dashboards/{mine['id']}"), 404)
        await _create(other, {"name": "Team"})  # names of dashboards may repeat
    assert await _names(admin) == ["Team", "Admin's"]
    async with as_user(admin, "agent@example.com") as agent:
        assert (await agent.delete(f"/api/dashboards/{mine['id']}")).status_code == 204
    resp = await admin.patch(f"/api/dashboards/{shared['id']}", json={"shared": False})
    assert isinstance(resp.json()["data"]["owner_id"], int)
    async with as_user(admin, "agent@example.com") as agent:
        assert await _names(agent) == []


def _with(block: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """`block` with the member at dotted `path` set to `value` (or removed, for `...`)."""
    out = copy.deepcopy(block)
    *parents, last = path.split(".")
    node = out
    for key in parents:
        node = node[key]
    if value is ...:
        del node[last]
    else:
        node[last] = value
    return out


BAD_BLOCKS: list[tuple[Any, str, str]] = [
    ("nope", "blocks", "invalid_type"),
    ([NUMBER] * 51, "blocks", "too_many"),
    ([3], "blocks.0", "invalid_type"),
    ([_with(BAR, "colour", "red")], "blocks.0.colour", "unknown_key"),
    ([_with(BAR, "id", ...)], "blocks.0.id", "required"),
    ([_with(BAR, "id", "x" * 65)], "blocks.0.id", "invalid_value"),
    ([_with(BAR, "id", "")], "blocks.0.id", "invalid_value"),
    ([BAR, _with(NUMBER, "id", BAR["id"])], "blocks.1.id", "duplicate"),
    ([_with(BAR, "type", "radar")], "blocks.0.type", "unknown_key"),
    ([_with(BAR, "type", ...)], "blocks.0.type", "required"),
    ([_with(BAR, "title", 5)], "blocks.0.title", "invalid_type"),
    ([_with(BAR, "title", "t" * 201)], "blocks.0.title", "too_long"),
    ([_with(BAR, "collection", ...)], "blocks.0.collection", "required"),
    ([_with(BAR, "collection", 1)], "blocks.0.collection", "invalid_type"),
    ([_with(BAR, "collection", "nope")], "blocks.0.collection", "unknown_collection"),
    ([_with(BAR, "layout", ...)], "blocks.0.layout", "required"),
    ([_with(BAR, "layout", [0, 0, 1, 1])], "blocks.0.layout", "invalid_type"),
    ([_with(BAR, "layout.x", 12)], "blocks.0.layout.x", "out_of_range"),
    ([_with(BAR, "layout.x", -1)], "blocks.0.layout.x", "out_of_range"),
    ([_with(BAR, "layout.y", -1)], "blocks.0.layout.y", "out_of_range"),
    ([_with(BAR, "layout.w", 13)], "blocks.0.layout.w", "out_of_range"),
    ([_with(BAR, "layout.w", 0)], "blocks.0.layout.w", "out_of_range"),
    ([_with(BAR, "layout.h", 21)], "blocks.0.layout.h", "out_of_range"),
    ([_with(BAR, "layout.h", ...)], "blocks.0.layout.h", "required"),
    ([_with(BAR, "layout.y", "top")], "blocks.0.layout.y", "invalid_type"),
    ([_with(BAR, "layout.w", True)], "blocks.0.layout.w", "invalid_type"),
    ([_with(BAR, "layout.static", True)], "blocks.0.layout.static", "unknown_key"),
    ([_with(BAR, "query", "count")], "blocks.0.query", "invalid_type"),
    ([_with(BAR, "query.having", 1)], "blocks.0.query.having", "unknown_key"),
    ([_with(NUMBER, "query.group_by", ["status"])], "blocks.0.query.group_by", "invalid_value"),
    (
        [_with(_with(BAR, "type", "sankey"), "query.group_by", ["status"])],
        "blocks.0.query.group_by",
        "invalid_value",
    ),
    (
        [_with(BAR, "query.group_by", ["status", "stage", "title", "opened_at"])],
        "blocks.0.query.group_by",
        "too_many",
    ),
    ([_with(BAR, "query.group_by", "status")], "blocks.0.query.group_by", "invalid_type"),
    ([_with(BAR, "query.group_by", [1])], "blocks.0.query.group_by.0", "invalid_type"),
    ([_with(BAR, "query.group_by", ["status,stage"])], "blocks.0.query.group_by.0", "invalid_value"),
    ([_with(BAR, "query.group_by", ["nope"])], "blocks.0.query.group_by.0", "unknown_field"),
    ([_with(BAR, "query.group_by", ["opened_at:decade"])], "blocks.0.query.group_by.0", "invalid_value"),
    ([_with(BAR, "query.group_by", ["status", "status"])], "blocks.0.query.group_by.1", "duplicate"),
    ([_with(BAR, "query.measures", ["sum:nope"])], "blocks.0.query.measures.0", "unknown_field"),
    ([_with(BAR, "query.measures", ["median:amount"])], "blocks.0.query.measures.0", "invalid_value"),
    ([_with(BAR, "query.order", ["-nope"])], "blocks.0.query.order.0", "invalid_value"),
    ([_with(BAR, "query.limit", 0)], "blocks.0.query.limit", "out_of_range"),
    ([_with(BAR, "query.limit", 10_001)], "blocks.0.query.limit", "out_of_range"),
    ([_with(BAR, "query.limit", "10")], "blocks.0.query.limit", "out_of_range"),
    ([_with(BAR, "query.tz", "Mars/Olympus")], "blocks.0.query.tz", "invalid_value"),
    ([_with(BAR, "query.tz", "../etc/passwd")], "blocks.0.query.tz", "invalid_value"),
    ([_with(BAR, "query.filter", "open")], "blocks.0.query.filter", "invalid_type"),
    ([_with(BAR, "query.filter", {"nope": 1})], "blocks.0.query.filter.nope", "unknown_field"),
    (
        [_with(BAR, "query.filter", {"status": {"$near": 1}})],
        "blocks.0.query.filter.status",
        "unknown_operator",
    ),
]


async def test_each_validation_code(admin: httpx.AsyncClient) -> None:
    board = await _create(admin, {"name": "Target", "blocks": [NUMBER]})
    failures = []
    for blocks, field, code in BAD_BLOCKS:
        for method, url in (("POST", "/api/dashboards"), ("PATCH", f"/api/dashboards/{board['id']}")):
            resp = await call(admin, method, url, json={"name": "x", "blocks": blocks})
            issue = problem_issue(resp, 422, "validation_failed")
            if (
                issue is None
                and isinstance(resp, httpx.Response)
                and (None, field, code) not in error_codes(resp.json())
            ):
                issue = f"errors {resp.json().get('errors')}"
            if issue is not None:
                failures.append(f"{method} {str(blocks)[:200]}: {issue} (wanted {field}: {code})")
    assert not failures, "\n".join(failures)
    for body, field, code in [
        ({}, "name", "required"),
        ({"name": ""}, "name", "required"),
        ({"name": "x", "shared": 1}, "shared", "invalid_type"),
        ({"name": "x", "position": 1.5}, "position", "invalid_type"),
        ({"name": "x", "id": 4}, "id", "read_only"),
        ({"name": "x", "kind": "grid"}, "kind", "unknown_key"),
    ]:
        body_ = assert_problem(await admin.post("/api/dashboards", json=body), 422, "validation_failed")
        assert (None, field, code) in error_codes(body_), body_
    # Every problem of every block at once; nothing was changed by the refused requests.
    bad = [_with(BAR, "layout.w", 0), _with(NUMBER, "type", "radar")]
    body_ = assert_problem(await admin.patch(f"/api/dashboards/{board['id']}", json={"blocks": bad}), 422)
    assert {e["field"] for e in body_["errors"]} == {"blocks.0.layout.w", "blocks.1.type"}
    got = (await admin.get(f"/api/dashboards/{board['id']}")).json()["data"]
    assert [b["id"] for b in got["blocks"]] == ["total"]
    # Every built-in type is accepted with a suitable query; fifty blocks are.
    for kind in ("bar", "line", "pie", "funnel"):
        await _create(admin, {"name": kind, "blocks": [_with(BAR, "type", kind)]})
    many = [_with(NUMBER, "id", f"b{i}") for i in range(50)]
    assert len((await _create(admin, {"name": "Many", "blocks": many}))["blocks"]) == 50


async def test_shared_dashboard_changes_are_audited(admin: httpx.AsyncClient) -> None:
    shared = await _create(admin, {"name": "Desk", "shared": True, "blocks": [NUMBER]})
    personal = await _create(admin, {"name": "Scratch"})
    await admin.patch(f"/api/dashboards/{shared['id']}", json={"name": "Service desk"})
    await admin.patch(f"/api/dashboards/{personal['id']}", json={"blocks": [BAR]})  # not audited
    await admin.delete(f"/api/dashboards/{personal['id']}")  # not audited
    await admin.delete(f"/api/dashboards/{shared['id']}")
    resp = await admin.get("/api/audit", params={"action": "dashboard."})
    assert resp.status_code == 200, resp.text
    entries = sorted(resp.json()["data"], key=lambda e: e["id"])
    assert [e["action"] for e in entries] == ["dashboard.create", "dashboard.update", "dashboard.delete"]
    create, rename, delete = entries
    assert create["detail"]["id"] == shared["id"]
    assert create["detail"]["blocks"][0]["id"] == "total"
    assert rename["changes"] == {"name": ["Desk", "Service desk"]}
    assert delete["detail"]["name"] == "Service desk"
