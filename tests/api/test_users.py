"""Users through HTTP: create, list, read, change, deactivate; administrators only."""

from __future__ import annotations

import httpx

from deskbase.app import App
from tests.api.accounts import PASSWORD, audit_rows, bearer, make_role, make_user, sign_in
from tests.factories import assert_problem

USER_KEYS = {
    "id", "email", "name", "phone", "avatar", "active", "roles", "default_role", "departments", "created_at",
}  # fmt: skip


async def _department(client: httpx.AsyncClient, name: str, parent_id: int | None = None) -> int:
    resp = await client.post("/api/departments", json={"name": name, "parent_id": parent_id})
    assert resp.status_code == 201, resp.text
    return int(resp.json()["data"]["id"])


async def test_create_read_and_list_users(client: httpx.AsyncClient, app: App) -> None:
    await make_role(client, "agent")
    support = await _department(client, "Support")
    field = await _department(client, "Field service")
    resp = await client.post(
        "/api/users",
        json={
            "email": " Ann@Example.com ",
            "password": PASSWORD,
            "name": "Ann",
            "roles": ["agent", "member"],
            "departments": [support, field],
            "phone": "+86 10 1234-5678",
            "avatar": "https://example.com/ann.png",
        },
    )
    assert resp.status_code == 201, resp.text
    ann = resp.json()["data"]
    assert set(ann) == USER_KEYS
    assert (ann["email"], ann["name"], ann["phone"], ann["active"]) == (
        "ann@example.com", "Ann", "+86 10 1234-5678", True,
    )  # fmt: skip
    assert (ann["roles"], ann["default_role"]) == (["agent", "member"], "agent")
    assert ann["departments"] == [{"id": field, "name": "Field service"}, {"id": support, "name": "Support"}]
    assert (await client.get(f"/api/users/{ann['id']}")).json()["data"] == ann
    listed = (await client.get("/api/users")).json()["data"]
    assert [u["email"] for u in listed] == ["admin@example.com", "ann@example.com"]
    assert listed[0]["roles"] == ["admin"]
    # One department given as `department`; no roles means `member`.
    bob = await make_user(client, "bob@example.com", department=support)
    assert (bob["roles"], bob["default_role"], bob["name"]) == (["member"], "member", "bob")
    assert bob["departments"] == [{"id": support, "name": "Support"}]
    # The default role may be any of the roles.
    cy = await make_user(client, "cy@example.com", roles=["agent", "member"], default_role="member")
    assert (cy["roles"], cy["default_role"]) == (["member", "agent"], "member")
    created = await audit_rows(app, "user.create")
    assert [(r.record_id, r.detail["roles"]) for r in created][-3:] == [
        (ann["id"], ["agent", "member"]), (bob["id"], ["member"]), (cy["id"], ["member", "agent"]),
    ]  # fmt: skip


async def test_unknown_roles_and_departments_are_per_field_errors(client: httpx.AsyncClient) -> None:
    dept = await _department(client, "Support")
    cases = [
        ({"roles": ["member", "nope"]}, ("roles.1", "unknown_role")),
        ({"department": 999}, ("department", "unknown_department")),
        ({"departments": [dept, 998]}, ("departments.1", "unknown_department")),
        ({"roles": ["member"], "default_role": "admin"}, ("default_role", "not_in_roles")),
        ({"phone": "call me"}, ("phone", "invalid_format")),
        ({"avatar": "javascript:alert(1)"}, ("avatar", "invalid_format")),
        ({"email": "not-an-email"}, ("email", "invalid_format")),
    ]
    for extra, error in cases:
        body = {"email": "dan@example.com", "password": PASSWORD, **extra}
        problem = assert_problem(await client.post("/api/users", json=body), 422, "validation_failed")
        assert error in {(e["field"], e["code"]) for e in problem["errors"]}, extra
    assert [u["email"] for u in (await client.get("/api/users")).json()["data"]] == ["admin@example.com"]
    assert_problem(await client.get("/api/users/999"), 404, "not_found")
    assert_problem(await client.patch("/api/users/999", json={"name": "x"}), 404, "not_found")
    user = await make_user(client, "dan@example.com")
    resp = await client.patch(f"/api/users/{user['id']}", json={"roles": ["ghost"]})
    assert ("roles.0", "unknown_role") in {(e["field"], e["code"]) for e in resp.json()["errors"]}
    resp = await client.patch(f"/api/users/{user['id']}", json={"unknown": 1})
    assert_problem(resp, 422)


async def test_only_administrators_manage_users(client: httpx.AsyncClient) -> None:
    member = await make_user(client, "eve@example.com")
    token = await sign_in(client, "eve@example.com")
    for method, url, body in (
        ("GET", "/api/users", None),
        ("POST", "/api/users", {"email": "x@example.com", "password": PASSWORD}),
        ("GET", f"/api/users/{member['id']}", None),
        ("PATCH", f"/api/users/{member['id']}", {"roles": ["admin"]}),
    ):
        resp = await client.request(method, url, json=body, headers=bearer(token))
        assert_problem(resp, 403, "permission_denied")
    me = (await client.get("/api/me", headers=bearer(token))).json()["data"]
    assert me["roles"] == ["member"]


async def test_patch_changes_a_user_and_audits_before_and_after(client: httpx.AsyncClient, app: App) -> None:
    await make_role(client, "agent")
    a, b = await _department(client, "A"), await _department(client, "B")
    user = await make_user(client, "fay@example.com", name="Fay", departments=[a])
    token = await sign_in(client, "fay@example.com")
    assert (await client.get("/api/me", headers=bearer(token))).json()["data"]["roles"] == ["member"]
    resp = await client.patch(
        f"/api/users/{user['id']}",
        json={
            "name": "Fay Wong",
            "phone": "123456",
            "avatar": "/api/attachments/7",
            "roles": ["member", "agent"],
            "default_role": "agent",
            "departments": [b],
        },
    )
    assert resp.status_code == 200, resp.text
    got = resp.json()["data"]
    assert (got["name"], got["phone"], got["avatar"]) == ("Fay Wong", "123456", "/api/attachments/7")
    assert (got["roles"], got["default_role"], got["departments"]) == (
        ["agent", "member"], "agent", [{"id": b, "name": "B"}],
    )  # fmt: skip
    # The cached actor of the user's session is forgotten at once: new roles, new departments.
    me = (await client.get("/api/me", headers=bearer(token))).json()["data"]
    assert (me["roles"], me["departments"]) == (["agent", "member"], [{"id": b, "name": "B"}])
    entry = (await audit_rows(app, "user.update"))[-1]
    assert entry.record_id == user["id"]
    assert entry.changes == {
        "name": ["Fay", "Fay Wong"],
        "phone": [None, "123456"],
        "avatar": [None, "/api/attachments/7"],
        "roles": [["member"], ["agent", "member"]],
        "default_role": ["member", "agent"],
        "departments": [[a], [b]],
    }
    # Only the default role: it must be one of the roles; null clears the phone.
    resp = await client.patch(f"/api/users/{user['id']}", json={"default_role": "member", "phone": None})
    assert (resp.json()["data"]["roles"], resp.json()["data"]["phone"]) == (["member", "agent"], None)
    bad = await client.patch(f"/api/users/{user['id']}", json={"default_role": "admin"})
    assert_problem(bad, 422, "validation_failed")
    # A new password (set by an administrator) ends the user's sessions; no hash is logged.
    resp = await client.patch(f"/api/users/{user['id']}", json={"password": "Another-pass-9"})
    assert resp.status_code == 200, resp.text
    assert_problem(await client.get("/api/me", headers=bearer(token)), 401)
    await sign_in(client, "fay@example.com", "Another-pass-9")
    assert (await audit_rows(app, "user.update"))[-1].detail == {"password": "changed"}
    assert "$argon2" not in str([tuple(r) for r in await audit_rows(app)])
    # A patch that changes nothing writes nothing.
    before = len(await audit_rows(app))
    assert (await client.patch(f"/api/users/{user['id']}", json={"name": "Fay Wong"})).status_code == 200
    assert len(await audit_rows(app)) == before


async def test_deactivation_ends_sessions_and_keys_at_once(client: httpx.AsyncClient, app: App) -> None:
    user = await make_user(client, "gus@example.com")
    token = await sign_in(client, "gus@example.com")
    key = await client.post("/api/api-keys", json={"name": "script", "role": "member"}, headers=bearer(token))
    assert key.status_code == 201, key.text
    secret = key.json()["data"]["key"]
    for credential in (token, secret):  # both resolved and cached
        assert (await client.get("/api/me", headers=bearer(credential))).status_code == 200
    resp = await client.patch(f"/api/users/{user['id']}", json={"active": False})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["active"] is False
    for credential in (token, secret):
        assert_problem(await client.get("/api/me", headers=bearer(credential)), 401, "unauthenticated")
    login = await client.post("/api/auth/login", json={"email": "gus@example.com", "password": PASSWORD})
    assert_problem(login, 401, "unauthenticated")
    entry = (await audit_rows(app, "user.deactivate"))[-1]
    assert (entry.record_id, entry.changes) == (user["id"], {"active": [True, False]})
    # Reactivated, the user signs in again, but the old session and key stay ended.
    assert (await client.patch(f"/api/users/{user['id']}", json={"active": True})).status_code == 200
    await sign_in(client, "gus@example.com")
    for credential in (token, secret):
        assert (await client.get("/api/me", headers=bearer(credential))).status_code == 401


async def test_the_last_administrator_stays_one(client: httpx.AsyncClient) -> None:
    me = (await client.get("/api/me")).json()["data"]
    for change in ({"active": False}, {"roles": ["member"]}):
        body = assert_problem(await client.patch(f"/api/users/{me['id']}", json=change), 409, "conflict")
        assert "last active administrator" in body["detail"]
    await make_user(client, "hal@example.com", roles=["admin"])
    resp = await client.patch(f"/api/users/{me['id']}", json={"roles": ["member"]})
    assert resp.status_code == 200, resp.text
    # The change is in force at once: the former administrator's session is now a member's.
    assert_problem(await client.get("/api/users"), 403, "permission_denied")
