"""A server killed with SIGKILL in the middle of an execution resumes it after a restart, and
no node that had finished runs again: a loop of 120 record writes ends with exactly 120 rows."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from tests.integration.conftest import serving

ADMIN = ("admin@example.com", "crash-test-9")
ITEMS = 120


def _count(client: httpx.Client) -> int:
    return int(client.get("/api/data/logs", params={"count": "true", "page_size": 1}).json()["meta"]["total"])


def test_a_killed_server_resumes_the_execution(cli_env: dict[str, str], tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with serving(cli_env, log, ADMIN, attempts=300) as (proc, client):
        for body in (
            {"name": "tickets", "fields": [{"name": "title", "type": "string"}]},
            {"name": "logs", "fields": [{"name": "note", "type": "string", "unique": True}]},
        ):
            assert client.post("/api/collections", json=body).status_code == 201
        workflow = {
            "name": "fan out",
            "enabled": True,
            "trigger": {"type": "record_created", "collection": "tickets"},
            "nodes": [
                {"id": "each", "type": "loop", "config": {"items": list(range(ITEMS))}, "branches": {
                    "body": [{"id": "write", "type": "create_record",
                              "config": {"collection": "logs", "values": {"note": "#{{loop.index}}"}}}]}},
                {"id": "done", "type": "calculate", "config": {"expression": "'done'"}},
            ],
        }  # fmt: skip
        resp = client.post("/api/workflows", json=workflow)
        assert resp.status_code == 201, resp.text
        wf = resp.json()["data"]["id"]
        assert client.post("/api/data/tickets", json={"title": "go"}).status_code == 201
        deadline = time.monotonic() + 60
        while _count(client) < 10:
            runs = client.get(f"/api/workflows/{wf}/executions").json()["data"]
            assert not runs or runs[0]["status"] in ("queued", "running"), runs
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.005)
        assert _count(client) < ITEMS  # still mid-loop
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    with serving(cli_env, log, ADMIN, attempts=300) as (_proc, client):
        halfway = client.get(f"/api/workflows/{wf}/executions").json()["data"][0]
        deadline = time.monotonic() + 90
        while halfway["status"] != "succeeded":
            assert halfway["status"] in ("queued", "running"), halfway
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
            halfway = client.get(f"/api/executions/{halfway['id']}").json()["data"]
        assert _count(client) == ITEMS
        notes = {r["note"] for r in client.get("/api/data/logs", params={"page_size": 500}).json()["data"]}
        assert notes == {f"#{i}" for i in range(ITEMS)}
        keys = [n["key"] for n in halfway["nodes"]]
        assert len(keys) == len(set(keys)) == ITEMS + 2  # each loop step once, the loop, `done`
