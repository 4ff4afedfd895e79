"""API keys: shown once, stored hashed, bound to one role, revocable, and marked in the audit log."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import httpx
import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel import tables as t
from tests.api.accounts import PASSWORD, audit_rows, bearer, make_role, make_user, sign_in
from tests.factories import assert_problem

KEY_KEYS = {"id", "name", "user_id", "role", "prefix", "created_at", "expires_at", "last_used_at", "revoked"}


async def test_a_key_is_shown_once_and_stored_as_a_hash(client: httpx.AsyncClient, app: App) -> None:
    resp = await client.post("/api/api-keys", json={"name": "nightly import", "role": "admin"})
    assert resp.status_code == 201, resp.text
    created = resp.json()["data"]
    secret = created.pop("key")
    assert set(created) == KEY_KEYS
    assert secret.startswith("dsk_")
    assert len(secret) > 40
    assert (created["prefix"], created["role"], created["revoked"]) == (secret[:12], "admin", False)
    listed = (await client.get("/api/api-keys")).json()["data"]
    assert [k["id"] for k in listed] == [created["id"]]
    assert "key" not in listed[0]
    async with app.db.read() as conn:
        row = (await conn.execute(sa.select(t.api_keys))).one()
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(tuple(row))
    # The key signs requests in; what it writes is marked as coming from an API key.
    me = (await client.get("/api/me", headers=bearer(secret))).json()["data"]
    assert (me["email"], me["roles"], me["api_key"]) == ("admin@example.com", ["admin"], created["id"])
    resp = await client.post("/api/roles", json={"name": "bot", "title": "Bot"}, headers=bearer(secret))
    assert resp.status_code == 201, resp.text
    entry = (await audit_rows(app, "role.create"))[-1]
    assert (entry.source, entry.actor_email) == ("api_key", "admin@example.com")
    await client.post("/api/roles", json={"name": "other"}, headers={"X-Deskbase-Client": "web"})
    await client.post("/api/roles", json={"name": "third"})
    assert [r.source for r in await audit_rows(app, "role.create")][-2:] == ["ui", "api"]
    await app.identity.close()  # the last use is noted in the background
    listed = (await client.get("/api/api-keys")).json()["data"]
    assert listed[0]["last_used_at"] is not None
    assert [r.record_id for r in await audit_rows(app, "api_key.create")] == [created["id"]]


async def test_a_key_acts_with_its_role_only(client: httpx.AsyncClient) -> None:
    await make_role(client, "agent")
    await make_role(client, "lead")
    await make_user(client, "ned@example.com", roles=["agent", "lead"])
    token = await sign_in(client, "ned@example.com")
    resp = await client.post("/api/api-keys", json={"name": "k", "role": "lead"}, headers=bearer(token))
    assert resp.status_code == 201, resp.text
    secret = resp.json()["data"]["key"]
    me = (await client.get("/api/me", headers=bearer(secret))).json()["data"]
    assert me["roles"] == ["lead"]
    # Not a role the caller has; not even for a key of an administrator's choosing.
    for role in ("admin", "member"):
        resp = await client.post("/api/api-keys", json={"name": "k", "role": role}, headers=bearer(token))
        assert_problem(resp, 403, "permission_denied")
    # An administrator may bind any role, but it must exist.
    assert (await client.post("/api/api-keys", json={"name": "k", "role": "agent"})).status_code == 201
    body = assert_problem(await client.post("/api/api-keys", json={"name": "k", "role": "ghost"}), 422)
    assert (body["errors"][0]["field"], body["errors"][0]["code"]) == ("role", "unknown_role")
    # A key cannot make keys, nor sign out.
    resp = await client.post("/api/api-keys", json={"name": "k2", "role": "lead"}, headers=bearer(secret))
    assert_problem(resp, 403, "permission_denied")
    assert_problem(await client.post("/api/auth/logout", headers=bearer(secret)), 400)
    change = {"current_password": PASSWORD, "new_password": "Other-pass-42"}
    assert_problem(await client.post("/api/me/password", json=change, headers=bearer(secret)), 403)


async def test_listing_and_revoking(client: httpx.AsyncClient, app: App) -> None:
    await make_user(client, "oz@example.com")
    await make_user(client, "pat@example.com")
    oz, pat = await sign_in(client, "oz@example.com"), await sign_in(client, "pat@example.com")
    oz_key = (
        await client.post("/api/api-keys", json={"name": "oz", "role": "member"}, headers=bearer(oz))
    ).json()["data"]
    pat_key = (
        await client.post("/api/api-keys", json={"name": "pat", "role": "member"}, headers=bearer(pat))
    ).json()["data"]
    assert [k["name"] for k in (await client.get("/api/api-keys", headers=bearer(oz))).json()["data"]] == [
        "oz"
    ]
    assert [k["name"] for k in (await client.get("/api/api-keys")).json()["data"]] == ["pat", "oz"]
    # Someone else's key is not found; one's own is revoked and stops working at once.
    assert_problem(
        await client.delete(f"/api/api-keys/{pat_key['id']}", headers=bearer(oz)), 404, "not_found"
    )
    assert (await client.get("/api/me", headers=bearer(oz_key["key"]))).status_code == 200
    assert (await client.delete(f"/api/api-keys/{oz_key['id']}", headers=bearer(oz))).status_code == 204
    assert_problem(await client.get("/api/me", headers=bearer(oz_key["key"])), 401, "unauthenticated")
    assert (await client.get("/api/api-keys", headers=bearer(oz))).json()["data"][0]["revoked"] is True
    # An administrator revokes anyone's.
    assert (await client.delete(f"/api/api-keys/{pat_key['id']}")).status_code == 204
    assert_problem(await client.get("/api/me", headers=bearer(pat_key["key"])), 401)
    assert_problem(await client.delete("/api/api-keys/999"), 404)
    revoked = await audit_rows(app, "api_key.revoke")
    assert [(r.record_id, r.actor_email) for r in revoked] == [
        (oz_key["id"], "oz@example.com"), (pat_key["id"], "admin@example.com"),
    ]  # fmt: skip


async def test_keys_expire(client: httpx.AsyncClient, app: App) -> None:
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    body = assert_problem(
        await client.post("/api/api-keys", json={"name": "k", "role": "member", "expires_at": past}), 422
    )
    assert body["errors"][0]["field"] == "expires_at"
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    created = (
        await client.post("/api/api-keys", json={"name": "k", "role": "member", "expires_at": soon})
    ).json()
    assert created["data"]["expires_at"] is not None
    async with app.db.write() as conn:  # a day later
        await conn.execute(t.api_keys.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert_problem(
        await client.get("/api/me", headers=bearer(created["data"]["key"])), 401, "unauthenticated"
    )


async def test_a_key_loses_its_role_with_its_user(client: httpx.AsyncClient) -> None:
    await make_role(client, "agent")
    user = await make_user(client, "quin@example.com", roles=["agent"])
    token = await sign_in(client, "quin@example.com")
    secret = (
        await client.post("/api/api-keys", json={"name": "k", "role": "agent"}, headers=bearer(token))
    ).json()["data"]["key"]
    assert (await client.get("/api/me", headers=bearer(secret))).status_code == 200
    assert (await client.patch(f"/api/users/{user['id']}", json={"roles": ["member"]})).status_code == 200
    assert_problem(await client.get("/api/me", headers=bearer(secret)), 401, "unauthenticated")
