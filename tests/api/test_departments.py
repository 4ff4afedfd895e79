"""The department tree through HTTP, and the department scope of a signed-in user."""

from __future__ import annotations

from typing import Any

import httpx

from deskbase.app import App
from tests.api.accounts import audit_rows, bearer, make_user, sign_in
from tests.factories import assert_problem


async def _make(client: httpx.AsyncClient, name: str, parent_id: int | None = None, **extra: Any) -> int:
    resp = await client.post("/api/departments", json={"name": name, "parent_id": parent_id, **extra})
    assert resp.status_code == 201, resp.text
    data = resp.json()["data"]
    assert (data["name"], data["parent_id"]) == (name, parent_id)
    return int(data["id"])


def _names(tree: list[dict[str, Any]]) -> list[Any]:
    return [(d["name"], _names(d["children"])) if d["children"] else d["name"] for d in tree]


async def test_the_tree(client: httpx.AsyncClient, app: App) -> None:
    hq = await _make(client, "HQ")
    it = await _make(client, "IT", hq, position=2)
    await _make(client, "Legal", hq, position=1)
    await _make(client, "Desk", it)
    await _make(client, "Branch")
    tree = (await client.get("/api/departments")).json()["data"]
    assert _names(tree) == ["Branch", ("HQ", ["Legal", ("IT", ["Desk"])])]
    assert set(tree[1]) == {"id", "name", "parent_id", "position", "children"}
    assert (await client.get(f"/api/departments/{it}")).json()["data"] == {
        "id": it, "name": "IT", "parent_id": hq, "position": 2,
    }  # fmt: skip
    created = await audit_rows(app, "department.create")
    assert [r.detail["name"] for r in created] == ["HQ", "IT", "Legal", "Desk", "Branch"]


async def test_changes_that_would_break_the_tree_are_refused(client: httpx.AsyncClient, app: App) -> None:
    hq = await _make(client, "HQ")
    it = await _make(client, "IT", hq)
    desk = await _make(client, "Desk", it)
    body = assert_problem(await client.post("/api/departments", json={"name": "X", "parent_id": 999}), 422)
    assert body["errors"][0]["field"] == "parent_id"
    for parent in (hq, desk):  # under itself, under a department below it
        body = assert_problem(await client.patch(f"/api/departments/{hq}", json={"parent_id": parent}), 422)
        assert (body["errors"][0]["field"], body["errors"][0]["code"]) == ("parent_id", "cycle")
    body = assert_problem(await client.delete(f"/api/departments/{it}"), 409, "conflict")
    assert "sub-departments" in body["detail"]
    assert_problem(await client.post("/api/departments", json={"name": "IT", "parent_id": hq}), 409)
    assert_problem(await client.patch(f"/api/departments/{desk}", json={"name": "IT", "parent_id": hq}), 409)
    assert_problem(await client.patch("/api/departments/999", json={"name": "Y"}), 404, "not_found")
    assert_problem(await client.delete("/api/departments/999"), 404, "not_found")
    assert_problem(await client.post("/api/departments", json={"name": ""}), 422)
    # Allowed: rename, move up to the top, delete a leaf.
    resp = await client.patch(f"/api/departments/{desk}", json={"name": "Service desk", "parent_id": None})
    assert resp.json()["data"] == {"id": desk, "name": "Service desk", "parent_id": None, "position": 0}
    assert (await client.delete(f"/api/departments/{it}")).status_code == 204
    assert _names((await client.get("/api/departments")).json()["data"]) == ["HQ", "Service desk"]
    update = (await audit_rows(app, "department.update"))[-1]
    assert update.changes == {"name": ["Desk", "Service desk"], "parent_id": [it, None]}
    assert [r.record_id for r in await audit_rows(app, "department.delete")] == [it]


async def test_only_administrators_manage_departments(client: httpx.AsyncClient) -> None:
    dept = await _make(client, "HQ")
    await make_user(client, "lou@example.com")
    token = await sign_in(client, "lou@example.com")
    for method, url, body in (
        ("GET", "/api/departments", None),
        ("POST", "/api/departments", {"name": "X"}),
        ("PATCH", f"/api/departments/{dept}", {"name": "Y"}),
        ("DELETE", f"/api/departments/{dept}", None),
    ):
        assert_problem(
            await client.request(method, url, json=body, headers=bearer(token)), 403, "permission_denied"
        )


async def test_a_users_department_scope_reaches_below(client: httpx.AsyncClient, app: App) -> None:
    hq = await _make(client, "HQ")
    it = await _make(client, "IT", hq)
    desk = await _make(client, "Desk", it)
    legal = await _make(client, "Legal")
    user = await make_user(client, "max@example.com", departments=[it, legal])
    token = await sign_in(client, "max@example.com")
    actor = await app.identity.authenticate(token)
    assert (actor.department_ids, actor.department_scope_ids) == ((it, legal), (it, desk, legal))
    me = (await client.get("/api/me", headers=bearer(token))).json()["data"]
    assert me["departments"] == [{"id": it, "name": "IT"}, {"id": legal, "name": "Legal"}]
    # Moving a department out from under IT takes it out of the scope at once …
    assert (await client.patch(f"/api/departments/{desk}", json={"parent_id": hq})).status_code == 200
    actor = await app.identity.authenticate(token)
    assert actor.department_scope_ids == (it, legal)
    # … and so does a change of the user's own departments.
    resp = await client.patch(f"/api/users/{user['id']}", json={"departments": [hq, legal]})
    assert resp.status_code == 200, resp.text
    actor = await app.identity.authenticate(token)
    assert (actor.department_ids, actor.department_scope_ids) == ((hq, legal), (hq, it, desk, legal))
    # Deleting a department takes its members out of it.
    assert (await client.delete(f"/api/departments/{legal}")).status_code == 204
    actor = await app.identity.authenticate(token)
    assert (actor.department_ids, actor.department_scope_ids) == ((hq,), (hq, it, desk))
    assert (await client.patch(f"/api/users/{user['id']}", json={"departments": []})).status_code == 200
    actor = await app.identity.authenticate(token)
    assert (actor.department_ids, actor.department_scope_ids) == ((), ())
