"""/api/me: the role titles anyone sees of their own roles, and their preferences (language,
theme) kept on the server, changed with PATCH /api/me and audited."""

from __future__ import annotations

import httpx

from deskbase.app import App
from tests.api.accounts import audit_rows, bearer, make_role, make_user, sign_in
from tests.factories import assert_problem


async def test_me_shows_the_titles_of_the_roles_in_force(client: httpx.AsyncClient) -> None:
    me = (await client.get("/api/me")).json()["data"]
    assert (me["roles"], me["role_titles"]) == (["admin"], {"admin": "Administrator"})
    await make_role(client, "agent", "Service agent")
    await make_user(client, "ann@example.com", roles=["agent", "member"])
    token = await sign_in(client, "ann@example.com")
    me = (await client.get("/api/me", headers=bearer(token))).json()["data"]
    assert me["roles"] == ["agent", "member"]
    assert me["role_titles"] == {"agent": "Service agent", "member": "Member"}
    # A retitled role shows its new title; an API key's role is the one in force.
    assert (await client.patch("/api/roles/agent", json={"title": "Agent (L1)"})).status_code == 200
    key = await client.post("/api/api-keys", json={"name": "s", "role": "agent"}, headers=bearer(token))
    assert key.status_code == 201, key.text
    me = (await client.get("/api/me", headers=bearer(key.json()["data"]["key"]))).json()["data"]
    assert (me["roles"], me["role_titles"]) == (["agent"], {"agent": "Agent (L1)"})


async def test_preferences_are_kept_on_the_server_and_audited(client: httpx.AsyncClient, app: App) -> None:
    user = await make_user(client, "bo@example.com", name="Bo")
    token = await sign_in(client, "bo@example.com")
    me = (await client.get("/api/me", headers=bearer(token))).json()["data"]
    assert (me["locale"], me["theme"]) == (None, None)

    resp = await client.patch("/api/me", json={"locale": "zh-CN"}, headers=bearer(token))
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert (data["email"], data["locale"], data["theme"]) == ("bo@example.com", "zh-CN", None)
    assert "permissions" in data
    assert data["role_titles"] == {"member": "Member"}
    resp = await client.patch("/api/me", json={"theme": "dark"}, headers=bearer(token))
    assert (resp.json()["data"]["locale"], resp.json()["data"]["theme"]) == ("zh-CN", "dark")

    # They survive signing out and in, and come with the sign-in's user too.
    assert (await client.post("/api/auth/logout", headers=bearer(token))).status_code == 204
    login = await client.post(
        "/api/auth/login", json={"email": "bo@example.com", "password": "Secret-pass-1"}
    )
    assert (login.json()["user"]["locale"], login.json()["user"]["theme"]) == ("zh-CN", "dark")
    token = login.json()["token"]
    me = (await client.get("/api/me", headers=bearer(token))).json()["data"]
    assert (me["locale"], me["theme"]) == ("zh-CN", "dark")
    # Administrators see them with the user.
    assert (await client.get(f"/api/users/{user['id']}")).json()["data"]["locale"] == "zh-CN"

    # null goes back to the browser's choice; what is not sent stays.
    resp = await client.patch("/api/me", json={"locale": None}, headers=bearer(token))
    assert (resp.json()["data"]["locale"], resp.json()["data"]["theme"]) == (None, "dark")

    # Each change is a user.update by the user, with before and after; no change, no entry.
    entries = [e for e in await audit_rows(app, "user.update") if e.record_id == user["id"]]
    assert [e.changes for e in entries] == [
        {"locale": [None, "zh-CN"]},
        {"theme": [None, "dark"]},
        {"locale": ["zh-CN", None]},
    ]
    assert {(e.actor_id, e.source) for e in entries} == {(user["id"], "api")}
    before = len(await audit_rows(app))
    for body in ({}, {"theme": "dark"}):
        assert (await client.patch("/api/me", json=body, headers=bearer(token))).status_code == 200
    assert len(await audit_rows(app)) == before


async def test_bad_preferences_are_422_per_field(client: httpx.AsyncClient) -> None:
    cases = [
        ({"locale": "fr-FR"}, "locale"),
        ({"locale": "zh-cn"}, "locale"),
        ({"theme": "blue"}, "theme"),
        ({"theme": 1}, "theme"),
        ({"name": "New name"}, "name"),  # the rest of a user is the administrators' to change
    ]
    for body, field in cases:
        problem = assert_problem(await client.patch("/api/me", json=body), 422, "validation_failed")
        assert field in {e["field"] for e in problem["errors"]}, body
    both = assert_problem(await client.patch("/api/me", json={"locale": "xx", "theme": "yy"}), 422)
    assert {e["field"] for e in both["errors"]} == {"locale", "theme"}
    resp = await client.patch("/api/me", content=b"{nope", headers={"Content-Type": "application/json"})
    assert_problem(resp, 400, "invalid_json")
    resp = await client.patch("/api/me", json={"locale": "en-US"}, headers=bearer("not-a-token"))
    assert_problem(resp, 401, "unauthenticated")
    me = (await client.get("/api/me")).json()["data"]
    assert (me["locale"], me["theme"]) == (None, None)
