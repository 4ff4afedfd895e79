"""Helpers for permission tests: roles with permissions, and clients signed in as other users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

__all__ = ["as_user", "grant_role", "make_user"]


async def grant_role(admin: httpx.AsyncClient, role: str, permissions: dict[str, Any]) -> None:
    """Create `role` if needed and set its permissions (asserting success)."""
    if (await admin.get(f"/api/roles/{role}")).status_code == 404:
        resp = await admin.post("/api/roles", json={"name": role, "title": role.capitalize()})
        assert resp.status_code == 201, resp.text
    resp = await admin.put(f"/api/roles/{role}/permissions", json=permissions)
    assert resp.status_code == 200, resp.text


async def make_user(admin: httpx.AsyncClient, email: str, roles: list[str], **extra: Any) -> dict[str, Any]:
    resp = await admin.post(
        "/api/users",
        json={"email": email, "password": "secret-pass-1", "name": email, "roles": roles, **extra},
    )
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


@asynccontextmanager
async def as_user(admin: httpx.AsyncClient, email: str) -> AsyncIterator[httpx.AsyncClient]:
    """A second client on the same app, signed in as `email` (password from make_user)."""
    transport = admin._transport  # the ASGI transport of the test app
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as other:
        resp = await other.post("/api/auth/login", json={"email": email, "password": "secret-pass-1"})
        assert resp.status_code == 200, resp.text
        other.headers["Authorization"] = f"Bearer {resp.json()['token']}"
        yield other
