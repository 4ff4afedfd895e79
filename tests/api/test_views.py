"""Saved views: CRUD, personal and shared views, rights, names, config checks, stale fields,
collection drops, the audit log and the migration."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

import deskbase.migrations as migrations
from deskbase.app import App
from tests.api.access_support import as_user, grant_role, make_user
from tests.factories import assert_problem, call, choices, error_codes, make_collection, problem_issue

VIEW_KEYS = {
    "id",
    "collection",
    "name",
    "kind",
    "shared",
    "owner_id",
    "position",
    "config",
    "left_out",
    "created_at",
    "updated_at",
}
FULL_CONFIG: dict[str, Any] = {
    "filter": {"$and": [{"status": {"$in": ["new", "open"]}}, {"customer.name": {"$includes": "acme"}}]},
    "sort": "-created_at,priority",
    "q": "printer jam",
    "fields": ["title", "status", "priority", "ticket_repair.fault_code"],
    "widths": {"title": 320, "ticket_repair.fault_code": 120},
    "group_by": "status",
    "kanban_field": "status",
    "date_field": "due",
    "start_field": "opened_at",
    "end_field": "finish",
    "title_field": "title",
    "cover_field": "photo",
    "type": "ticket_repair",
}


@pytest.fixture
async def admin(client: httpx.AsyncClient) -> httpx.AsyncClient:
    await make_collection(client, "customers", [{"name": "name", "type": "string"}])
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
            {"name": "priority", "type": "integer"},
            {"name": "due", "type": "date"},
            {"name": "opened_at", "type": "datetime"},
            {"name": "finish", "type": "date"},
            {"name": "tags", "type": "multi_select", "options": choices("a", "b")},
            {"name": "photo", "type": "attachment"},
            {"name": "notes", "type": "json"},
            {"name": "secret", "type": "string"},
            {"name": "customer", "type": "many_to_one", "options": {"target": "customers"}},
            {"name": "biz_type", "type": "select", "options": choices("repair", "other")},
        ],
    )
    await make_collection(
        client,
        "ticket_repair",
        [{"name": "fault_code", "type": "string"}],
        extends={"master": "tickets", "discriminator": "biz_type", "value": "repair"},
    )
    return client


async def _create(
    client: httpx.AsyncClient, body: dict[str, Any], collection: str = "tickets"
) -> dict[str, Any]:
    resp = await client.post(f"/api/collections/{collection}/views", json=body)
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def _names(client: httpx.AsyncClient, collection: str = "tickets") -> list[str]:
    resp = await client.get(f"/api/collections/{collection}/views")
    assert resp.status_code == 200, resp.text
    return [v["name"] for v in resp.json()["data"]]


async def _agent(admin: httpx.AsyncClient, email: str = "agent@example.com", **rules: Any) -> None:
    rule = rules or {"list": {"scope": "all"}}
    await grant_role(admin, "agent", {"tickets": rule, "customers": {"list": {"scope": "all"}}})
    await make_user(admin, email, ["agent"])


async def test_crud_and_order(admin: httpx.AsyncClient) -> None:
    shared = await _create(
        admin, {"name": "Open work", "kind": "grid", "shared": True, "config": FULL_CONFIG}
    )
    assert set(shared) == VIEW_KEYS
    assert shared["collection"] == "tickets"
    assert shared["shared"] is True
    assert shared["owner_id"] is None
    assert shared["config"] == FULL_CONFIG
    assert shared["position"] == 0
    assert isinstance(shared["created_at"], str)
    mine = await _create(admin, {"name": "  Board  ", "kind": "kanban", "config": {"kanban_field": "status"}})
    assert mine["name"] == "Board"  # trimmed
    assert mine["shared"] is False
    assert isinstance(mine["owner_id"], int)
    assert mine["position"] == 1  # after the last one
    assert (await _create(admin, {"name": "Plain", "kind": "form"}))["config"] == {}
    assert await _names(admin) == ["Open work", "Board", "Plain"]

    resp = await admin.patch(f"/api/views/{mine['id']}", json={"position": -1, "name": "Kanban"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["name"] == "Kanban"
    assert await _names(admin) == ["Kanban", "Open work", "Plain"]

    resp = await admin.patch(f"/api/views/{shared['id']}", json={"config": {"sort": "title"}})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["config"] == {"sort": "title"}  # replaced whole
    got = (await admin.get(f"/api/views/{shared['id']}")).json()["data"]
    assert got["config"] == {"sort": "title"}
    assert got["updated_at"] >= got["created_at"]

    resp = await admin.patch(f"/api/views/{shared['id']}", json={"config": {"group_by": None}})
    assert resp.json()["data"]["config"] == {}  # null is the same as leaving a key out

    resp = await admin.delete(f"/api/views/{shared['id']}")
    assert resp.status_code == 204
    assert_problem(await admin.get(f"/api/views/{shared['id']}"), 404, "view_not_found")
    assert_problem(await admin.delete(f"/api/views/{shared['id']}"), 404, "view_not_found")
    assert_problem(await admin.get("/api/views/99999999999999"), 404, "view_not_found")
    assert_problem(await admin.get("/api/collections/nope/views"), 404, "collection_not_found")
    assert_problem(await admin.post("/api/collections/nope/views", json={"name": "x", "kind": "grid"}), 404)


async def test_personal_and_shared_views(admin: httpx.AsyncClient) -> None:
    await _agent(admin)
    await make_user(admin, "other@example.com", ["agent"])
    await make_user(admin, "outsider@example.com", ["member"])
    shared = await _create(admin, {"name": "Everyone", "kind": "grid", "shared": True})
    private = await _create(admin, {"name": "Admin's own", "kind": "grid"})
    async with as_user(admin, "agent@example.com") as agent:
        mine = await _create(agent, {"name": "Mine", "kind": "calendar", "config": {"date_field": "due"}})
        assert mine["owner_id"] is not None
        assert await _names(agent) == ["Everyone", "Mine"]
        assert (await agent.get(f"/api/views/{shared['id']}")).status_code == 200
        for method in ("GET", "PATCH", "DELETE"):  # someone else's personal view does not exist
            resp = await agent.request(method, f"/api/views/{private['id']}", json={"name": "x"})
            assert_problem(resp, 404, "view_not_found")
        # Shared views are administrators'.
        body = {"name": "Team", "kind": "grid", "shared": True}
        assert_problem(
            await agent.post("/api/collections/tickets/views", json=body), 403, "permission_denied"
        )
        resp = await agent.patch(f"/api/views/{shared['id']}", json={"name": "Mine now"})
        assert_problem(resp, 403, "permission_denied")
        assert_problem(await agent.delete(f"/api/views/{shared['id']}"), 403, "permission_denied")
        resp = await agent.patch(f"/api/views/{mine['id']}", json={"shared": True})
        assert_problem(resp, 403, "permission_denied")
        resp = await agent.patch(f"/api/views/{mine['id']}", json={"name": "Calendar", "position": 7})
        assert resp.status_code == 200, resp.text
        assert resp.json()["data"]["name"] == "Calendar"
    async with as_user(admin, "other@example.com") as other:
        assert await _names(other) == ["Everyone"]
        assert_problem(await other.get(f"/api/views/{mine['id']}"), 404, "view_not_found")
    assert await _names(admin) == ["Everyone", "Admin's own"]  # admins do not see others' either
    assert_problem(await admin.get(f"/api/views/{mine['id']}"), 404, "view_not_found")
    async with as_user(admin, "outsider@example.com") as outsider:  # may not list tickets
        assert_problem(await outsider.get("/api/collections/tickets/views"), 403, "permission_denied")
        assert_problem(await outsider.get(f"/api/views/{shared['id']}"), 403, "permission_denied")
        resp = await outsider.post("/api/collections/tickets/views", json={"name": "x", "kind": "grid"})
        assert_problem(resp, 403, "permission_denied")
    async with as_user(admin, "agent@example.com") as agent:
        assert (await agent.delete(f"/api/views/{mine['id']}")).status_code == 204
        assert await _names(agent) == ["Everyone"]

    # Sharing a personal view makes it no one's; making it personal again gives it to the caller.
    resp = await admin.patch(f"/api/views/{private['id']}", json={"shared": True})
    assert resp.json()["data"]["owner_id"] is None
    resp = await admin.patch(f"/api/views/{shared['id']}", json={"shared": False})
    assert isinstance(resp.json()["data"]["owner_id"], int)
    async with as_user(admin, "agent@example.com") as agent:
        assert await _names(agent) == ["Admin's own"]


async def test_names_are_unique_among_the_views_one_sees(admin: httpx.AsyncClient) -> None:
    await _agent(admin)
    await make_user(admin, "other@example.com", ["agent"])
    await _create(admin, {"name": "Open", "kind": "grid", "shared": True})
    async with as_user(admin, "agent@example.com") as agent:
        resp = await agent.post("/api/collections/tickets/views", json={"name": "Open", "kind": "grid"})
        body = assert_problem(resp, 409, "conflict")
        assert ("name", "duplicate") in {(e["field"], e["code"]) for e in body["errors"]}
        mine = await _create(agent, {"name": "Late", "kind": "grid"})
        second = await _create(agent, {"name": "Later", "kind": "grid"})
        assert_problem(
            await agent.patch(f"/api/views/{second['id']}", json={"name": "Late"}), 409, "conflict"
        )
        assert (await agent.patch(f"/api/views/{mine['id']}", json={"name": "Late"})).status_code == 200
    async with as_user(admin, "other@example.com") as other:
        await _create(other, {"name": "Late", "kind": "kanban"})  # another user's view: no clash
    # A shared view would sit beside everyone's personal views.
    resp = await admin.post(
        "/api/collections/tickets/views", json={"name": "Late", "kind": "grid", "shared": True}
    )
    assert_problem(resp, 409, "conflict")
    own = await _create(admin, {"name": "Drafts", "kind": "grid"})
    shared = (await admin.get("/api/collections/tickets/views")).json()["data"][0]
    resp = await admin.patch(f"/api/views/{own['id']}", json={"name": "Open"})  # beside the shared one
    assert_problem(resp, 409, "conflict")
    resp = await admin.patch(f"/api/views/{shared['id']}", json={"name": "Drafts"})
    assert_problem(resp, 409, "conflict")
    # The same name in another collection is fine.
    await _create(admin, {"name": "Open", "kind": "grid", "shared": True}, "customers")


BAD_BODIES: list[tuple[dict[str, Any], str, str]] = [
    ({"kind": "grid"}, "name", "required"),
    ({"name": "  ", "kind": "grid"}, "name", "required"),
    ({"name": "x" * 201, "kind": "grid"}, "name", "too_long"),
    ({"name": 5, "kind": "grid"}, "name", "invalid_type"),
    ({"name": "v"}, "kind", "required"),
    ({"name": "v", "kind": "pivot"}, "kind", "invalid_value"),
    ({"name": "v", "kind": "grid", "shared": "yes"}, "shared", "invalid_type"),
    ({"name": "v", "kind": "grid", "position": "1"}, "position", "invalid_type"),
    ({"name": "v", "kind": "grid", "position": 10**12}, "position", "out_of_range"),
    ({"name": "v", "kind": "grid", "colour": "red"}, "colour", "unknown_key"),
    ({"name": "v", "kind": "grid", "owner_id": 3}, "owner_id", "read_only"),
    ({"name": "v", "kind": "grid", "config": []}, "config", "invalid_type"),
]
BAD_CONFIGS: list[tuple[dict[str, Any], str, str]] = [
    ({"colour": "red"}, "config.colour", "unknown_key"),
    ({"filter": "open"}, "config.filter", "invalid_type"),
    ({"filter": {"nope": 1}}, "config.filter.nope", "unknown_field"),
    ({"filter": {"status": {"$bogus": 1}}}, "config.filter.status", "unknown_operator"),
    ({"filter": {"$xor": []}}, "config.filter", "invalid_filter"),
    ({"sort": ["title"]}, "config.sort", "invalid_type"),
    ({"sort": "-nope"}, "config.sort.nope", "unknown_field"),
    ({"sort": "notes"}, "config.sort.notes", "not_sortable"),
    ({"sort": "title,-"}, "config.sort", "invalid_value"),
    ({"q": 3}, "config.q", "invalid_type"),
    ({"q": " ".join(f"w{i}" for i in range(11))}, "config.q", "invalid_value"),
    ({"fields": "title"}, "config.fields", "invalid_type"),
    ({"fields": ["title", "nope"]}, "config.fields.1", "unknown_field"),
    ({"fields": ["title", "title"]}, "config.fields.1", "duplicate"),
    ({"fields": ["title", 3]}, "config.fields.1", "invalid_type"),
    ({"fields": ["ticket_repair.nope"]}, "config.fields.0", "unknown_field"),
    ({"fields": ["x"] * 501}, "config.fields", "too_many"),
    ({"widths": [100]}, "config.widths", "invalid_type"),
    ({"widths": {"title": 39}}, "config.widths.title", "out_of_range"),
    ({"widths": {"title": 1001}}, "config.widths.title", "out_of_range"),
    ({"widths": {"title": "wide"}}, "config.widths.title", "invalid_type"),
    ({"widths": {"nope": 100}}, "config.widths.nope", "unknown_field"),
    ({"group_by": "tags"}, "config.group_by", "invalid_value"),
    ({"group_by": "nope"}, "config.group_by", "unknown_field"),
    ({"kanban_field": "title"}, "config.kanban_field", "invalid_value"),
    ({"kanban_field": "tags"}, "config.kanban_field", "invalid_value"),
    ({"kanban_field": 1}, "config.kanban_field", "invalid_type"),
    ({"date_field": "status"}, "config.date_field", "invalid_value"),
    ({"start_field": "priority"}, "config.start_field", "invalid_value"),
    ({"end_field": "title"}, "config.end_field", "invalid_value"),
    ({"cover_field": "title"}, "config.cover_field", "invalid_value"),
    ({"title_field": "nope"}, "config.title_field", "unknown_field"),
    ({"type": 1}, "config.type", "invalid_type"),
    ({"type": "customers"}, "config.type", "unknown_type"),
    ({"type": "tickets"}, "config.type", "unknown_type"),
]


async def test_each_validation_code(admin: httpx.AsyncClient) -> None:
    view = await _create(admin, {"name": "Target", "kind": "grid"})
    cases = [(b, f, c) for b, f, c in BAD_BODIES]
    cases += [({"name": "v", "kind": "grid", "config": cfg}, f, c) for cfg, f, c in BAD_CONFIGS]
    failures = []
    for body, field, code in cases:
        resp = await call(admin, "POST", "/api/collections/tickets/views", json=body)
        issue = problem_issue(resp, 422, "validation_failed")
        if (
            issue is None
            and isinstance(resp, httpx.Response)
            and (None, field, code) not in error_codes(resp.json())
        ):
            issue = f"errors {resp.json().get('errors')}"
        if issue is not None:
            failures.append(f"POST {body}: {issue} (wanted {field}: {code})")
        if "config" in body and isinstance(body["config"], dict):  # the same through PATCH
            resp = await call(admin, "PATCH", f"/api/views/{view['id']}", json={"config": body["config"]})
            issue = problem_issue(resp, 422, "validation_failed")
            if (
                issue is None
                and isinstance(resp, httpx.Response)
                and (None, field, code) not in error_codes(resp.json())
            ):
                issue = f"errors {resp.json().get('errors')}"
            if issue is not None:
                failures.append(f"PATCH {body['config']}: {issue}")
    assert not failures, "\n".join(failures)
    # Several problems are reported at once.
    bad = {"name": "", "kind": "x", "config": {"fields": ["nope"], "widths": {"title": 1}}}
    body = assert_problem(await admin.post("/api/collections/tickets/views", json=bad), 422)
    assert {e["field"] for e in body["errors"]} == {"name", "kind", "config.fields.0", "config.widths.title"}
    for patch, field, code in [
        ({"kind": "kanban"}, "kind", "read_only"),
        ({"collection": "customers"}, "collection", "read_only"),
        ({"name": None}, "name", "invalid_type"),
        ({"shared": None}, "shared", "invalid_type"),
    ]:
        body = assert_problem(await admin.patch(f"/api/views/{view['id']}", json=patch), 422)
        assert (None, field, code) in error_codes(body), body
    assert_problem(await admin.patch(f"/api/views/{view['id']}", json=[1]), 422)
    assert_problem(await admin.post("/api/collections/tickets/views", content=b"{"), 400, "invalid_json")
    # Every kind is accepted; the view is unchanged by the refused requests.
    for kind in ("grid", "kanban", "calendar", "gantt", "gallery", "form"):
        await _create(admin, {"name": f"A {kind}", "kind": kind})
    got = (await admin.get(f"/api/views/{view['id']}")).json()["data"]
    assert got["config"] == {}
    assert got["name"] == "Target"


async def test_fields_the_role_may_not_read(admin: httpx.AsyncClient) -> None:
    await _agent(admin, list={"scope": "all", "fields": ["title", "status"]})
    async with as_user(admin, "agent@example.com") as agent:
        for config, field in [
            ({"fields": ["title", "secret"]}, "config.fields.1"),
            ({"filter": {"secret": "x"}}, "config.filter.secret"),
            ({"sort": "-secret"}, "config.sort.secret"),
            ({"kanban_field": "biz_type"}, "config.kanban_field"),
        ]:
            resp = await agent.post(
                "/api/collections/tickets/views", json={"name": "v", "kind": "grid", "config": config}
            )
            body = assert_problem(resp, 403, "field_forbidden")
            assert field in {e["field"] for e in body["errors"]}, body
        ok = {
            "fields": ["title", "status"],
            "filter": {"status": "new"},
            "sort": "title",
            "kanban_field": "status",
        }
        assert (await _create(agent, {"name": "v", "kind": "kanban", "config": ok}))["config"] == ok


async def test_a_shared_view_opens_for_a_reader_without_the_fields_their_role_hides(
    admin: httpx.AsyncClient,
) -> None:
    config = {
        "fields": ["title", "secret", "status"],
        "widths": {"secret": 90, "title": 200},
        "sort": "-secret,title",
        "filter": {"$and": [{"secret": {"$empty": False}}, {"status": "new"}]},
        "q": "printer",
    }
    view = await _create(admin, {"name": "Triage", "kind": "grid", "shared": True, "config": config})
    await _agent(admin, list={"scope": "all", "fields": ["title", "status"]})
    async with as_user(admin, "agent@example.com") as agent:
        got = (await agent.get(f"/api/views/{view['id']}")).json()["data"]
        assert got["config"] == {
            "fields": ["title", "status"],
            "widths": {"title": 200},
            "sort": "title",
            "filter": {"$and": [{"status": "new"}]},
            "q": "printer",
        }
        assert got["left_out"] == ["fields", "sort", "filter"]  # what the app tells the reader
        listed = (await agent.get("/api/collections/tickets/views")).json()["data"]
        assert [v["config"] for v in listed if v["id"] == view["id"]] == [got["config"]]
        # What is left lists for that reader (the whole config gave 403 field_forbidden).
        params = {"filter": json.dumps(got["config"]["filter"]), "sort": got["config"]["sort"]}
        assert (await agent.get("/api/data/tickets", params=params)).status_code == 200
        whole = {"filter": json.dumps(config["filter"]), "sort": config["sort"]}
        assert_problem(await agent.get("/api/data/tickets", params=whole), 403, "field_forbidden")
    # The administrator still gets the view as it was saved.
    as_saved = (await admin.get(f"/api/views/{view['id']}")).json()["data"]
    assert as_saved["config"] == config
    assert as_saved["left_out"] == []


async def test_removed_fields_are_dropped_on_read(admin: httpx.AsyncClient) -> None:
    config = {
        "fields": ["title", "priority", "status"],
        "widths": {"priority": 80, "title": 200},
        "sort": "-priority,title",
        "filter": {
            "$and": [{"priority": {"$gte": 2}}, {"status": "new"}],
            "$or": [{"$not": {"priority": 1}}, {"title": {"$includes": "x"}}],
        },
        "group_by": "priority",
        "title_field": "title",
    }
    view = await _create(admin, {"name": "Busy", "kind": "grid", "shared": True, "config": config})
    assert (await admin.delete("/api/collections/tickets/fields/priority")).status_code == 204
    got = (await admin.get(f"/api/views/{view['id']}")).json()["data"]
    assert got["config"] == {
        "fields": ["title", "status"],
        "widths": {"title": 200},
        "sort": "title",
        "filter": {"$and": [{"status": "new"}], "$or": [{"title": {"$includes": "x"}}]},
        "title_field": "title",
    }
    assert got["left_out"] == ["fields", "sort", "filter", "group_by"]
    listed = (await admin.get("/api/collections/tickets/views")).json()["data"]
    assert listed[0]["config"] == got["config"]
    # The pruned filter and sort work in a list as they are.
    resp = await admin.get(
        "/api/data/tickets",
        params={"filter": json.dumps(got["config"]["filter"]), "sort": got["config"]["sort"]},
    )
    assert resp.status_code == 200, resp.text
    # Saving the pruned config again is accepted.
    resp = await admin.patch(f"/api/views/{view['id']}", json={"config": got["config"]})
    assert resp.status_code == 200, resp.text


async def test_a_business_type_view_keeps_its_type_until_the_type_goes(admin: httpx.AsyncClient) -> None:
    config = {"type": "ticket_repair", "fields": ["title", "ticket_repair.fault_code"]}
    view = await _create(admin, {"name": "Repairs", "kind": "grid", "config": config})
    assert (await admin.get(f"/api/views/{view['id']}")).json()["data"]["config"] == config
    assert (await admin.delete("/api/collections/ticket_repair")).status_code == 204
    got = (await admin.get(f"/api/views/{view['id']}")).json()["data"]
    assert got["config"] == {"fields": ["title"]}  # every ticket again, without the type's field


async def test_dropping_a_collection_takes_its_views(admin: httpx.AsyncClient) -> None:
    shared = await _create(admin, {"name": "All", "kind": "grid", "shared": True}, "customers")
    mine = await _create(admin, {"name": "Mine", "kind": "gallery"}, "customers")
    kept = await _create(admin, {"name": "All", "kind": "grid", "shared": True})
    assert (await admin.delete("/api/collections/customers/fields/name")).status_code == 204
    resp = await admin.delete("/api/collections/tickets/fields/customer")
    assert resp.status_code == 204, resp.text
    assert (await admin.delete("/api/collections/customers")).status_code == 204
    for view in (shared, mine):
        assert_problem(await admin.get(f"/api/views/{view['id']}"), 404, "view_not_found")
    assert (await admin.get(f"/api/views/{kept['id']}")).status_code == 200
    await make_collection(admin, "customers", [{"name": "name", "type": "string"}])
    assert await _names(admin, "customers") == []


async def test_shared_view_changes_are_audited(admin: httpx.AsyncClient) -> None:
    shared = await _create(
        admin, {"name": "Open", "kind": "grid", "shared": True, "config": {"sort": "title"}}
    )
    personal = await _create(admin, {"name": "Scratch", "kind": "grid"})
    await admin.patch(f"/api/views/{shared['id']}", json={"name": "Open work", "config": {"sort": "-title"}})
    await admin.patch(f"/api/views/{personal['id']}", json={"name": "Scratch 2"})  # not audited
    await admin.patch(f"/api/views/{personal['id']}", json={"shared": True})  # audited: it is shared now
    await admin.delete(f"/api/views/{shared['id']}")
    resp = await admin.get("/api/audit", params={"action": "view."})
    assert resp.status_code == 200, resp.text
    entries = sorted(resp.json()["data"], key=lambda e: e["id"])
    assert [e["action"] for e in entries] == ["view.create", "view.update", "view.update", "view.delete"]
    assert all(e["collection"] == "tickets" and e["record_id"] is None for e in entries)
    create, rename, share, delete = entries
    assert create["detail"]["id"] == shared["id"]
    assert create["detail"]["config"] == {"sort": "title"}
    assert rename["changes"] == {
        "name": ["Open", "Open work"],
        "config": [{"sort": "title"}, {"sort": "-title"}],
    }
    assert share["changes"] == {"shared": [False, True]}
    assert delete["detail"]["name"] == "Open work"
    assert create["actor"]["email"] == "admin@example.com"


async def test_migration_0006_upgrades_and_downgrades(app: App, admin: httpx.AsyncClient) -> None:
    await _create(admin, {"name": "Before", "kind": "grid"})

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations.__path__[0]))

    def run(conn: sa.Connection, action: str, target: str) -> list[str]:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, target)
        return sa.inspect(conn).get_table_names()

    async with app.db.write() as conn:
        tables = await conn.run_sync(run, "downgrade", "0005")
    assert "ds_views" not in tables
    assert "ds_dashboards" not in tables
    async with app.db.write() as conn:
        tables = await conn.run_sync(run, "upgrade", "head")
        version = (
            await conn.execute(sa.text(f"SELECT version_num FROM {migrations.VERSION_TABLE}"))
        ).scalar_one()
    assert {"ds_views", "ds_dashboards"} <= set(tables)
    assert version == ScriptDirectory.from_config(cfg).get_current_head()
    assert await _names(admin) == []  # a fresh table
    await _create(admin, {"name": "After", "kind": "kanban", "config": {"kanban_field": "status"}})
    resp = await admin.post("/api/dashboards", json={"name": "After", "blocks": []})
    assert resp.status_code == 201, resp.text


async def test_openapi_describes_the_routes(anon: httpx.AsyncClient) -> None:
    paths = (await anon.get("/api/openapi.json")).json()["paths"]
    assert {"get", "post"} <= set(paths["/api/collections/{collection}/views"])
    assert {"get", "patch", "delete"} <= set(paths["/api/views/{view_id}"])
    assert {"get", "post"} <= set(paths["/api/dashboards"])
    assert {"get", "patch", "delete"} <= set(paths["/api/dashboards/{dashboard_id}"])
    assert paths["/api/dashboards"]["post"]["tags"] == ["dashboards"]
