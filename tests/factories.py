"""Small async helpers for API tests: build collections and records through HTTP only."""

from __future__ import annotations

import json
import os
import socket
from typing import Any

import httpx

__all__ = [
    "assert_problem",
    "call",
    "choices",
    "error_codes",
    "list_all",
    "list_ids",
    "list_page",
    "make_collection",
    "make_record",
    "make_records",
    "problem_issue",
    "total",
]

PROBLEM_JSON = "application/problem+json"


def choices(*values: str) -> dict[str, Any]:
    """Select / multi_select options for plain choice values."""
    return {"choices": [{"value": v, "label": v.capitalize()} for v in values]}


async def make_collection(
    client: httpx.AsyncClient, name: str, fields: list[dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    """POST /api/collections; asserts 201 and returns the collection."""
    resp = await client.post("/api/collections", json={"name": name, "fields": fields, **extra})
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def make_record(client: httpx.AsyncClient, name: str, row: dict[str, Any]) -> dict[str, Any]:
    """POST one record; asserts 201 and returns it."""
    resp = await client.post(f"/api/data/{name}", json=row)
    assert resp.status_code == 201, resp.text
    data: dict[str, Any] = resp.json()["data"]
    return data


async def make_records(
    client: httpx.AsyncClient, name: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """POST a JSON array (bulk create); asserts 201 and returns the records in order."""
    resp = await client.post(f"/api/data/{name}", json=rows)
    assert resp.status_code == 201, resp.text
    data: list[dict[str, Any]] = resp.json()["data"]
    assert len(data) == len(rows)
    return data


def _params(params: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in params.items():
        if value is None:
            continue
        if key == "filter" and not isinstance(value, str):
            out[key] = json.dumps(value)
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[key] = str(value)
    return out


async def list_page(client: httpx.AsyncClient, name: str, **params: Any) -> dict[str, Any]:
    """GET /api/data/{name} with `filter` (a dict is JSON-encoded), `sort`, …; asserts 200."""
    resp = await client.get(f"/api/data/{name}", params=_params(params))
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def list_all(client: httpx.AsyncClient, name: str, **params: Any) -> list[dict[str, Any]]:
    """Every record of one list request (page_size 500, the maximum)."""
    params.setdefault("page_size", 500)
    body = await list_page(client, name, **params)
    assert body["meta"]["next_cursor"] is None, "more than one page: use a smaller data set"
    data: list[dict[str, Any]] = body["data"]
    return data


async def list_ids(client: httpx.AsyncClient, name: str, **params: Any) -> list[int]:
    return [r["id"] for r in await list_all(client, name, **params)]


async def total(client: httpx.AsyncClient, name: str, filter: Any = None) -> int:
    """`meta.total` of a list with `count=true`."""
    body = await list_page(client, name, count=True, page_size=1, filter=filter)
    value: int = body["meta"]["total"]
    return value


def assert_problem(resp: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status` and (if given) `code`; returns it."""
    assert resp.status_code == status, f"expected {status}, got {resp.status_code}: {resp.text}"
    assert resp.headers["content-type"].startswith(PROBLEM_JSON), resp.headers["content-type"]
    body: dict[str, Any] = resp.json()
    assert body["status"] == status
    assert isinstance(body.get("code"), str), body
    assert body["code"], body
    if code is not None:
        assert body["code"] == code, body
    return body


def error_codes(body: dict[str, Any]) -> set[tuple[Any, str, str]]:
    """{(index, field, code)} of a problem's `errors` (index None outside bulk requests)."""
    return {(e.get("index"), e["field"], e["code"]) for e in body.get("errors", [])}


async def call(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response | str:
    """A request whose unexpected server exception (a 500, which ASGITransport re-raises)
    comes back as a description instead, so that a loop over cases can report them all."""
    try:
        return await client.request(method, url, **kwargs)
    except Exception as exc:
        return f"server raised {type(exc).__name__}: {str(exc)[:300]}"


def problem_issue(
    resp: httpx.Response | str, status: int | tuple[int, int] = (400, 499), code: str | None = None
) -> str | None:
    """None when `resp` is a problem+json with `status` (or in the inclusive range) and
    `code`; otherwise what is wrong with it."""
    if isinstance(resp, str):
        return resp
    low, high = (status, status) if isinstance(status, int) else status
    if not low <= resp.status_code <= high:
        return f"HTTP {resp.status_code} (expected {status}): {resp.text[:300]}"
    if not resp.headers.get("content-type", "").startswith(PROBLEM_JSON):
        return f"content-type {resp.headers.get('content-type')}"
    body = resp.json()
    if not isinstance(body.get("code"), str) or body.get("status") != resp.status_code:
        return f"not a problem body: {resp.text[:300]}"
    if code is not None and body["code"] != code:
        return f"code {body['code']!r} (expected {code!r}): {resp.text[:300]}"
    return None


def dead_pid() -> int:
    """A process id that no process has."""
    pid = 2**22 - 7
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def free_port() -> int:
    """A TCP port nothing listens on (for a server the test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
