"""Helpers for identity tests: users made and signed in through HTTP, audit rows read directly."""

from __future__ import annotations

from typing import Any

import httpx
import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel import tables as t

__all__ = ["PASSWORD", "audit_rows", "bearer", "make_role", "make_user", "sign_in"]

PASSWORD = "Secret-pass-1"


async def make_user(client: httpx.AsyncClient, email: str, **extra: Any) -> dict[str, Any]:
    """POST /api/users as the admin; asserts 201 and returns the user."""
    resp = await client.post("/api/users", json={"email": email, "password": PASSWORD, **extra})
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def make_role(client: httpx.AsyncClient, name: str, title: str | None = None) -> dict[str, Any]:
    resp = await client.post("/api/roles", json={"name": name, "title": title or name.capitalize()})
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def sign_in(anon: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    resp = await anon.post("/api/auth/login", json={"email": email, "password": password})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["token"])


def bearer(token: str) -> dict[str, str]:
    """Headers that override the client's own Authorization for one request."""
    return {"Authorization": f"Bearer {token}"}


async def audit_rows(app: App, action: str | None = None) -> list[Any]:
    """Rows of ds_audit, oldest first (the read API is tested with the audit log itself)."""
    query = sa.select(t.audit).order_by(t.audit.c.id)
    if action is not None:
        query = query.where(t.audit.c.action == action)
    async with app.db.read() as conn:
        return list((await conn.execute(query)).all())
