"""Outbound channels: email through a real local SMTP server, chat webhooks and the HTTP
request node against a real local HTTP server."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from deskbase.app import App
from tests.factories import free_port, make_collection, make_record

ALERT = "Alert: {{trigger.record.title}}"
NEW = "New: {{trigger.record.title}}"


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"null")
        self.received.append((self.path, body))
        status = 500 if self.path == "/broken" else 200
        data = json.dumps({"ok": status == 200, "echo": body}).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def web() -> Iterator[tuple[str, list[tuple[str, Any]]]]:
    received: list[tuple[str, Any]] = []
    handler = type("Hook", (_Hook,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


async def _run(client: httpx.AsyncClient, app: App, nodes: list[dict[str, Any]]) -> dict[str, Any]:
    if (await client.get("/api/collections/events")).status_code == 404:
        await make_collection(client, "events", [{"name": "title", "type": "string"}])
    resp = await client.post(
        "/api/workflows",
        json={"name": "out", "enabled": True, "trigger": {"type": "record_created", "collection": "events"},
              "nodes": nodes},
    )  # fmt: skip
    assert resp.status_code == 201, resp.text
    wf = resp.json()["data"]["id"]
    await make_record(client, "events", {"title": "server down"})
    async with asyncio.timeout(30):
        await app.workers.drain()
    run: dict[str, Any] = (await client.get(f"/api/workflows/{wf}/executions")).json()["data"][0]
    await client.patch(f"/api/workflows/{wf}", json={"enabled": False})
    return run


async def test_email_goes_through_smtp(client: httpx.AsyncClient, app: App, smtp: tuple[int, _Inbox]) -> None:
    port, inbox = smtp
    smtp_settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False}
    app.channels.settings = app.settings.model_copy(update=smtp_settings)
    run = await _run(
        client,
        app,
        [{"id": "mail", "type": "notify",
          "config": {"channel": "email", "to": ["ops@example.com", 1], "title": ALERT,
                     "body": "Ticket {{trigger.record.id}} needs you."}}],
    )  # fmt: skip
    assert run["status"] == "succeeded", run
    [(rcpts, raw)] = inbox.messages
    assert sorted(rcpts) == ["admin@example.com", "ops@example.com"]
    message = message_from_bytes(raw)
    assert message["Subject"] == "Alert: server down"
    assert "needs you" in message.get_payload()


async def test_email_without_a_server_fails_the_execution(client: httpx.AsyncClient, app: App) -> None:
    app.channels.settings = app.settings.model_copy(update={"smtp_host": None})
    run = await _run(
        client, app, [{"id": "mail", "type": "notify", "config": {"channel": "email", "to": 1, "title": "x"}}]
    )
    assert run["status"] == "failed"
    assert "SMTP" in run["error"]


async def test_chat_webhooks_and_http_requests(
    client: httpx.AsyncClient, app: App, web: tuple[str, list[tuple[str, Any]]]
) -> None:
    base, received = web
    run = await _run(
        client,
        app,
        [
            {"id": "chat", "type": "notify",
             "config": {"channel": "webhook", "url": f"{base}/chat", "title": NEW}},
            {"id": "call", "type": "http_request",
             "config": {"method": "POST", "url": f"{base}/api", "body": {"id": "{{trigger.record.id}}"}}},
            {"id": "use", "type": "calculate", "config": {"expression": "nodes.call.body.echo.id + 1"}},
        ],
    )  # fmt: skip
    assert run["status"] == "succeeded", run
    assert received[0] == ("/chat", {"text": "New: server down"})
    assert received[1][0] == "/api"
    assert run["nodes"][2]["output"] == {"result": 2}
    broken = await _run(
        client,
        app,
        [{"id": "call", "type": "http_request", "retries": 2, "retry_delay": 0.01,
          "config": {"method": "POST", "url": f"{base}/broken", "body": {}}}],
    )  # fmt: skip
    assert broken["status"] == "failed"
    assert broken["nodes"][0]["attempts"] == 3
    assert [p for p, _ in received].count("/broken") == 3
