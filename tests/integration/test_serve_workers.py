"""`deskbase serve --workers 2` on PostgreSQL: two server processes on one port, and a change
made through one is served by both (the change feed); SQLite refuses several processes."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from tests.integration.conftest import run_cli, serving

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
    log = tmp_path / "server.log"
    # No keep-alive: every request is a new connection, taken by either process.
    limits = httpx.Limits(max_keepalive_connections=0)
    with serving(cli_env, log, ADMIN, "--workers", "2", limits=limits) as (proc, client):
        servers = [
            pid for pid in _children(proc.pid) if b"spawn" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        assert len(servers) == 2, log.read_text()
        spec = {"name": "notes", "fields": [{"name": "title", "type": "string"}]}
        assert client.post("/api/collections", json=spec).status_code == 201
        time.sleep(0.5)  # the other process reloads when the change commits (milliseconds)
        for i in range(30):
            resp = client.post("/api/data/notes", json={"title": f"n{i}"})
            assert resp.status_code == 201, resp.text
        assert client.get("/api/data/notes", params={"count": "true"}).json()["meta"]["total"] == 30
        field = {"name": "due", "type": "date"}
        assert client.post("/api/collections/notes/fields", json=field).status_code == 201
        time.sleep(0.5)
        undated = {"filter": '{"due": {"$empty": true}}', "page_size": 1}
        for _ in range(10):
            resp = client.get("/api/data/notes", params=undated)
            assert resp.status_code == 200, resp.text
