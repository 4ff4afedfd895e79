"""Sign-in, sessions, the token cache, /api/me, password changes and sign-in throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa
from argon2 import PasswordHasher

from deskbase.app import App
from deskbase.kernel import tables as t
from tests.api.accounts import PASSWORD, audit_rows, bearer, make_user, sign_in
from tests.conftest import ADMIN
from tests.factories import assert_problem

ME_KEYS = {
    "id",
    "email",
    "name",
    "phone",
    "avatar",
    "active",
    "roles",
    "default_role",
    "departments",
    "api_key",
}


async def test_health_needs_no_sign_in(anon: httpx.AsyncClient) -> None:
    resp = await anon.get("/api/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


async def test_routes_need_a_token(anon: httpx.AsyncClient) -> None:
    for path in ("/api/collections", "/api/data/anything", "/api/me", "/api/users", "/api/api-keys"):
        resp = await anon.get(path)
        assert resp.status_code == 401
        assert resp.headers["content-type"] == "application/problem+json"
        body = resp.json()
        assert body["code"] == "unauthenticated"
        assert body["status"] == 401
        assert body["instance"] == path


async def test_login_logout(anon: httpx.AsyncClient) -> None:
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0].upper(), "password": ADMIN[1]})
    assert resp.status_code == 200
    assert resp.json()["user"]["roles"] == ["admin"]
    token = resp.json()["token"]
    headers = bearer(token)
    me = await anon.get("/api/me", headers=headers)  # now cached in memory …
    assert me.json()["data"]["email"] == ADMIN[0]
    assert (await anon.post("/api/auth/logout", headers=headers)).status_code == 204
    assert (await anon.get("/api/me", headers=headers)).status_code == 401  # … and forgotten at once


async def test_me_describes_the_signed_in_user(client: httpx.AsyncClient) -> None:
    me = (await client.get("/api/me")).json()["data"]
    assert set(me) >= ME_KEYS  # and "permissions", described with them
    assert me["email"] == ADMIN[0]
    assert (me["roles"], me["default_role"], me["api_key"], me["active"]) == (["admin"], "admin", None, True)
    assert me["departments"] == []


async def test_wrong_password_and_garbage_tokens(anon: httpx.AsyncClient, app: App) -> None:
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": "wrong-password"})
    assert_problem(resp, 401, "unauthenticated")
    resp = await anon.post("/api/auth/login", json={"email": "nobody@example.com", "password": "x" * 10})
    assert_problem(resp, 401, "unauthenticated")
    for header in ("Bearer nonsense", "Basic abc", "Bearer ", "Bearer dsk_nonsense"):
        resp = await anon.get("/api/me", headers={"Authorization": header})
        assert resp.status_code == 401
    failed = await audit_rows(app, "auth.login_failed")
    assert [r.detail["email"] for r in failed] == [ADMIN[0], "nobody@example.com"]
    assert all(r.actor_id is None and r.actor_email is None for r in failed)


async def test_sign_ins_are_audited_with_their_source(anon: httpx.AsyncClient, app: App) -> None:
    await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    await anon.post(
        "/api/auth/login",
        json={"email": ADMIN[0], "password": ADMIN[1]},
        headers={"X-Deskbase-Client": "web"},
    )
    rows = await audit_rows(app, "auth.login")
    assert [(r.actor_email, r.source) for r in rows] == [(ADMIN[0], "api"), (ADMIN[0], "ui")]
    assert rows[0].actor_id is not None


async def test_login_validates_its_body(anon: httpx.AsyncClient) -> None:
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0]})
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["field"] == "password"
    resp = await anon.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert resp.status_code == 400
    assert resp.json()["code"] == "invalid_json"


async def test_users_can_be_created_and_sign_in(client: httpx.AsyncClient) -> None:
    resp = await client.post(
        "/api/users", json={"email": "agent@example.com", "password": "Support-pass-1", "name": "Agent"}
    )
    assert resp.status_code == 201, resp.text
    again = await client.post("/api/users", json={"email": "agent@example.com", "password": "Support-pass-1"})
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "email"
    login = await client.post(
        "/api/auth/login", json={"email": "agent@example.com", "password": "Support-pass-1"}
    )
    assert login.status_code == 200


async def test_the_password_policy(client: httpx.AsyncClient) -> None:
    cases = {
        "short1": "too_short",
        "no-digits-here": "too_weak",
        "1234567890": "too_weak",
        "carol-77-pass": "contains_email",  # the email's name part
    }
    for password, code in cases.items():
        body = assert_problem(
            await client.post("/api/users", json={"email": "Carol@example.com", "password": password}),
            422,
            "validation_failed",
        )
        assert ("password", code) in {(e["field"], e["code"]) for e in body["errors"]}, password
        assert "password" in body["detail"]
    user = await make_user(client, "carol@example.com")
    resp = await client.patch(f"/api/users/{user['id']}", json={"password": "weakpassword"})
    assert_problem(resp, 422, "validation_failed")


async def test_sessions_expire(anon: httpx.AsyncClient, app: App) -> None:
    token = await sign_in(anon, ADMIN[0], ADMIN[1])
    async with app.db.write() as conn:
        await conn.execute(t.sessions.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert_problem(await anon.get("/api/me", headers=bearer(token)), 401, "unauthenticated")


async def test_resolved_tokens_are_cached_briefly(anon: httpx.AsyncClient, app: App) -> None:
    """Another process's sign-out is seen when the cache entry expires; this one's at once."""
    token = await sign_in(anon, ADMIN[0], ADMIN[1])
    assert (await anon.get("/api/me", headers=bearer(token))).status_code == 200
    async with app.db.write() as conn:  # as another server process would revoke it
        await conn.execute(t.sessions.update().values(revoked=True))
    assert (await anon.get("/api/me", headers=bearer(token))).status_code == 200
    app.identity.invalidate_all()
    assert (await anon.get("/api/me", headers=bearer(token))).status_code == 401


async def test_changing_your_password_ends_your_other_sessions(client: httpx.AsyncClient, app: App) -> None:
    await make_user(client, "dora@example.com")
    mine, other = await sign_in(client, "dora@example.com"), await sign_in(client, "dora@example.com")
    assert (await client.get("/api/me", headers=bearer(other))).status_code == 200
    wrong = await client.post(
        "/api/me/password",
        json={"current_password": "nope", "new_password": "Brand-new-2"},
        headers=bearer(mine),
    )
    assert ("current_password", "wrong_password") in {(e["field"], e["code"]) for e in wrong.json()["errors"]}
    weak = await client.post(
        "/api/me/password", json={"current_password": PASSWORD, "new_password": "weak"}, headers=bearer(mine)
    )
    assert_problem(weak, 422, "validation_failed")
    assert weak.json()["errors"][0]["field"] == "new_password"
    ok = await client.post(
        "/api/me/password",
        json={"current_password": PASSWORD, "new_password": "Brand-new-2"},
        headers=bearer(mine),
    )
    assert ok.status_code == 204, ok.text
    assert (await client.get("/api/me", headers=bearer(mine))).status_code == 200
    assert (await client.get("/api/me", headers=bearer(other))).status_code == 401
    old = await client.post("/api/auth/login", json={"email": "dora@example.com", "password": PASSWORD})
    assert old.status_code == 401
    await sign_in(client, "dora@example.com", "Brand-new-2")
    rows = await audit_rows(app, "user.update")
    assert rows[-1].detail == {"password": "changed by the user"}
    assert "$argon2" not in str([tuple(r) for r in await audit_rows(app)])


async def test_repeated_failures_for_one_email_are_throttled(anon: httpx.AsyncClient, app: App) -> None:
    for _ in range(5):
        resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": "wrong-1234"})
        assert_problem(resp, 401, "unauthenticated")
    # Now even the right password is refused, without being checked, until the window passes.
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    body = assert_problem(resp, 429, "too_many_requests")
    retry_after = int(resp.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert body["retry_after"] == retry_after
    other = await anon.post("/api/auth/login", json={"email": "someone@example.com", "password": "x1234567"})
    assert_problem(other, 401, "unauthenticated")  # another email is not throttled
    assert len(await _age_failures(app, timedelta(0))) == 6  # they are stored, and they age:
    await _age_failures(app, timedelta(minutes=14))
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    assert_problem(resp, 429, "too_many_requests")
    assert int(resp.headers["Retry-After"]) <= 60
    await _age_failures(app, timedelta(minutes=2))
    await sign_in(anon, ADMIN[0], ADMIN[1])


async def _age_failures(app: App, by: timedelta) -> list[int]:
    """Move every stored failed sign-in `by` into the past; their ids."""
    async with app.db.write() as conn:
        rows = (await conn.execute(sa.select(t.login_failures.c.id, t.login_failures.c.at))).all()
        for row in rows:
            at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
            await conn.execute(
                t.login_failures.update().where(t.login_failures.c.id == row.id).values(at=at - by)
            )
    return [r.id for r in rows]


async def test_repeated_failures_from_one_address_are_throttled(anon: httpx.AsyncClient) -> None:
    for i in range(20):
        resp = await anon.post(
            "/api/auth/login", json={"email": f"guess{i}@example.com", "password": "x1234567"}
        )
        assert resp.status_code == 401
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    assert_problem(resp, 429, "too_many_requests")
    assert int(resp.headers["Retry-After"]) > 0


async def test_passwords_use_the_lighter_argon2_parameters(client: httpx.AsyncClient, app: App) -> None:
    user = await make_user(client, "erin@example.com")
    query = sa.select(t.users.c.password_hash).where(t.users.c.id == user["id"])
    async with app.db.read() as conn:
        assert (await conn.execute(query)).scalar_one().startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    # A hash made with other (older, costlier) parameters is replaced at the next sign-in.
    old = PasswordHasher(memory_cost=65536, time_cost=3, parallelism=4).hash(PASSWORD)
    async with app.db.write() as conn:
        await conn.execute(t.users.update().where(t.users.c.id == user["id"]).values(password_hash=old))
    await sign_in(client, "erin@example.com")
    async with app.db.read() as conn:
        assert (await conn.execute(query)).scalar_one().startswith("$argon2id$v=19$m=19456,t=2,p=1$")


async def test_unknown_route_is_a_problem(client: httpx.AsyncClient) -> None:
    resp = await client.get("/api/nothing-here")
    assert resp.status_code == 404
    assert resp.json()["code"] == "not_found"
