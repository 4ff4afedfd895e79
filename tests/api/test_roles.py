"""Roles through HTTP: create, list, read, change, delete; administrators only."""

from __future__ import annotations

import httpx

from deskbase.app import App
from tests.api.accounts import audit_rows, bearer, make_role, make_user, sign_in
from tests.factories import assert_problem


async def test_create_read_update_delete_a_role(client: httpx.AsyncClient, app: App) -> None:
    resp = await client.post(
        "/api/roles", json={"name": "agent", "title": "Agent", "description": "Front line"}
    )
    assert resp.status_code == 201, resp.text
    role = resp.json()["data"]
    assert (role["name"], role["title"], role["description"], role["builtin"]) == (
        "agent", "Agent", "Front line", False,
    )  # fmt: skip
    names = [r["name"] for r in (await client.get("/api/roles")).json()["data"]]
    assert names == ["admin", "agent", "member"]
    assert (await client.get("/api/roles/admin")).json()["data"]["builtin"] is True
    assert (await client.get("/api/roles/agent")).json()["data"] == role
    resp = await client.patch("/api/roles/agent", json={"title": "Support agent", "description": None})
    assert resp.status_code == 200, resp.text
    assert (resp.json()["data"]["title"], resp.json()["data"]["description"]) == ("Support agent", None)
    assert (await client.delete("/api/roles/agent")).status_code == 204
    assert_problem(await client.get("/api/roles/agent"), 404, "role_not_found")
    assert_problem(await client.delete("/api/roles/agent"), 404, "role_not_found")
    actions = [(r.action, r.detail["role"]) for r in await audit_rows(app) if r.action.startswith("role.")]
    assert actions == [("role.create", "agent"), ("role.update", "agent"), ("role.delete", "agent")]
    update = (await audit_rows(app, "role.update"))[0]
    assert update.changes == {"title": ["Agent", "Support agent"], "description": ["Front line", None]}


async def test_role_names_and_duplicates(client: httpx.AsyncClient) -> None:
    for bad in ("Agent", "2nd", "a-b", "a__b", "agent_", "x" * 65, ""):
        body = assert_problem(await client.post("/api/roles", json={"name": bad, "title": "X"}), 400)
        assert body["code"] == "invalid_name", bad
        assert body["errors"][0]["field"] == "name"
    assert (await client.post("/api/roles", json={"name": "night_shift"})).json()["data"][
        "title"
    ] == "Night shift"
    body = assert_problem(
        await client.post("/api/roles", json={"name": "night_shift"}), 409, "already_exists"
    )
    assert body["errors"][0]["field"] == "name"
    assert_problem(await client.post("/api/roles", json={"name": "member"}), 409, "already_exists")


async def test_builtin_roles_cannot_be_deleted(client: httpx.AsyncClient) -> None:
    for name in ("admin", "member"):
        body = assert_problem(await client.delete(f"/api/roles/{name}"), 409, "conflict")
        assert "built-in" in body["detail"]
    assert_problem(await client.delete("/api/roles/nothing"), 404, "role_not_found")


async def test_only_administrators_manage_roles(client: httpx.AsyncClient) -> None:
    await make_user(client, "ida@example.com")
    token = await sign_in(client, "ida@example.com")
    for method, url, body in (
        ("GET", "/api/roles", None),
        ("POST", "/api/roles", {"name": "sneaky", "title": "S"}),
        ("GET", "/api/roles/member", None),
        ("PATCH", "/api/roles/member", {"title": "M"}),
        ("DELETE", "/api/roles/member", None),
    ):
        resp = await client.request(method, url, json=body, headers=bearer(token))
        assert_problem(resp, 403, "permission_denied")


async def test_deleting_a_role_takes_it_from_its_holders(client: httpx.AsyncClient, app: App) -> None:
    deleted: list[str] = []

    async def listener(role: str) -> None:
        deleted.append(role)

    app.identity.roles.on_deleted.append(listener)
    await make_role(client, "agent")
    await make_role(client, "lead")
    only = await make_user(client, "jo@example.com", roles=["agent"])
    both = await make_user(client, "kim@example.com", roles=["agent", "lead"])
    token = await sign_in(client, "jo@example.com")
    key = await client.post("/api/api-keys", json={"name": "k", "role": "agent"}, headers=bearer(token))
    secret = key.json()["data"]["key"]
    for credential in (token, secret):
        assert (await client.get("/api/me", headers=bearer(credential))).json()["data"]["roles"] == ["agent"]
    assert (await client.delete("/api/roles/agent")).status_code == 204
    assert deleted == ["agent"]
    # In force at once: the session has `member` left, the key bound to the role is gone.
    assert (await client.get("/api/me", headers=bearer(token))).json()["data"]["roles"] == ["member"]
    assert_problem(await client.get("/api/me", headers=bearer(secret)), 401, "unauthenticated")
    users = {u["id"]: u for u in (await client.get("/api/users")).json()["data"]}
    assert (users[only["id"]]["roles"], users[only["id"]]["default_role"]) == (["member"], "member")
    assert (users[both["id"]]["roles"], users[both["id"]]["default_role"]) == (["lead"], "lead")
