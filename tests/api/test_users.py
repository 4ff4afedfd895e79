"""Users through HTTP: create, list (search, filters, sort, pages), read, change, deactivate;
administrators only. The lookup of names anyone signed in may use."""

from __future__ import annotations

from typing import Any

import httpx

from deskbase.app import App
from tests.api.accounts import PASSWORD, audit_rows, bearer, make_role, make_user, sign_in
from tests.factories import assert_problem

USER_KEYS = {
    "id", "email", "name", "phone", "avatar", "active", "roles", "default_role", "departments", "locale",
    "theme", "created_at",
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
    cases: list[tuple[dict[str, Any], tuple[str, str]]] = [
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


async def _people(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """Six users in two departments (one below the other) and two roles, one deactivated."""
    await make_role(client, "agent", "Service agent")
    top = await _department(client, "Support")
    level1 = await _department(client, "Level 1", top)
    people: list[tuple[str, dict[str, Any]]] = [
        (
            "zhang@example.com",
            {"name": "张伟", "phone": "+86 138 0000 1111", "roles": ["agent"], "departments": [top]},
        ),
        ("li@example.com", {"name": "李娜", "roles": ["agent"], "departments": [level1]}),
        ("wang@example.com", {"name": "王张", "phone": "010 5555", "departments": [level1]}),
        ("ann@example.com", {"name": "Ann Lee", "phone": "+44 20 7946 0000"}),
        ("bob@example.com", {"name": "Bob ann_smith", "roles": ["agent", "member"]}),
        ("cy@example.com", {"name": "CY 100%", "active": False}),
    ]
    return {email.split("@")[0]: await make_user(client, email, **extra) for email, extra in people}


async def _emails(client: httpx.AsyncClient, query: str) -> list[str]:
    resp = await client.get(f"/api/users?{query}")
    assert resp.status_code == 200, resp.text
    return [u["email"].split("@")[0] for u in resp.json()["data"]]


async def test_search_filters_sorts_and_pages_users(client: httpx.AsyncClient) -> None:
    await _people(client)
    # Without parameters: everyone, by id, as before (and meta.total).
    body = (await client.get("/api/users")).json()
    assert [u["email"] for u in body["data"]][:2] == ["admin@example.com", "zhang@example.com"]
    assert body["meta"] == {"page": 1, "page_size": 200, "total": 7, "has_more": False}
    # q: every word, in the name, email or phone, any case; Chinese as typed.
    assert await _emails(client, "q=张") == ["zhang", "wang"]
    assert await _emails(client, "q=张伟") == ["zhang"]
    assert await _emails(client, "q=ANN") == ["ann", "bob"]  # name, and `ann_smith` in a name
    assert await _emails(client, "q=ann lee") == ["ann"]
    assert await _emails(client, "q=LI@EXAMPLE") == ["li"]
    assert await _emails(client, "q=7946") == ["ann"]  # phone
    assert await _emails(client, "q=100%25") == ["cy"]  # % and _ are plain characters
    assert await _emails(client, "q=ann_") == ["bob"]
    assert await _emails(client, "q=nobody") == []
    # Filters combine with q and with each other.
    assert await _emails(client, "active=false") == ["cy"]
    assert len(await _emails(client, "active=true")) == 6
    assert await _emails(client, "role=agent") == ["zhang", "li", "bob"]
    assert await _emails(client, "role=agent&q=张") == ["zhang"]
    tree = (await client.get("/api/departments")).json()["data"]
    support, level1 = tree[0]["id"], tree[0]["children"][0]["id"]
    assert await _emails(client, f"department={support}") == ["zhang", "li", "wang"]  # and below
    assert await _emails(client, f"department={level1}") == ["li", "wang"]
    assert await _emails(client, f"department={level1}&role=agent") == ["li"]
    # Sort: several keys, `-` descending, id last; empty phones first ascending.
    assert await _emails(client, "sort=email&active=true") == ["admin", "ann", "bob", "li", "wang", "zhang"]
    assert (await _emails(client, "sort=-email&q=example.com"))[:2] == ["zhang", "wang"]
    assert await _emails(client, "sort=-created_at,email") == [
        "cy",
        "bob",
        "ann",
        "wang",
        "li",
        "zhang",
        "admin",
    ]
    # "+44…" < "+86…" < "010…" (code points on both databases); no phone first, by id.
    assert await _emails(client, "sort=phone") == ["admin", "li", "bob", "cy", "ann", "zhang", "wang"]
    assert await _emails(client, "sort=-phone") == ["wang", "zhang", "ann", "cy", "bob", "li", "admin"]
    # Pages: page_size up to 200, meta.total counts every match.
    first = (await client.get("/api/users?sort=email&page_size=3")).json()
    assert [u["email"] for u in first["data"]] == ["admin@example.com", "ann@example.com", "bob@example.com"]
    assert first["meta"] == {"page": 1, "page_size": 3, "total": 7, "has_more": True}
    last = (await client.get("/api/users?sort=email&page_size=3&page=3")).json()
    assert ([u["email"] for u in last["data"]], last["meta"]["has_more"]) == (["zhang@example.com"], False)
    beyond = (await client.get("/api/users?page_size=3&page=9")).json()
    assert (beyond["data"], beyond["meta"]["total"]) == ([], 7)


async def test_counts_by_role_and_department(client: httpx.AsyncClient) -> None:
    await _people(client)
    tree = (await client.get("/api/departments")).json()["data"]
    support, level1 = tree[0]["id"], tree[0]["children"][0]["id"]
    meta = (await client.get("/api/users?counts=role,department&page_size=1")).json()["meta"]
    assert meta["counts"] == {
        "role": {"admin": 1, "agent": 3, "member": 4},
        "department": {str(support): 1, str(level1): 2},  # direct members
    }
    meta = (await client.get("/api/users?counts=role&active=true&q=张")).json()["meta"]
    assert meta["counts"] == {"role": {"agent": 1, "member": 1}}
    assert "counts" not in (await client.get("/api/users")).json()["meta"]


async def test_bad_list_parameters_are_422_per_field(client: httpx.AsyncClient) -> None:
    await make_user(client, "dan@example.com")
    cases = {
        "page=0": ("page", "out_of_range"),
        "page_size=0": ("page_size", "out_of_range"),
        "page_size=201": ("page_size", "out_of_range"),
        "page=x": ("page", "int_parsing"),
        "active=maybe": ("active", "bool_parsing"),
        "sort=password_hash": ("sort", "unknown_sort"),
        "sort=name,-nope": ("sort", "unknown_sort"),
        "role=ghost": ("role", "unknown_role"),
        "department=999": ("department", "unknown_department"),
        "department=it": ("department", "int_parsing"),
        "department=99999999999": ("department", "unknown_department"),  # beyond 32 bits: no 500
        "page=99999999999": ("page", "out_of_range"),
        "counts=email": ("counts", "invalid_value"),
        "q=" + "x" * 201: ("q", "invalid_value"),
        "q=" + "+".join("abcdefghijk"): ("q", "invalid_value"),
    }
    for query, error in cases.items():
        problem = assert_problem(await client.get(f"/api/users?{query}"), 422, "validation_failed")
        assert error in {(e["field"], e["code"]) for e in problem["errors"]}, (query, problem)
    assert_problem(await client.get("/api/users/99999999999"), 404, "not_found")
    # Every problem at once.
    problem = assert_problem(await client.get("/api/users?page=0&sort=nope&role=ghost"), 422)
    assert {e["field"] for e in problem["errors"]} == {"page", "sort"}  # the role is checked after


async def test_anyone_signed_in_looks_up_names_and_avatars(client: httpx.AsyncClient) -> None:
    people = await _people(client)
    zhang, cy, ann = people["zhang"]["id"], people["cy"]["id"], people["ann"]["id"]
    assert (await client.patch(f"/api/users/{ann}", json={"avatar": "/api/attachments/3"})).status_code == 200
    await make_user(client, "eve@example.com", name="Eve")
    token = await sign_in(client, "eve@example.com")

    async def lookup(query: str) -> Any:
        resp = await client.get(f"/api/users/lookup?{query}", headers=bearer(token))
        assert resp.status_code == 200, resp.text
        return resp.json()["data"]

    # By id, in the order asked, deactivated users too; unknown ids are left out; nothing else.
    got = await lookup(f"ids={cy},{zhang},999,{ann},{zhang}")
    assert got == [
        {"id": cy, "name": "CY 100%", "avatar": None},
        {"id": zhang, "name": "张伟", "avatar": None},
        {"id": ann, "name": "Ann Lee", "avatar": "/api/attachments/3"},
    ]
    assert await lookup("ids=") == []
    # By name (not email or phone: those stay with administrators), for pickers.
    assert [u["name"] for u in await lookup("q=张")] == ["张伟", "王张"]  # by name
    assert await lookup("q=example.com") == []
    assert [u["id"] for u in await lookup("q=cy")] == [cy]
    assert await lookup("q=cy&active=true") == []
    assert len(await lookup("limit=3")) == 3
    assert len(await lookup("")) == 8  # admin, six people and Eve
    # Bad parameters: 422 on their field.
    for query, error in (
        ("ids=1,x", ("ids", "invalid_value")),
        ("ids=0", ("ids", "invalid_value")),
        ("ids=" + ",".join(str(i) for i in range(1, 202)), ("ids", "too_many")),
        ("limit=0", ("limit", "out_of_range")),
        ("limit=51", ("limit", "out_of_range")),
        ("q=" + "y" * 201, ("q", "invalid_value")),
    ):
        resp = await client.get(f"/api/users/lookup?{query}", headers=bearer(token))
        problem = assert_problem(resp, 422, "validation_failed")
        assert error in {(e["field"], e["code"]) for e in problem["errors"]}, query
    # The administrators' list stays theirs.
    assert_problem(await client.get("/api/users?q=张", headers=bearer(token)), 403, "permission_denied")
