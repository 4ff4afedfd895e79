"""Roles' permissions, enforced in SQL on every path: one named test per bypass."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import assert_problem, choices, make_collection, make_record

AGENT = {
    "customers": {
        "list": {"scope": {"region": "north"}, "fields": ["name"]},
        "get": {"scope": {"region": "north"}, "fields": ["name"]},
    },
    "tickets": {
        "list": {"scope": "own", "fields": ["title", "status", "customer", "files"]},
        "get": {"scope": "own", "fields": ["title", "status", "customer", "files"]},
        "create": {
            "scope": {"status": {"$in": ["new", "open"]}},
            "fields": ["title", "status", "customer", "files"],
        },
        "update": {"scope": "own", "fields": ["status"]},
        "delete": {"scope": "own"},
        "export": {"scope": "own", "fields": ["title", "status"]},
        "import": {"scope": {"status": {"$in": ["new", "open"]}}, "fields": ["title", "status"]},
    },
}


@dataclass
class World:
    admin: httpx.AsyncClient
    agent: httpx.AsyncClient
    north: int
    south: int
    theirs: int  # a ticket the admin created
    mine: int  # a ticket the agent created


@pytest.fixture
async def world(client: httpx.AsyncClient) -> AsyncIterator[World]:
    await make_collection(
        client, "customers", [{"name": "name", "type": "string"}, {"name": "region", "type": "string"}]
    )
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
            {"name": "secret", "type": "string"},
            {"name": "customer", "type": "many_to_one", "options": {"target": "customers"}},
            {"name": "files", "type": "attachment"},
        ],
    )
    north = (await make_record(client, "customers", {"name": "Acme North", "region": "north"}))["id"]
    south = (await make_record(client, "customers", {"name": "Globex South", "region": "south"}))["id"]
    theirs = (
        await make_record(
            client,
            "tickets",
            {"title": "printer jam", "status": "open", "secret": "s-admin", "customer": south},
        )
    )["id"]
    await grant_role(client, "agent", AGENT)
    await make_user(client, "agent@example.com", ["agent"])
    async with as_user(client, "agent@example.com") as agent:
        mine = (
            await make_record(
                agent, "tickets", {"title": "printer smoke", "status": "new", "customer": north}
            )
        )["id"]
        yield World(client, agent, north, south, theirs, mine)


async def test_an_absent_action_is_denied(world: World) -> None:
    await grant_role(world.admin, "viewer", {"customers": {"list": {}}})
    await make_user(world.admin, "viewer@example.com", ["viewer"])
    async with as_user(world.admin, "viewer@example.com") as viewer:
        body = assert_problem(await viewer.get("/api/data/tickets"), 403, "permission_denied")
        assert body["errors"][0]["code"] == "action_forbidden"
        assert (await viewer.get("/api/data/customers")).status_code == 200
        assert_problem(await viewer.post("/api/data/customers", json={"name": "x"}), 403)


async def test_list_and_count_see_the_scope_only(world: World) -> None:
    page = (await world.agent.get("/api/data/tickets", params={"count": "true"})).json()
    assert [r["id"] for r in page["data"]] == [world.mine]
    assert page["meta"]["total"] == 1
    assert set(page["data"][0]) == {"id", "title", "status", "customer", "files"}  # no secret


async def test_get_outside_the_scope_is_404(world: World) -> None:
    assert_problem(await world.agent.get(f"/api/data/tickets/{world.theirs}"), 404)
    mine = (await world.agent.get(f"/api/data/tickets/{world.mine}")).json()["data"]
    assert "secret" not in mine


async def test_unreadable_fields_cannot_be_filtered_sorted_or_projected(world: World) -> None:
    agent = world.agent
    for params in (
        {"filter": json.dumps({"secret": "s-admin"})},
        {"filter": json.dumps({"$or": [{"title": "x"}, {"secret": {"$startsWith": "s"}}]})},
        {"sort": "-secret"},
        {"fields": "title,secret"},
        {"filter": json.dumps({"customer.region": "south"})},  # region is not readable on customers
    ):
        body = assert_problem(await agent.get("/api/data/tickets", params=params), 403, "field_forbidden")
        assert body["errors"], params


async def test_relation_paths_reach_only_visible_records(world: World) -> None:
    # The admin's ticket points at the south customer, outside the agent's customer scope:
    # a filter through the relation must not tell whether it matches.
    ticket = await make_record(
        world.agent, "tickets", {"title": "t", "status": "new", "customer": world.north}
    )
    found = (
        await world.agent.get(
            "/api/data/tickets", params={"filter": json.dumps({"customer.name": "Acme North"})}
        )
    ).json()["data"]
    assert {r["id"] for r in found} == {world.mine, ticket["id"]}
    none = (
        await world.agent.get("/api/data/customers", params={"filter": json.dumps({"name": "Globex South"})})
    ).json()["data"]
    assert none == []


async def test_appends_obey_the_targets_rules(world: World) -> None:
    page = (await world.agent.get("/api/data/tickets", params={"appends": "customer"})).json()["data"]
    assert page[0]["customer"] == {"id": world.north, "name": "Acme North"}  # no region
    # A ticket of the agent's linked (by the admin) to an invisible customer shows no customer.
    resp = await world.admin.patch(f"/api/data/tickets/{world.mine}", json={"customer": world.south})
    assert resp.status_code == 200, resp.text
    got = (await world.agent.get(f"/api/data/tickets/{world.mine}", params={"appends": "customer"})).json()
    assert got["data"]["customer"] is None


async def test_aggregates_count_inside_the_scope(world: World) -> None:
    resp = await world.agent.get(
        "/api/data/tickets/aggregate", params={"group_by": "status", "measures": "count"}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == [{"status": "new", "count": 1}]
    assert_problem(
        await world.agent.get("/api/data/tickets/aggregate", params={"group_by": "secret"}),
        403,
        "field_forbidden",
    )
    assert_problem(
        await world.agent.get(
            "/api/data/tickets/aggregate", params={"group_by": "customer.region", "measures": "count"}
        ),
        403,
        "field_forbidden",
    )


async def test_export_obeys_scope_and_fields(world: World) -> None:
    resp = await world.agent.get("/api/data/tickets/export", params={"format": "csv"})
    assert resp.status_code == 200, resp.text
    lines = resp.text.strip().splitlines()
    assert len(lines) == 2  # header + the agent's own ticket
    assert "secret" not in lines[0].lower()
    assert "s-admin" not in resp.text
    assert_problem(
        await world.agent.get("/api/data/tickets/export", params={"format": "csv", "fields": "title,secret"}),
        403,
        "field_forbidden",
    )


async def test_create_refuses_fields_and_scope_and_writes_nothing(world: World) -> None:
    assert_problem(
        await world.agent.post("/api/data/tickets", json={"title": "x", "status": "new", "secret": "y"}),
        403,
        "field_forbidden",
    )
    body = assert_problem(
        await world.agent.post(
            "/api/data/tickets", json=[{"title": "ok", "status": "new"}, {"title": "no", "status": "closed"}]
        ),
        403,
    )
    assert body["errors"][0]["code"] == "outside_scope"
    assert body["errors"][0]["index"] == 1
    titles = {r["title"] for r in (await world.admin.get("/api/data/tickets")).json()["data"]}
    assert "ok" not in titles
    assert "no" not in titles


async def test_links_to_invisible_records_are_refused(world: World) -> None:
    body = assert_problem(
        await world.agent.post(
            "/api/data/tickets", json={"title": "x", "status": "new", "customer": world.south}
        ),
        422,
    )
    assert body["errors"][0]["code"] == "invalid_reference"


async def test_update_and_delete_only_inside_the_scope(world: World) -> None:
    agent = world.agent
    assert_problem(await agent.patch(f"/api/data/tickets/{world.theirs}", json={"status": "closed"}), 404)
    assert_problem(
        await agent.patch(f"/api/data/tickets/{world.mine}", json={"title": "renamed"}),
        403,
        "field_forbidden",
    )
    resp = await agent.patch(f"/api/data/tickets/{world.mine}", json={"status": "open"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["status"] == "open"
    assert_problem(await agent.delete(f"/api/data/tickets/{world.theirs}"), 404)
    # By filter: only the records inside the scope are touched.
    everything = json.dumps({"title": {"$includes": "printer"}})
    resp = await agent.patch("/api/data/tickets", params={"filter": everything}, json={"status": "closed"})
    assert resp.json()["data"] == {"updated": 1}
    theirs = (await world.admin.get(f"/api/data/tickets/{world.theirs}")).json()["data"]
    assert theirs["status"] == "open"
    resp = await agent.delete("/api/data/tickets", params={"filter": everything})
    assert resp.json()["data"] == {"deleted": 1}
    assert (await world.admin.get(f"/api/data/tickets/{world.theirs}")).status_code == 200


async def test_search_does_not_reach_hidden_fields(world: World) -> None:
    await world.admin.patch(f"/api/data/tickets/{world.mine}", json={"secret": "zebra-code"})
    assert (await world.agent.get("/api/data/tickets", params={"q": "zebra"})).json()["data"] == []
    assert len((await world.admin.get("/api/data/tickets", params={"q": "zebra"})).json()["data"]) == 1
    assert len((await world.agent.get("/api/data/tickets", params={"q": "smoke"})).json()["data"]) == 1


async def test_import_rejects_rows_outside_the_create_scope(world: World) -> None:
    csv = "title,status\nfine,new\nnot mine,closed\n"
    files = {"file": ("t.csv", io.BytesIO(csv.encode()), "text/csv")}
    resp = await world.agent.post("/api/data/tickets/import", files=files, data={"mode": "skip_invalid"})
    assert resp.status_code in (200, 201, 202), resp.text
    job = resp.json()["job"] if "job" in resp.json() else resp.json()["data"]
    for _ in range(200):
        job = (await world.agent.get(f"/api/jobs/{job['id']}")).json()["data"]
        if job["status"] not in ("queued", "running"):
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert job["status"] == "succeeded", job
    assert [(e["row"], e["code"]) for e in job["errors"]] == [(3, "outside_scope")]
    titles = {r["title"] for r in (await world.admin.get("/api/data/tickets")).json()["data"]}
    assert "fine" in titles
    assert "not mine" not in titles
    bad = "title,secret\nx,y\n"
    files = {"file": ("t.csv", io.BytesIO(bad.encode()), "text/csv")}
    assert_problem(await world.agent.post("/api/data/tickets/import", files=files), 403, "field_forbidden")


async def test_attachments_download_only_through_readable_records(world: World) -> None:
    up = await world.admin.post("/api/attachments", files={"file": ("a.txt", b"admin file", "text/plain")})
    file_id = up.json()["data"]["id"]
    assert_problem(await world.agent.get(f"/api/attachments/{file_id}"), 404)
    # Nor can the agent attach it to their own record to reach it.
    body = assert_problem(
        await world.agent.patch(f"/api/data/tickets/{world.mine}", json={"files": [file_id]}), 403
    )  # files is not writable on update
    del body
    resp = await world.admin.patch(f"/api/data/tickets/{world.mine}", json={"files": [file_id]})
    assert resp.status_code == 200, resp.text
    assert (await world.agent.get(f"/api/attachments/{file_id}")).content == b"admin file"
    bad = await world.agent.post(
        "/api/data/tickets", json={"title": "x", "status": "new", "files": [file_id]}
    )
    assert_problem(bad, 422)
    own = await world.agent.post("/api/attachments", files={"file": ("b.txt", b"mine", "text/plain")})
    ok = await world.agent.post(
        "/api/data/tickets", json={"title": "y", "status": "new", "files": [own.json()["data"]["id"]]}
    )
    assert ok.status_code == 201, ok.text


async def test_openapi_shows_only_what_the_caller_may_do(world: World) -> None:
    doc = (await world.agent.get("/api/openapi.json")).json()
    paths = doc["paths"]
    assert set(paths["/api/data/tickets"]) == {"get", "post"}
    assert set(paths["/api/data/customers"]) == {"get"}
    props = doc["components"]["schemas"]["tickets_record"]["properties"]
    assert "secret" not in props
    assert "title" in props
    anon = (await world.admin.get("/api/openapi.json", headers={"Authorization": ""})).json()
    assert "/api/data/tickets" not in anon["paths"]
    admin = (await world.admin.get("/api/openapi.json")).json()
    assert "secret" in admin["components"]["schemas"]["tickets_record"]["properties"]


async def test_several_roles_add_up(world: World) -> None:
    await grant_role(world.admin, "auditor", {"tickets": {"list": {"scope": "all", "fields": ["secret"]}}})
    await make_user(world.admin, "both@example.com", ["agent", "auditor"])
    async with as_user(world.admin, "both@example.com") as both:
        page = (await both.get("/api/data/tickets")).json()["data"]
        assert {r["id"] for r in page} == {world.mine, world.theirs}
        assert {"title", "secret"} <= set(page[0])
        me = (await both.get("/api/me")).json()["data"]
        assert me["permissions"]["tickets"]["list"]["scope"] == "all"


async def test_department_scope_reaches_sub_departments(world: World) -> None:
    sales = (await world.admin.post("/api/departments", json={"name": "Sales"})).json()["data"]["id"]
    east = (await world.admin.post("/api/departments", json={"name": "East", "parent_id": sales})).json()[
        "data"
    ]["id"]
    await grant_role(world.admin, "lead", {"tickets": {"list": {"scope": "department"}, "create": {}}})
    await make_user(world.admin, "lead@example.com", ["lead"], departments=[sales])
    await make_user(world.admin, "rep@example.com", ["lead"], departments=[east])
    async with as_user(world.admin, "rep@example.com") as rep:
        made = await make_record(rep, "tickets", {"title": "east deal", "status": "new"})
    async with as_user(world.admin, "lead@example.com") as lead:
        ids = [r["id"] for r in (await lead.get("/api/data/tickets")).json()["data"]]
        assert ids == [made["id"]]


async def test_permissions_are_validated_and_per_role(world: World) -> None:
    bad = await world.admin.put(
        "/api/roles/agent/permissions",
        json={
            "tickets": {"list": {"scope": {"nope": 1}}, "fly": {"scope": "all"}, "get": {"fields": ["zzz"]}},
            "ghost": {},
        },
    )
    body = assert_problem(bad, 422)
    fields = {e["field"] for e in body["errors"]}
    assert {"ghost", "tickets.get.fields"} <= fields
    assert_problem(await world.admin.put("/api/roles/admin/permissions", json={}), 409)
    assert_problem(await world.admin.put("/api/roles/nobody/permissions", json={}), 404, "role_not_found")
    assert_problem(await world.agent.put("/api/roles/agent/permissions", json={}), 403)
    # Changing another role leaves this one as it was.
    await grant_role(world.admin, "other", {"tickets": {"list": {}}})
    got = (await world.admin.get("/api/roles/agent/permissions")).json()["data"]
    assert got["tickets"]["list"] == {
        "scope": "own",
        "fields": ["customer", "files", "id", "status", "title"],
    }


async def test_every_write_is_audited_with_before_and_after(world: World) -> None:
    await world.agent.patch(f"/api/data/tickets/{world.mine}", json={"status": "open"})
    await world.admin.delete(f"/api/data/tickets/{world.theirs}")
    log = (await world.admin.get("/api/audit", params={"collection": "tickets"})).json()["data"]
    actions = [(e["action"], e["record_id"]) for e in log]
    assert ("record.update", world.mine) in actions
    assert ("record.delete", world.theirs) in actions
    update = next(e for e in log if e["action"] == "record.update")
    assert update["changes"]["status"] == ["new", "open"]
    assert update["actor"]["email"] == "agent@example.com"
    created = next(e for e in log if e["action"] == "record.create" and e["record_id"] == world.theirs)
    assert created["changes"]["secret"] == [None, "s-admin"]
    assert_problem(await world.agent.get("/api/audit"), 403)
    history = (await world.agent.get(f"/api/data/tickets/{world.mine}/history")).json()["data"]
    assert [e["action"] for e in history] == ["record.create", "record.update"]
    # Times carry their offset on both databases (SQLite gives them back naive).
    assert all(datetime.fromisoformat(e["at"]).utcoffset() == timedelta(0) for e in history + log)
    assert all("secret" not in (e["changes"] or {}) for e in history)
    assert_problem(await world.agent.get(f"/api/data/tickets/{world.theirs}/history"), 404)
    perms = (await world.admin.get("/api/audit", params={"action": "role."})).json()["data"]
    assert any(e["action"] == "role.permissions" for e in perms)
    # No route changes or deletes the log.
    for method in ("PATCH", "DELETE", "PUT", "POST"):
        assert (await world.admin.request(method, "/api/audit")).status_code == 405


def _ids(rows: list[dict[str, Any]]) -> set[int]:
    return {r["id"] for r in rows}


async def test_extension_fields_follow_the_masters_rules(client: httpx.AsyncClient) -> None:
    await make_collection(
        client,
        "jobs",
        [
            {"name": "title", "type": "string"},
            {"name": "kind", "type": "select", "options": choices("repair")},
        ],
    )
    await make_collection(
        client,
        "job_repair",
        [{"name": "serial_no", "type": "string"}, {"name": "cost_code", "type": "string"}],
        extends={"master": "jobs", "discriminator": "kind", "value": "repair"},
    )
    await make_record(
        client,
        "jobs",
        {"title": "fix", "kind": "repair", "job_repair": {"serial_no": "S1", "cost_code": "C9"}},
    )
    fields = ["title", "kind", "job_repair.serial_no"]
    rule = {"scope": "all", "fields": fields}
    await grant_role(client, "tech", {"jobs": {"list": rule, "get": rule, "create": rule}})
    await make_user(client, "tech@example.com", ["tech"])
    async with as_user(client, "tech@example.com") as tech:
        row = (await tech.get("/api/data/jobs")).json()["data"][0]
        assert row["job_repair"] == {"serial_no": "S1"}
        for params in (
            {"filter": json.dumps({"job_repair.cost_code": "C9"})},
            {"sort": "job_repair.cost_code"},
        ):
            assert_problem(await tech.get("/api/data/jobs", params=params), 403, "field_forbidden")
        found = await tech.get(
            "/api/data/jobs", params={"filter": json.dumps({"job_repair.serial_no": "S1"})}
        )
        assert len(found.json()["data"]) == 1
        denied = await tech.post(
            "/api/data/jobs",
            json={"title": "x", "kind": "repair", "job_repair": {"serial_no": "S2", "cost_code": "C"}},
        )
        assert_problem(denied, 403, "field_forbidden")
        made = await tech.post(
            "/api/data/jobs", json={"title": "x", "kind": "repair", "job_repair": {"serial_no": "S2"}}
        )
        assert made.status_code == 201, made.text
        assert made.json()["data"]["job_repair"] == {"serial_no": "S2"}


async def test_sorting_by_a_relation_does_not_reveal_hidden_records(world: World) -> None:
    # The agent's ticket linked (by the admin) to the south customer, which the agent cannot
    # see, sorts as if it had no customer: "Globex South" would put it after "Acme North".
    hidden = await make_record(world.agent, "tickets", {"title": "h", "status": "new"})
    resp = await world.admin.patch(f"/api/data/tickets/{hidden['id']}", json={"customer": world.south})
    assert resp.status_code == 200, resp.text
    order = [
        r["id"]
        for r in (await world.agent.get("/api/data/tickets", params={"sort": "customer.name"})).json()["data"]
    ]
    assert order.index(hidden["id"]) < order.index(world.mine)
    admin_order = [
        r["id"]
        for r in (await world.admin.get("/api/data/tickets", params={"sort": "customer.name"})).json()["data"]
    ]
    assert admin_order.index(hidden["id"]) > admin_order.index(world.mine)
