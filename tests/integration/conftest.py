"""Fixtures for the command line run as a real process: an environment per database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

from tests.conftest import DATABASES, PG_URL

DESKBASE = str(Path(sys.executable).with_name("deskbase"))


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`deskbase ARGS` with `env` added to this process's environment (wide, for rich tables)."""
    return subprocess.run(
        [DESKBASE, *args],
        env={**os.environ, **env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(params=DATABASES)
async def cli_env(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    """DESKBASE_* variables for a fresh SQLite data dir or a fresh PostgreSQL database of its own
    (the CLI connects with the plain URL, no search_path tricks)."""
    env = {"DESKBASE_DATA_DIR": str(tmp_path)}
    if request.param == "sqlite":
        yield env
        return
    name = f"cli_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(PG_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DESKBASE_DATABASE_URL": PG_URL.rsplit("/", 1)[0] + f"/{name}"}
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()
