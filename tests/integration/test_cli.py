"""The `deskbase` command line, run as a real process on SQLite and PostgreSQL."""

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


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [DESKBASE, *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(params=DATABASES)
async def cli_env(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[dict[str, str]]:
    env = {"DESKBASE_DATA_DIR": str(tmp_path)}
    if request.param == "sqlite":
        yield env
        return
    # A database of its own: the CLI connects with the plain URL, no search_path tricks.
    name = f"cli_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(PG_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DESKBASE_DATABASE_URL": PG_URL.rsplit("/", 1)[0] + f"/{name}"}
    finally:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()


def test_db_upgrade_and_user_create(cli_env: dict[str, str]) -> None:
    up = _run(cli_env, "db", "upgrade")
    assert up.returncode == 0, up.stderr
    assert "up to date" in up.stdout
    made = _run(
        cli_env, "user", "create", "--email", "Boss@Example.com", "--password", "secret-pass", "--admin"
    )
    assert made.returncode == 0, made.stderr
    assert "boss@example.com" in made.stdout.lower()
    again = _run(cli_env, "user", "create", "--email", "boss@example.com", "--password", "secret-pass")
    assert again.returncode == 1
    assert "exists" in again.stdout
    short = _run(cli_env, "user", "create", "--email", "x@example.com", "--password", "short")
    assert short.returncode == 1
    assert "password" in short.stdout
