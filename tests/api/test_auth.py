"""Sign-in, bearer tokens and the routes that need no sign-in."""

from __future__ import annotations

import httpx

from tests.conftest import ADMIN


async def test_health_needs_no_sign_in(anon: httpx.AsyncClient) -> None:
    resp = await anon.get("/api/health")
    assert resp.status_code == 200
    assert resp.json() == {"status": "ok"}


async def test_routes_need_a_token(anon: httpx.AsyncClient) -> None:
    for path in ("/api/collections", "/api/data/anything", "/api/me"):
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
    token = resp.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = await anon.get("/api/me", headers=headers)
    assert me.json()["data"]["email"] == ADMIN[0]
    assert (await anon.post("/api/auth/logout", headers=headers)).status_code == 204
    assert (await anon.get("/api/me", headers=headers)).status_code == 401


async def test_wrong_password_and_garbage_tokens(anon: httpx.AsyncClient) -> None:
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": "wrong-password"})
    assert resp.status_code == 401
    assert resp.json()["code"] == "unauthenticated"
    resp = await anon.post("/api/auth/login", json={"email": "nobody@example.com", "password": "x" * 10})
    assert resp.status_code == 401
    for header in ("Bearer nonsense", "Basic abc", "Bearer "):
        resp = await anon.get("/api/me", headers={"Authorization": header})
        assert resp.status_code == 401


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
        "/api/users", json={"email": "agent@example.com", "password": "agent-password", "name": "Agent"}
    )
    assert resp.status_code == 201, resp.text
    again = await client.post("/api/users", json={"email": "agent@example.com", "password": "agent-password"})
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "email"
    short = await client.post("/api/users", json={"email": "b@example.com", "password": "short"})
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "password"
    login = await client.post(
        "/api/auth/login", json={"email": "agent@example.com", "password": "agent-password"}
    )
    assert login.status_code == 200


async def test_unknown_route_is_a_problem(client: httpx.AsyncClient) -> None:
    resp = await client.get("/api/nothing-here")
    assert resp.status_code == 404
    assert resp.json()["code"] == "not_found"
