"""`deskbase serve --workers 2` on PostgreSQL: two server processes on one port, and a change
made through one is served by both (the change feed); SQLite refuses several processes."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import httpx

from tests.factories import free_port
from tests.integration.conftest import DESKBASE, run_cli

ADMIN = ("admin@example.com", "workers-test-7")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def test_two_processes_serve_what_either_changed(cli_env: dict[str, str], tmp_path: Path) -> None:
    if "DESKBASE_DATABASE_URL" not in cli_env:  # SQLite: one process, said at once
        done = run_cli(cli_env, "serve", "--workers", "2", "--port", "1")
        assert done.returncode == 2
        assert "needs PostgreSQL" in done.stdout
        return
    port = free_port()
    env = {**os.environ, **cli_env, "DESKBASE_ADMIN_EMAIL": ADMIN[0], "DESKBASE_ADMIN_PASSWORD": ADMIN[1]}
    log = tmp_path / "server.log"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [DESKBASE, "serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=out,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start:\n" + log.read_text())
        servers = [
            pid for pid in _children(proc.pid) if b"spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(servers) == 2, log.read_text()
        token = httpx.post(base + "/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]}).json()[
            "token"
        ]
        # No keep-alive: every request is a new connection, taken by either process.
        limits = httpx.Limits(max_keepalive_connections=0)
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, limits=limits, timeout=30) as client:
            spec = {"name": "notes", "fields": [{"name": "title", "type": "string"}]}
            assert client.post("/api/collections", json=spec).status_code == 201
            time.sleep(0.5)  # the other process reloads when the change commits (milliseconds)
            for i in range(30):
                resp = client.post("/api/data/notes", json={"title": f"n{i}"})
                assert resp.status_code == 201, resp.text
            assert client.get("/api/data/notes", params={"count": "true"}).json()["meta"]["total"] == 30
            assert (
                client.post("/api/collections/notes/fields", json={"name": "due", "type": "date"}).status_code
                == 201
            )
            time.sleep(0.5)
            for _ in range(10):
                resp = client.get(
                    "/api/data/notes", params={"filter": '{"due": {"$empty": true}}', "page_size": 1}
                )
                assert resp.status_code == 200, resp.text
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
