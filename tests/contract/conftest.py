"""Database engines for contract tests: a temporary SQLite file and a throw-away PostgreSQL
schema (the databases of tests/conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from tests.conftest import DATABASES, PG_URL

__all__: list[str] = []

POSTGRES_URL = PG_URL.replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture(params=DATABASES)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """An empty database; tables created on it vanish after the test."""
    if request.param == "sqlite":
        sqlite = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'contract.sqlite'}")
        yield sqlite
        await sqlite.dispose()
        return
    schema = f"contract_{uuid.uuid4().hex[:12]}"
    postgres = create_async_engine(POSTGRES_URL)
    async with postgres.begin() as conn:
        await conn.execute(sa.schema.CreateSchema(schema))
    try:
        yield postgres.execution_options(schema_translate_map={None: schema})
    finally:
        async with postgres.begin() as conn:
            await conn.execute(sa.schema.DropSchema(schema, cascade=True))
        await postgres.dispose()
