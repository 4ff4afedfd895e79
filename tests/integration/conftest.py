"""Fixtures for the command line run as a real process: an environment per database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.conftest import DATABASES, PG_URL
from tests.factories import free_port

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


@contextmanager
def serving(
    env: dict[str, str],
    log: Path,
    admin: tuple[str, str],
    *args: str,
    limits: httpx.Limits | None = None,
    attempts: int = 600,
) -> Iterator[tuple[subprocess.Popen[bytes], httpx.Client]]:
    """`deskbase serve ARGS` on a free port, `admin` its first administrator: the process and a
    client signed in as that administrator. Stopped at the end (SIGINT, killed after 30 s),
    unless the test already ended it. `attempts`: health checks, 0.1 s apart, before giving up."""
    port = free_port()
    full = {**os.environ, **env, "DESKBASE_ADMIN_EMAIL": admin[0], "DESKBASE_ADMIN_PASSWORD": admin[1]}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [DESKBASE, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            env=full,
            stdout=out,
            stderr=out,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(attempts):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start:\n" + log.read_text())
        login = httpx.post(base + "/api/auth/login", json={"email": admin[0], "password": admin[1]})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        with httpx.Client(
            base_url=base, headers=headers, limits=limits or httpx.Limits(), timeout=30
        ) as client:
            yield proc, client
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


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
