"""Fixtures: an App on SQLite or PostgreSQL (parametrized) and a signed-in HTTP client."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from deskbase.api import create_api
from deskbase.app import App
from deskbase.kernel.settings import Settings

PG_URL = os.environ.get("DESKBASE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DATABASES = os.environ.get("DESKBASE_TEST_DATABASES", "sqlite,postgresql").split(",")
ADMIN = ("admin@example.com", "admin-password")


async def _pg_admin() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(PG_URL)
    except (OSError, asyncpg.PostgresError) as exc:  # pragma: no cover - environment problem
        # PostgreSQL is part of the test bed: without it the suite fails, never skips.
        pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {exc}")


async def _shared_trigram(conn: asyncpg.Connection) -> None:
    """pg_trgm in `public`, once: else the first test's migration would create it inside its
    own schema, and dropping that schema at teardown would take it away from the others."""
    if await conn.fetchval("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"):
        return
    with contextlib.suppress(asyncpg.UniqueViolationError, asyncpg.DuplicateObjectError):  # a race
        await conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")


@contextlib.asynccontextmanager
async def pg_schema() -> AsyncIterator[str]:
    """A fresh schema of the test database (one installation's tables), dropped at the end."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    conn = await _pg_admin()
    await _shared_trigram(conn)
    await conn.execute(f'CREATE SCHEMA "{schema}"')
    await conn.close()
    try:
        yield schema
    finally:
        conn = await _pg_admin()
        await conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        await conn.close()


def pg_app(schema: str, **settings: Any) -> App:
    """An App on PostgreSQL whose tables live in `schema` (see pg_schema)."""
    return App(
        Settings(**settings, database_url=PG_URL), connect_args={"server_settings": {"search_path": schema}}
    )


@pytest.fixture(params=DATABASES)
async def app(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[App]:
    base = {"data_dir": tmp_path, "admin_email": ADMIN[0], "admin_password": ADMIN[1]}
    async with contextlib.AsyncExitStack() as stack:
        if request.param == "sqlite":
            instance = App(Settings(**base))
        else:
            instance = pg_app(await stack.enter_async_context(pg_schema()), **base)
        await instance.start()
        try:
            yield instance
        finally:
            await instance.stop()


@pytest.fixture
async def anon(app: App) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_api(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.fixture
async def client(anon: httpx.AsyncClient) -> httpx.AsyncClient:
    resp = await anon.post("/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
    assert resp.status_code == 200, resp.text
    anon.headers["Authorization"] = f"Bearer {resp.json()['token']}"
    return anon
