"""Records API through HTTP: CRUD, bulk writes, listing (sort, projection, paging), bad
input as problem+json, and how every field type travels through the API."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from tests.factories import (
    assert_problem,
    call,
    choices,
    error_codes,
    list_all,
    list_ids,
    list_page,
    make_collection,
    make_record,
    make_records,
    problem_issue,
    total,
)

TICKET_FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "string", "required": True},
    {"name": "priority", "type": "integer"},
    {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
    {"name": "code", "type": "string", "unique": True},
    {"name": "due", "type": "date"},
]


async def tickets(client: httpx.AsyncClient) -> None:
    await make_collection(client, "tickets", TICKET_FIELDS)


def sample_rows() -> list[dict[str, Any]]:
    """25 rows with repeated priorities, some NULL priorities and some NULL dates."""
    rows = []
    for i in range(25):
        rows.append(
            {
                "title": f"t{(i * 7) % 25:02d}",
                "priority": None if i % 6 == 0 else (i * 3) % 5,
                "status": ("new", "open", "closed")[i % 3],
                "due": None if i % 4 == 0 else f"2026-01-{(i * 5) % 28 + 1:02d}",
            }
        )
    return rows


# -- single record CRUD --------------------------------------------------------------------


async def test_create_get_patch_delete(client: httpx.AsyncClient) -> None:
    await tickets(client)
    resp = await client.post("/api/data/tickets", json={"title": "Printer", "priority": 2, "status": "new"})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert set(body) == {"data"}
    created = body["data"]
    assert isinstance(created["id"], int)
    assert created["title"] == "Printer"
    assert created["priority"] == 2
    assert created["status"] == "new"
    assert created["code"] is None

    got = await client.get(f"/api/data/tickets/{created['id']}")
    assert got.status_code == 200
    assert got.json() == {"data": created}

    # A partial PATCH changes only what it names.
    patched = await client.patch(f"/api/data/tickets/{created['id']}", json={"priority": 5})
    assert patched.status_code == 200, patched.text
    after = patched.json()["data"]
    assert after["priority"] == 5
    assert after["title"] == "Printer"
    assert after["status"] == "new"
    assert after["created_at"] == created["created_at"]
    again = (await client.get(f"/api/data/tickets/{created['id']}")).json()["data"]
    assert again == after

    # PATCH to null clears an optional field.
    cleared = await client.patch(f"/api/data/tickets/{created['id']}", json={"status": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["data"]["status"] is None

    deleted = await client.delete(f"/api/data/tickets/{created['id']}")
    assert deleted.status_code == 204
    assert deleted.content == b""
    for method in ("GET", "PATCH", "DELETE"):
        kwargs: dict[str, Any] = {"json": {"priority": 1}} if method == "PATCH" else {}
        resp = await client.request(method, f"/api/data/tickets/{created['id']}", **kwargs)
        assert_problem(resp, 404, "record_not_found")
    assert await total(client, "tickets") == 0


async def test_get_with_fields_projection(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "A", "priority": 1})
    resp = await client.get(f"/api/data/tickets/{rec['id']}", params={"fields": "title"})
    assert resp.status_code == 200
    assert resp.json()["data"] == {"id": rec["id"], "title": "A"}


# -- bulk writes ---------------------------------------------------------------------------


async def test_bulk_create_returns_records_in_order(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rows = [{"title": f"r{i}", "priority": i} for i in range(5)]
    created = await make_records(client, "tickets", rows)
    assert [r["title"] for r in created] == [r["title"] for r in rows]
    assert len({r["id"] for r in created}) == 5
    assert await total(client, "tickets") == 5


async def test_bulk_create_is_all_or_nothing(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rows = [
        {"title": "ok 0", "priority": 1},
        {"title": "bad 1", "priority": "not a number"},
        {"title": "ok 2", "status": "open"},
    ]
    resp = await client.post("/api/data/tickets", json=rows)
    body = assert_problem(resp, 422, "validation_failed")
    bad = [e for e in body["errors"] if e["index"] == 1]
    assert bad, body
    assert {e["field"] for e in bad} == {"priority"}
    assert all(e.get("index") == 1 for e in body["errors"]), body
    assert await total(client, "tickets") == 0

    # Every bad row is reported at once, by index and field.
    rows = [
        {"title": "ok"},
        {"priority": 3},
        {"title": "x", "status": "bogus"},
        {"title": "y", "nope": 1},
    ]
    body = assert_problem(await client.post("/api/data/tickets", json=rows), 422)
    codes = error_codes(body)
    assert (1, "title", "required") in codes
    assert (2, "status", "invalid_choice") in codes
    assert (3, "nope", "unknown_field") in codes
    assert not any(index == 0 for index, _, _ in codes)
    assert await total(client, "tickets") == 0


async def test_bulk_create_refuses_an_empty_list(client: httpx.AsyncClient) -> None:
    await tickets(client)
    resp = await client.post("/api/data/tickets", json=[])
    assert_problem(resp, 422)


async def test_bulk_patch_and_delete_by_filter(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    new_before = await total(client, "tickets", {"status": "new"})
    assert new_before > 0

    resp = await client.patch(
        "/api/data/tickets",
        params={"filter": json.dumps({"status": "new"})},
        json={"priority": 99},
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"data": {"updated": new_before}}
    assert await total(client, "tickets", {"priority": 99}) == new_before
    assert await total(client, "tickets", {"$and": [{"priority": 99}, {"status": "new"}]}) == (new_before)

    # A bulk PATCH validates the payload: nothing changes on bad input.
    resp = await client.patch(
        "/api/data/tickets",
        params={"filter": json.dumps({"status": "open"})},
        json={"priority": "high"},
    )
    assert_problem(resp, 422)
    assert await total(client, "tickets", {"priority": 99}) == new_before

    resp = await client.delete("/api/data/tickets", params={"filter": json.dumps({"priority": {"$gte": 99}})})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"data": {"deleted": new_before}}
    assert await total(client, "tickets") == 25 - new_before
    assert await total(client, "tickets", {"status": "new"}) == 0

    # A filter that matches nothing is fine.
    resp = await client.delete("/api/data/tickets", params={"filter": json.dumps({"title": "no such title"})})
    assert resp.status_code == 200
    assert resp.json() == {"data": {"deleted": 0}}


async def test_bulk_writes_refuse_an_empty_filter(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows()[:5])
    issues = []
    for raw_filter in (None, "", "{}", "  ", "null"):
        params = {} if raw_filter is None else {"filter": raw_filter}
        resp = await call(client, "PATCH", "/api/data/tickets", params=params, json={"priority": 1})
        if issue := problem_issue(resp, 400, "empty_filter"):
            issues.append(f"PATCH filter={raw_filter!r}: {issue}")
        resp = await call(client, "DELETE", "/api/data/tickets", params=params)
        if issue := problem_issue(resp, 400, "empty_filter"):
            issues.append(f"DELETE filter={raw_filter!r}: {issue}")
    assert not issues, "\n".join(issues)
    assert await total(client, "tickets") == 5
    assert await total(client, "tickets", {"priority": 1}) == 1  # only the original one


async def test_bulk_writes_refuse_a_filter_that_is_empty_after_parsing(
    client: httpx.AsyncClient,
) -> None:
    """An empty group is "no condition" (parse_filter): a bulk write must refuse it too,
    or `DELETE ?filter={"$and":[]}` empties the collection."""
    await tickets(client)
    await make_records(client, "tickets", sample_rows()[:5])
    issues = []
    for raw_filter in ({"$and": []}, {"$or": []}, {"$and": [{}, {"$or": []}]}, {"$not": {}}):
        params = {"filter": json.dumps(raw_filter)}
        resp = await call(client, "PATCH", "/api/data/tickets", params=params, json={"priority": 1})
        if issue := problem_issue(resp, 400, "empty_filter"):
            issues.append(f"PATCH filter={raw_filter}: {issue}")
        resp = await call(client, "DELETE", "/api/data/tickets", params=params)
        if issue := problem_issue(resp, 400, "empty_filter"):
            issues.append(f"DELETE filter={raw_filter}: {issue}")
    left = await total(client, "tickets")
    assert not issues, f"{left} of 5 records left\n" + "\n".join(issues)


async def test_bulk_writes_with_the_filter_in_the_body(client: httpx.AsyncClient) -> None:
    """POST …/bulk-update and …/bulk-delete: a selection of thousands of ids, too long for a URL,
    written in one transaction (a bad value in one record changes none)."""
    await make_collection(
        client,
        "items",
        [{"name": "n", "type": "integer"}, {"name": "code", "type": "string", "unique": True}],
    )
    await make_records(client, "items", [{"n": i, "code": f"c{i}"} for i in range(1500)])
    ids = [r["id"] for r in (await client.get("/api/data/items", params={"page_size": 500})).json()["data"]]
    ids += [
        r["id"]
        for r in (await client.get("/api/data/items", params={"page_size": 500, "page": 2})).json()["data"]
    ]
    selection = {"id": {"$in": ids}}  # 1,000 ids: some 6 KB of filter
    resp = await client.post("/api/data/items/bulk-update", json={"filter": selection, "values": {"n": -1}})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"data": {"updated": 1000}}
    assert await total(client, "items", {"n": -1}) == 1000
    # All or nothing: the same code on two records breaks the unique rule, and nothing changes.
    resp = await client.post(
        "/api/data/items/bulk-update", json={"filter": selection, "values": {"code": "same"}}
    )
    assert resp.status_code in (409, 422), resp.text
    assert await total(client, "items", {"code": "same"}) == 0
    resp = await client.post("/api/data/items/bulk-delete", json={"filter": selection})
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"data": {"deleted": 1000}}
    assert await total(client, "items") == 500
    issues = []
    for path, body, status, code in (
        ("bulk-update", {"values": {"n": 1}}, 400, "empty_filter"),
        ("bulk-update", {"filter": {}, "values": {"n": 1}}, 400, "empty_filter"),
        ("bulk-update", {"filter": {"$and": []}, "values": {"n": 1}}, 400, "empty_filter"),
        ("bulk-update", {"filter": {"n": 1}}, 422, "validation_failed"),
        ("bulk-update", {"filter": {"n": 1}, "values": {"n": 1}, "extra": 1}, 422, "validation_failed"),
        ("bulk-update", [1], 422, "validation_failed"),
        ("bulk-update", {"filter": {"n": 1200}, "values": {"n": "x"}}, 422, "validation_failed"),
        ("bulk-delete", {"filter": "n"}, 400, "empty_filter"),
        ("bulk-delete", {"filter": {"nope": 1}}, 422, "validation_failed"),
    ):
        resp = await call(client, "POST", f"/api/data/items/{path}", json=body)
        if issue := problem_issue(resp, status, code):
            issues.append(f"{path} {body}: {issue}")
    assert not issues, "\n".join(issues)
    assert await total(client, "items") == 500


# -- listing -------------------------------------------------------------------------------


def _null_first(value: Any) -> tuple[int, Any]:
    return (0, 0) if value is None else (1, value)


async def test_list_sort_on_several_keys(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    records = await list_all(client, "tickets", sort="-priority,title")
    assert len(records) == 25
    # NULLs sort as the smallest value: last when descending.
    expected = sorted(records, key=lambda r: r["title"])
    expected = sorted(expected, key=lambda r: _null_first(r["priority"]), reverse=True)
    assert [r["id"] for r in records] == [r["id"] for r in expected]

    # A select sorts in the order of its choices (new, open, closed), not alphabetically.
    records = await list_all(client, "tickets", sort="status,-due,id")
    expected = sorted(records, key=lambda r: r["id"])
    expected = sorted(expected, key=lambda r: _null_first(r["due"]), reverse=True)
    expected = sorted(expected, key=lambda r: ["new", "open", "closed"].index(r["status"]))
    assert [r["id"] for r in records] == [r["id"] for r in expected]


async def test_list_default_order_is_by_id(client: httpx.AsyncClient) -> None:
    await tickets(client)
    created = await make_records(client, "tickets", sample_rows())
    assert await list_ids(client, "tickets") == sorted(r["id"] for r in created)


async def test_list_fields_projection(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows()[:3])
    body = await list_page(client, "tickets", fields="title,priority")
    assert len(body["data"]) == 3
    for rec in body["data"]:
        assert set(rec) == {"id", "title", "priority"}
    resp = await client.get("/api/data/tickets", params={"fields": "title,nope"})
    body = assert_problem(resp, 422)
    assert any(e["code"] == "unknown_field" and "nope" in e["field"] for e in body["errors"])


async def test_list_offset_paging_with_count(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    everything = await list_ids(client, "tickets", sort="title")
    seen: list[int] = []
    for page in (1, 2, 3):
        body = await list_page(client, "tickets", sort="title", page=page, page_size=10, count=True)
        assert body["meta"]["total"] == 25
        assert body["meta"]["page"] == page
        assert body["meta"]["page_size"] == 10
        assert len(body["data"]) == (10 if page < 3 else 5)
        seen += [r["id"] for r in body["data"]]
    assert seen == everything
    body = await list_page(client, "tickets", page=4, page_size=10, count=True)
    assert body["data"] == []
    assert body["meta"]["total"] == 25
    # count=true counts the filtered set, not the page.
    body = await list_page(client, "tickets", filter={"status": "new"}, count=True, page_size=2)
    assert body["meta"]["total"] == sum(1 for r in sample_rows() if r["status"] == "new")
    assert len(body["data"]) == 2


async def _follow_cursor(client: httpx.AsyncClient, name: str, page_size: int, **params: Any) -> list[int]:
    ids: list[int] = []
    cursor: str | None = None
    for _ in range(100):
        extra = {"cursor": cursor} if cursor else {}
        body = await list_page(client, name, page_size=page_size, **params, **extra)
        assert len(body["data"]) <= page_size
        ids += [r["id"] for r in body["data"]]
        cursor = body["meta"]["next_cursor"]
        if cursor is None:
            return ids
        assert len(body["data"]) == page_size
    raise AssertionError("the cursor never ends")


CURSOR_SORTS = [
    None,
    "title",
    "-priority",
    "priority",
    "-due",
    "due,-priority",
    "-priority,-due,title",
    "-status,due",
    "-id",
    "-created_at",
    "created_at,-title",
]


async def test_list_cursor_paging_covers_everything_once(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows()[:12])  # one created_at for all twelve
    for row in sample_rows()[12:]:
        await make_record(client, "tickets", row)
    issues = []
    for sort in CURSOR_SORTS:
        params = {"sort": sort} if sort else {}
        everything = await list_ids(client, "tickets", **params)
        assert len(everything) == 25
        for page_size in (1, 4, 7, 25, 30):
            try:
                ids = await _follow_cursor(client, "tickets", page_size, **params)
            except Exception as exc:
                issues.append(f"sort={sort} page_size={page_size}: {type(exc).__name__}: {exc}")
                continue
            if ids != everything:
                dups = sorted({i for i in ids if ids.count(i) > 1})
                missing = sorted(set(everything) - set(ids))
                issues.append(
                    f"sort={sort} page_size={page_size}: {len(ids)} ids, duplicates {dups}, missing {missing}"
                )
        # With a filter too.
        flt = {"status": {"$in": ["new", "open"]}}
        everything = await list_ids(client, "tickets", filter=flt, **params)
        if await _follow_cursor(client, "tickets", 3, filter=flt, **params) != everything:
            issues.append(f"sort={sort} with a filter")
    assert not issues, "\n".join(issues)


async def test_list_descending_nullable_sort_puts_nulls_last(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    records = await list_all(client, "tickets", sort="-priority")
    priorities = [r["priority"] for r in records]
    nulls = priorities.count(None)
    assert nulls > 0
    assert priorities[-nulls:] == [None] * nulls
    assert priorities[:-nulls] == sorted(priorities[:-nulls], reverse=True)


async def test_list_cursor_from_another_sort_is_refused(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    body = await list_page(client, "tickets", sort="title", page_size=5)
    cursor = body["meta"]["next_cursor"]
    resp = await client.get("/api/data/tickets", params={"sort": "-priority", "cursor": cursor})
    assert_problem(resp, 400, "invalid_cursor")
    resp = await client.get("/api/data/tickets", params={"cursor": "not-a-cursor!!"})
    assert_problem(resp, 400, "invalid_cursor")


async def test_list_paging_limits(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "x"})
    issues = []
    for params in (
        {"page_size": 501},
        {"page_size": 0},
        {"page_size": -1},
        {"page": 0},
        {"page": -5},
        {"page_size": "ten"},
        {"page": "x"},
        {"page": "1_0"},
        {"page": "+-5"},
        {"page_size": "٣"},
        {"count": "maybe"},
    ):
        resp = await call(client, "GET", "/api/data/tickets", params=params)
        if issue := problem_issue(resp, 422):
            issues.append(f"{params}: {issue}")
    assert not issues, "\n".join(issues)


async def test_list_huge_page_number_is_not_a_500(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "x"})
    issues = []
    for params in ({"page": 10**17}, {"page": 10**19, "page_size": 500}, {"page": 2**63}):
        resp = await call(client, "GET", "/api/data/tickets", params=params)
        if isinstance(resp, str) or resp.status_code >= 500:
            issues.append(f"{params}: {resp if isinstance(resp, str) else resp.text[:200]}")
        elif resp.status_code == 200 and resp.json()["data"] != []:
            issues.append(f"{params}: a page far beyond the end has records")
        elif resp.status_code != 200 and (issue := problem_issue(resp)):
            issues.append(f"{params}: {issue}")
    assert not issues, "\n".join(issues)


async def test_list_page_size_maximum_is_allowed(client: httpx.AsyncClient) -> None:
    await tickets(client)
    body = await list_page(client, "tickets", page_size=500)
    assert body["meta"]["page_size"] == 500


# -- bad input is a clean 4xx --------------------------------------------------------------


async def test_unknown_collection(client: httpx.AsyncClient) -> None:
    for method, path, body in [
        ("GET", "/api/data/nope", None),
        ("POST", "/api/data/nope", {"title": "x"}),
        ("POST", "/api/data/nope", [{"title": "x"}]),
        ("GET", "/api/data/nope/1", None),
        ("PATCH", "/api/data/nope/1", {"title": "x"}),
        ("DELETE", "/api/data/nope/1", None),
        ("PATCH", "/api/data/nope?filter=%7B%22a%22%3A1%7D", {"title": "x"}),
        ("DELETE", "/api/data/nope?filter=%7B%22a%22%3A1%7D", None),
    ]:
        resp = await client.request(method, path, json=body)
        assert_problem(resp, 404, "collection_not_found")


async def test_unknown_field_in_payload(client: httpx.AsyncClient) -> None:
    await tickets(client)
    resp = await client.post("/api/data/tickets", json={"title": "x", "nope": 1})
    body = assert_problem(resp, 422, "validation_failed")
    assert (None, "nope", "unknown_field") in error_codes(body)
    rec = await make_record(client, "tickets", {"title": "x"})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"nope": 1})
    body = assert_problem(resp, 422)
    assert (None, "nope", "unknown_field") in error_codes(body)
    assert await total(client, "tickets") == 1


async def test_wrong_types_are_422(client: httpx.AsyncClient) -> None:
    await tickets(client)
    issues = []
    for payload, field in (
        ({"title": 5}, "title"),
        ({"title": ["a"]}, "title"),
        ({"title": "x", "priority": "abc"}, "priority"),
        ({"title": "x", "priority": 1.5}, "priority"),
        ({"title": "x", "priority": True}, "priority"),
        ({"title": "x", "priority": {"a": 1}}, "priority"),
        ({"title": "x", "priority": 2**63}, "priority"),
        ({"title": "x", "priority": "99999999999999999999"}, "priority"),
        ({"title": "x", "priority": 1e300}, "priority"),
        ({"title": "x", "due": "yesterday-ish"}, "due"),
        ({"title": "x", "due": 20260101}, "due"),
        ({"title": "x", "due": "2026-02-30"}, "due"),
        ({"title": "x" * 256}, "title"),
        ({"title": "nul \x00 byte"}, "title"),
    ):
        resp = await call(client, "POST", "/api/data/tickets", json=payload)
        if issue := problem_issue(resp, 422):
            issues.append(f"{payload}: {issue}")
        elif not _names(resp, field):
            issues.append(f"{payload}: errors do not name {field}")
    assert not issues, "\n".join(issues)
    assert await total(client, "tickets") == 0


async def test_body_that_is_not_a_record(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "x"})
    issues = []
    for payload in ("hello", 42, None, [1, 2], [None], True, {}):
        raw = json.dumps(payload).encode()
        for method, url in (
            ("POST", "/api/data/tickets"),
            ("PATCH", f"/api/data/tickets/{rec['id']}"),
            ("PATCH", "/api/data/tickets?filter=%7B%22title%22%3A%22x%22%7D"),
        ):
            if payload == {} and method == "PATCH":
                continue  # an empty PATCH changes nothing and may succeed
            resp = await call(client, method, url, content=raw)
            if issue := problem_issue(resp):
                issues.append(f"{method} {url} {raw!r}: {issue}")
    assert not issues, "\n".join(issues)
    assert await list_all(client, "tickets") == [
        (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]
    ]
    assert await total(client, "tickets") == 1


async def test_malformed_json_body(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "x"})
    headers = {"content-type": "application/json"}
    issues = []
    for raw in (b'{"title": ', b"{title: 'x'}", b"[1, 2", b"\xff\xfe", b"nul", b"[" * 5000):
        for method, url, params in (
            ("POST", "/api/data/tickets", {}),
            ("PATCH", f"/api/data/tickets/{rec['id']}", {}),
            ("PATCH", "/api/data/tickets", {"filter": '{"title": "x"}'}),
        ):
            resp = await call(client, method, url, content=raw, headers=headers, params=params)
            if issue := problem_issue(resp, 400, "invalid_json"):
                issues.append(f"{method} {url} {raw[:20]!r}: {issue}")
    assert not issues, "\n".join(issues)
    assert await total(client, "tickets") == 1


BAD_FILTERS: list[tuple[str, str | None]] = [
    ('{"title": ', None),
    ("not json", None),
    ("[1, 2]", None),
    ('"title"', None),
    ("42", None),
    ('{"title": {"$foo": 1}}', "unknown_operator"),
    ('{"$xor": [{"title": "a"}]}', None),
    ('{"nope": 1}', "unknown_field"),
    ('{"nope.name": {"$eq": 1}}', "unknown_field"),
    ('{"title.name": {"$eq": 1}}', "unknown_field"),
    ('{"priority": {"$gt": "abc"}}', "invalid_value"),
    ('{"priority": {"$includes": "a"}}', "operator_not_supported"),
    ('{"priority": {"$anyOf": [1]}}', "operator_not_supported"),
    ('{"priority": {"$in": []}}', "invalid_value"),
    ('{"priority": {"$in": 3}}', "invalid_value"),
    ('{"priority": {"$between": [1]}}', "invalid_value"),
    ('{"priority": {"$between": [1, 2, 3]}}', "invalid_value"),
    ('{"priority": {"$eq": null}}', "invalid_value"),
    ('{"priority": {"$eq": [1]}}', "invalid_value"),
    ('{"priority": {"$eq": "1e999999"}}', None),
    ('{"priority": {"$gt": "NaN"}}', None),
    ('{"due": {"$dateOn": "not a date"}}', "invalid_value"),
    ('{"due": {"$dateOn": 5}}', "invalid_value"),
    ('{"due": {"$gt": "2026-13-45"}}', "invalid_value"),
    ('{"due": {"$dateOn": "0001-01-01"}}', "invalid_value"),
    ('{"due": {"$dateAfter": "+999999y"}}', "invalid_value"),
    ('{"created_at": {"$gt": "9999-12-31T23:00:00-05:00"}}', "invalid_value"),
    ('{"created_at": {"$gt": "0001-01-01T00:00:00+01:00"}}', "invalid_value"),
    ('{"title": {}}', None),
    ('{"title": {"$eq": "a", "b": 1}}', None),
    ('{"$and": {"title": "a"}}', None),
    ('{"$or": "title"}', None),
    ('{"$not": [1]}', None),
    ('{"": 1}', None),
    ('{"title..x": 1}', None),
    ('{"title": "{{nobody.knows}}"}', None),
    ("[" * 3000, None),
    ('{"$not": ' * 40 + '{"title": "a"}' + "}" * 40, None),
]


def _has_code(resp: httpx.Response | str, code: str) -> bool:
    return isinstance(resp, httpx.Response) and any(e["code"] == code for e in resp.json().get("errors", []))


def _names(resp: httpx.Response | str, field: str) -> bool:
    return isinstance(resp, httpx.Response) and any(
        e["field"] == field for e in resp.json().get("errors", [])
    )


async def test_bad_filters_are_4xx_problems(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "x", "priority": 1, "due": "2026-01-01"})
    issues = []
    for flt, code in BAD_FILTERS:
        for method in ("GET", "PATCH", "DELETE"):
            kwargs: dict[str, Any] = {"json": {"priority": 2}} if method == "PATCH" else {}
            resp = await call(client, method, "/api/data/tickets", params={"filter": flt}, **kwargs)
            issue = problem_issue(resp)
            if issue is None and code is not None and not _has_code(resp, code):
                issue = f"no error with code {code!r}"
            if issue:
                issues.append(f"{method} filter={flt[:60]}: {issue}")
    # Values no record can hold: an empty answer or a 4xx, never a 500.
    for flt in ('{"title": {"$eq": "nul \\u0000 byte"}}', '{"title": {"$includes": "\\u0000"}}'):
        for method in ("GET", "PATCH", "DELETE"):
            kwargs = {"json": {"priority": 2}} if method == "PATCH" else {}
            resp = await call(client, method, "/api/data/tickets", params={"filter": flt}, **kwargs)
            if isinstance(resp, str) or resp.status_code >= 500:
                issues.append(f"{method} filter={flt}: {resp if isinstance(resp, str) else resp.text}")
            elif resp.status_code != 200 and (issue := problem_issue(resp)):
                issues.append(f"{method} filter={flt}: {issue}")
    assert not issues, "\n".join(issues)
    assert await total(client, "tickets", {"priority": 1}) == 1


async def test_bad_sorts_are_4xx_problems(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "x"})
    issues = []
    for sort, code in (
        ("nope", "unknown_field"),
        ("-nope", "unknown_field"),
        ("title,nope", "unknown_field"),
        ("-", None),
        (",-,", None),
        ("title.name", None),
        ("id.x.y.z.w", None),
        ("title..x", None),
    ):
        resp = await call(client, "GET", "/api/data/tickets", params={"sort": sort})
        issue = problem_issue(resp)
        if issue is None and code is not None and not _has_code(resp, code):
            issue = f"no error with code {code!r}"
        if issue:
            issues.append(f"sort={sort}: {issue}")
    assert not issues, "\n".join(issues)


async def test_unknown_appends_is_4xx(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "x"})
    for appends in ("nope", "title", "a.b.c.d"):
        resp = await client.get("/api/data/tickets", params={"appends": appends})
        assert 400 <= resp.status_code < 500, resp.text
        assert_problem(resp, resp.status_code)


async def test_unknown_appends_is_4xx_on_an_empty_list_too(client: httpx.AsyncClient) -> None:
    """Whether a request is valid must not depend on the data: no records, same 4xx."""
    await tickets(client)
    resp = await client.get("/api/data/tickets", params={"appends": "nope"})
    assert 400 <= resp.status_code < 500, resp.text
    assert_problem(resp, resp.status_code)


async def test_unique_value_single_create_and_update(client: httpx.AsyncClient) -> None:
    await tickets(client)
    first = await make_record(client, "tickets", {"title": "a", "code": "C-1"})
    resp = await client.post("/api/data/tickets", json={"title": "b", "code": "C-1"})
    assert resp.status_code in (409, 422), resp.text
    body = assert_problem(resp, resp.status_code)
    if resp.status_code == 422:
        assert any(e["field"] == "code" for e in body["errors"]), body
    assert await total(client, "tickets") == 1

    second = await make_record(client, "tickets", {"title": "b", "code": "C-2"})
    resp = await client.patch(f"/api/data/tickets/{second['id']}", json={"code": "C-1"})
    assert resp.status_code in (409, 422), resp.text
    assert_problem(resp, resp.status_code)
    assert (await client.get(f"/api/data/tickets/{second['id']}")).json()["data"]["code"] == "C-2"
    # Writing a record's own value again is not a conflict.
    resp = await client.patch(f"/api/data/tickets/{first['id']}", json={"code": "C-1"})
    assert resp.status_code == 200, resp.text


async def test_unique_value_within_one_bulk(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rows = [{"title": "a", "code": "D"}, {"title": "b", "code": "E"}, {"title": "c", "code": "D"}]
    resp = await client.post("/api/data/tickets", json=rows)
    assert resp.status_code in (409, 422), resp.text
    body = assert_problem(resp, resp.status_code)
    if resp.status_code == 422:
        assert any(e["field"] == "code" and e.get("index") == 2 for e in body["errors"]), body
    assert await total(client, "tickets") == 0


async def test_unique_value_across_bulk_and_existing(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "a", "code": "X"})
    resp = await client.post(
        "/api/data/tickets", json=[{"title": "b", "code": "Y"}, {"title": "c", "code": "X"}]
    )
    assert resp.status_code in (409, 422), resp.text
    body = assert_problem(resp, resp.status_code)
    if resp.status_code == 422:
        assert any(e["field"] == "code" and e.get("index") == 1 for e in body["errors"]), body
    assert await total(client, "tickets") == 1


async def test_bulk_patch_into_a_unique_field_conflicts_cleanly(client: httpx.AsyncClient) -> None:
    await tickets(client)
    await make_records(client, "tickets", [{"title": "a"}, {"title": "a"}, {"title": "b"}])
    resp = await client.patch("/api/data/tickets", params={"filter": '{"title": "a"}'}, json={"code": "SAME"})
    assert resp.status_code in (409, 422), resp.text
    assert_problem(resp, resp.status_code)
    assert await total(client, "tickets", {"code": "SAME"}) == 0


async def test_missing_required_field(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "kept"})
    for title in (None, "", "   ", "absent"):
        payload: dict[str, Any] = {"priority": 1}
        if title != "absent":
            payload["title"] = title
        body = assert_problem(await client.post("/api/data/tickets", json=payload), 422)
        assert (None, "title", "required") in error_codes(body), payload
        if title == "absent":
            continue
        resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"title": title})
        body = assert_problem(resp, 422)
        assert (None, "title", "required") in error_codes(body), payload
    assert (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]["title"] == "kept"
    assert await total(client, "tickets") == 1


async def test_missing_required_field_is_fine_on_patch(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "kept"})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"priority": 3})
    assert resp.status_code == 200, resp.text


async def test_select_value_outside_the_choices(client: httpx.AsyncClient) -> None:
    await tickets(client)
    body = assert_problem(await client.post("/api/data/tickets", json={"title": "x", "status": "bogus"}), 422)
    assert (None, "status", "invalid_choice") in error_codes(body)
    # A choice can be named by its label.
    rec = await make_record(client, "tickets", {"title": "x", "status": "Open"})
    assert rec["status"] == "open"
    body = assert_problem(await client.patch(f"/api/data/tickets/{rec['id']}", json={"status": "OPEN!"}), 422)
    assert (None, "status", "invalid_choice") in error_codes(body)


async def test_record_id_that_is_not_an_integer(client: httpx.AsyncClient) -> None:
    await tickets(client)
    for path in ("/api/data/tickets/abc", "/api/data/tickets/1.5"):
        resp = await client.get(path)
        assert 400 <= resp.status_code < 500, resp.text
        assert_problem(resp, resp.status_code)
    resp = await client.get("/api/data/tickets/99999999999999999999999")
    assert 400 <= resp.status_code < 500, resp.text
    assert_problem(resp, resp.status_code)


# -- field types through the API -----------------------------------------------------------

ITEM_FIELDS: list[dict[str, Any]] = [
    {"name": "name", "type": "string"},
    {"name": "price", "type": "decimal", "options": {"precision": 12, "scale": 2}},
    {"name": "amount", "type": "currency", "options": {"currency": "CNY"}},
    {"name": "quantity", "type": "integer"},
    {"name": "total", "type": "formula", "options": {"expression": "price * quantity"}},
    {"name": "due_at", "type": "datetime"},
    {"name": "day", "type": "date"},
    {"name": "active", "type": "boolean"},
    {"name": "labels", "type": "multi_select", "options": choices("a", "b", "c")},
    {"name": "extra", "type": "json"},
    {"name": "email", "type": "email"},
    {"name": "site", "type": "url"},
    {"name": "phone", "type": "phone"},
    {"name": "body", "type": "rich_text"},
]


async def items(client: httpx.AsyncClient) -> None:
    await make_collection(client, "items", ITEM_FIELDS)


async def test_field_types_round_trip(client: httpx.AsyncClient) -> None:
    await items(client)
    payload = {
        "name": "widget",
        "price": "12.5",
        "amount": 7,
        "quantity": 3,
        "due_at": "2026-03-01T10:30:00+08:00",
        "day": "2026-02-28",
        "active": True,
        "labels": ["c", "a"],
        "extra": {"a": [1, 2.5, {"b": None}], "c": "x", "d": True},
        "email": "Ann@Example.COM",
        "site": "https://example.com/a?b=1",
        "phone": "+86 10 8888 0000",
        "body": '<p>Hi <b>there</b><script>alert("x")</script></p>',
    }
    rec = await make_record(client, "items", payload)
    got = (await client.get(f"/api/data/items/{rec['id']}")).json()["data"]
    assert got == rec
    assert got["price"] == "12.50"
    assert got["amount"] == "7.00"
    assert got["quantity"] == 3
    assert got["total"] == pytest.approx(37.5)
    due = datetime.fromisoformat(got["due_at"])
    assert due.utcoffset() is not None
    assert due == datetime.fromisoformat("2026-03-01T02:30:00+00:00")
    assert got["due_at"].endswith("+00:00")
    assert got["day"] == "2026-02-28"
    assert got["active"] is True
    assert got["labels"] == ["a", "c"]
    assert got["extra"] == payload["extra"]
    assert got["email"] == "Ann@example.com"
    assert got["site"] == "https://example.com/a?b=1"
    assert got["phone"] == "+86 10 8888 0000"
    assert "<script" not in got["body"].lower()
    assert "alert" not in got["body"]
    assert got["body"].startswith("<p>Hi <b>there</b>")

    # The same values in a list.
    listed = await list_all(client, "items")
    assert listed == [got]

    # false and empty values stay what they are.
    rec2 = await make_record(client, "items", {"active": False, "labels": [], "extra": []})
    assert rec2["active"] is False
    assert rec2["labels"] in ([], None)
    assert rec2["extra"] == []
    assert rec2["price"] is None


async def test_decimal_keeps_its_scale(client: httpx.AsyncClient) -> None:
    await items(client)
    issues = []
    for value, expected in (
        ("12.5", "12.50"),
        (12.5, "12.50"),
        (0.1, "0.10"),
        (3, "3.00"),
        ("-0.004", "0.00"),
        ("0.005", "0.00"),
        ("0.015", "0.02"),
        ("1234567890.125", "1234567890.12"),
        ("-9999999999.99", "-9999999999.99"),
        ("0", "0.00"),
        (" 7.1 ", "7.10"),
    ):
        resp = await call(client, "POST", "/api/data/items", json={"price": value, "amount": value})
        if isinstance(resp, str) or resp.status_code != 201:
            issues.append(f"{value!r}: {resp if isinstance(resp, str) else resp.text[:300]}")
            continue
        rec = resp.json()["data"]
        if (rec["price"], rec["amount"]) != (expected, expected):
            issues.append(f"{value!r}: got {rec['price']!r} / {rec['amount']!r}, want {expected!r}")
        # Filters compare exactly.
        found = await list_ids(client, "items", filter={"$and": [{"id": rec["id"]}, {"price": expected}]})
        if found != [rec["id"]]:
            issues.append(f"{value!r}: filter price = {expected} does not find it")
    assert not issues, "\n".join(issues)


async def test_field_type_validation(client: httpx.AsyncClient) -> None:
    await items(client)
    issues = []
    for field, value in (
        ("price", "abc"),
        ("price", "12345678901.00"),
        ("price", True),
        ("price", "NaN"),
        ("price", "Infinity"),
        ("price", "1e999999"),
        ("price", 1e300),
        ("amount", [1]),
        ("due_at", "2026-03-01"),
        ("due_at", "tomorrow"),
        ("due_at", 1700000000),
        ("due_at", "2026-03-01T25:00:00Z"),
        ("due_at", "0001-01-01T00:00:00+01:00"),
        ("due_at", "9999-12-31T23:00:00-05:00"),
        ("day", "2026-02-28T10:00:00"),
        ("day", "0000-01-01"),
        ("active", "yes"),
        ("active", 1),
        ("labels", "a"),
        ("labels", ["a", "z"]),
        ("labels", [["a"]]),
        ("labels", [1]),
        ("email", "not-an-email"),
        ("email", "a@"),
        ("email", 5),
        ("site", "ftp://example.com"),
        ("site", "not a url"),
        ("site", "javascript:alert(1)"),
        ("phone", "call me"),
        ("phone", "12"),
        ("body", 5),
        ("total", 5),
        ("quantity", "1.5"),
    ):
        resp = await call(client, "POST", "/api/data/items", json={field: value})
        if issue := problem_issue(resp, 422):
            issues.append(f"{field}={value!r}: {issue}")
        elif not _names(resp, field):
            issues.append(f"{field}={value!r}: errors do not name the field")
    assert not issues, "\n".join(issues)
    assert await total(client, "items") == 0


async def test_datetime_offsets_are_normalized(client: httpx.AsyncClient) -> None:
    await items(client)
    recs = await make_records(
        client,
        "items",
        [
            {"due_at": "2026-03-01T23:30:00-05:00"},
            {"due_at": "2026-03-02T04:30:00Z"},
            {"due_at": "2026-03-02T04:30:00"},
        ],
    )
    instants = {datetime.fromisoformat(r["due_at"]) for r in recs}
    assert len(instants) == 1
    for r in recs:
        assert datetime.fromisoformat(r["due_at"]).utcoffset() is not None
    assert await total(client, "items", {"due_at": "2026-03-02T12:30:00+08:00"}) == 3


async def test_formula_is_recomputed_on_patch(client: httpx.AsyncClient) -> None:
    await items(client)
    rec = await make_record(client, "items", {"price": "12.50", "quantity": 3})
    assert rec["total"] == pytest.approx(37.5)
    rid = rec["id"]
    resp = await client.patch(f"/api/data/items/{rid}", json={"quantity": 4})
    assert resp.json()["data"]["total"] == pytest.approx(50.0)
    resp = await client.patch(f"/api/data/items/{rid}", json={"price": "1.25"})
    assert resp.json()["data"]["total"] == pytest.approx(5.0)
    resp = await client.patch(f"/api/data/items/{rid}", json={"name": "renamed"})
    assert resp.json()["data"]["total"] == pytest.approx(5.0)
    resp = await client.patch(f"/api/data/items/{rid}", json={"quantity": None})
    assert resp.json()["data"]["total"] is None
    # A bulk PATCH recomputes too.
    resp = await client.patch(
        "/api/data/items", params={"filter": json.dumps({"id": rid})}, json={"quantity": 10}
    )
    assert resp.status_code == 200, resp.text
    got = (await client.get(f"/api/data/items/{rid}")).json()["data"]
    assert got["total"] == pytest.approx(12.5)
    # The client cannot write it.
    body = assert_problem(await client.patch(f"/api/data/items/{rid}", json={"total": 1}), 422)
    assert any(e["field"] == "total" for e in body["errors"])
    # It can be filtered on.
    assert await total(client, "items", {"total": {"$gt": 12}}) == 1


async def test_system_fields_are_set_and_read_only(client: httpx.AsyncClient) -> None:
    await items(client)
    me = (await client.get("/api/me")).json()["data"]
    rec = await make_record(
        client,
        "items",
        {"name": "x", "created_at": "2000-01-01T00:00:00Z", "created_by": 999},
    )
    created_at = datetime.fromisoformat(rec["created_at"])
    assert created_at.year > 2000
    assert created_at.utcoffset() is not None
    assert rec["updated_at"] is not None
    assert rec["created_by"] == me["id"]
    assert rec["updated_by"] == me["id"]

    resp = await client.patch(
        f"/api/data/items/{rec['id']}",
        json={
            "name": "y",
            "created_at": "2000-01-01T00:00:00Z",
            "updated_at": "2000-01-01T00:00:00Z",
            "created_by": 999,
        },
    )
    if resp.status_code == 422:
        assert_problem(resp, 422)
        resp = await client.patch(f"/api/data/items/{rec['id']}", json={"name": "y"})
    assert resp.status_code == 200, resp.text
    after = resp.json()["data"]
    assert after["name"] == "y"
    assert after["created_at"] == rec["created_at"]
    assert after["created_by"] == me["id"]
    assert datetime.fromisoformat(after["updated_at"]) >= datetime.fromisoformat(rec["updated_at"])
    assert datetime.fromisoformat(after["updated_at"]).year > 2000
    # created_at sorts and filters like any datetime.
    assert await list_ids(client, "items", sort="-created_at") == [rec["id"]]
    assert await total(client, "items", {"created_at": {"$dateAfter": "2000-01-01"}}) == 1


# -- auto numbers --------------------------------------------------------------------------


async def test_auto_number_has_no_gaps(client: httpx.AsyncClient) -> None:
    await make_collection(
        client,
        "tasks",
        [
            {"name": "code", "type": "auto_number", "options": {"pattern": "TK-{YYYY}-{seq:6}"}},
            {"name": "title", "type": "string", "required": True},
            {"name": "ref", "type": "string", "unique": True},
        ],
    )
    first = await make_record(client, "tasks", {"title": "first"})
    year = datetime.fromisoformat(first["created_at"]).year
    assert first["code"] == f"TK-{year}-000001"

    async def create(i: int) -> dict[str, Any]:
        resp = await client.post("/api/data/tasks", json={"title": f"c{i}"})
        assert resp.status_code == 201, resp.text
        data: dict[str, Any] = resp.json()["data"]
        return data

    made = await asyncio.gather(*(create(i) for i in range(20)))
    codes = sorted(r["code"] for r in made)
    assert codes == [f"TK-{year}-{n:06d}" for n in range(2, 22)]

    # Failed creates (validation, a duplicate unique value, a bad bulk) take no number.
    assert_problem(await client.post("/api/data/tasks", json={"title": ""}), 422)
    await make_record(client, "tasks", {"title": "u", "ref": "R1"})  # 22
    dup = await client.post("/api/data/tasks", json={"title": "dup", "ref": "R1"})
    assert dup.status_code in (409, 422), dup.text
    bad_bulk = await client.post("/api/data/tasks", json=[{"title": "ok"}, {"title": None}])
    assert_problem(bad_bulk, 422)
    dup_bulk = await client.post(
        "/api/data/tasks", json=[{"title": "ok", "ref": "R2"}, {"title": "ok", "ref": "R2"}]
    )
    assert dup_bulk.status_code in (409, 422), dup_bulk.text
    nxt = await make_record(client, "tasks", {"title": "next"})
    assert nxt["code"] == f"TK-{year}-000023"
    bulk = await make_records(client, "tasks", [{"title": "b1"}, {"title": "b2"}])
    assert [r["code"] for r in bulk] == [f"TK-{year}-000024", f"TK-{year}-000025"]

    # Mixed concurrent successes and failures still leave no gap.
    async def maybe(i: int) -> int:
        resp = await client.post("/api/data/tasks", json={"title": "" if i % 3 == 0 else f"m{i}"})
        return resp.status_code

    statuses = await asyncio.gather(*(maybe(i) for i in range(15)))
    assert statuses.count(201) == 10
    assert statuses.count(422) == 5
    records = await list_all(client, "tasks", sort="code")
    assert [r["code"] for r in records] == [f"TK-{year}-{n:06d}" for n in range(1, 36)]

    # The number is the server's: a client cannot set or change it.
    resp = await client.post("/api/data/tasks", json={"title": "t", "code": "TK-0000-000001"})
    assert_problem(resp, 422)
    resp = await client.patch(f"/api/data/tasks/{first['id']}", json={"code": "X"})
    assert_problem(resp, 422)
    got = (await client.get(f"/api/data/tasks/{first['id']}")).json()["data"]
    assert got["code"] == f"TK-{year}-000001"
    # Deleting a record does not renumber or reuse.
    await client.delete(f"/api/data/tasks/{nxt['id']}")
    last = await make_record(client, "tasks", {"title": "last"})
    assert last["code"] == f"TK-{year}-000036"


# -- more edges ----------------------------------------------------------------------------


async def test_text_operators_treat_wildcards_literally(client: httpx.AsyncClient) -> None:
    await tickets(client)
    recs = await make_records(
        client,
        "tickets",
        [{"title": t} for t in ("a_b", "axb", "100%", "100x", "a/b", "A\\B", "a[b]", "Ab")],
    )
    by_title = {r["title"]: r["id"] for r in recs}
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"title": {"$includes": "_"}}, {"a_b"}),
        ({"title": {"$includes": "%"}}, {"100%"}),
        ({"title": {"$startsWith": "a_"}}, {"a_b"}),
        ({"title": {"$endsWith": "0%"}}, {"100%"}),
        ({"title": {"$includes": "/"}}, {"a/b"}),
        ({"title": {"$includes": "\\"}}, {"A\\B"}),
        ({"title": {"$includes": "[b]"}}, {"a[b]"}),
        ({"title": {"$notIncludes": "_"}}, set(by_title) - {"a_b"}),
        ({"title": {"$startsWith": "a"}}, {"a_b", "axb", "a/b", "A\\B", "a[b]", "Ab"}),
        ({"title": {"$eq": "ab"}}, set()),
        ({"title": {"$eq": "Ab"}}, {"Ab"}),
        ({"title": {"$in": ["ab", "AB", "Ab"]}}, {"Ab"}),
    ]
    issues = []
    for flt, titles in cases:
        got = set(await list_ids(client, "tickets", filter=flt))
        if got != {by_title[t] for t in titles}:
            issues.append(f"{flt}: got {sorted(t for t, i in by_title.items() if i in got)}")
    assert not issues, "\n".join(issues)


async def test_created_at_filters_are_exact(client: httpx.AsyncClient) -> None:
    await tickets(client)
    recs = [await make_record(client, "tickets", {"title": f"r{i}"}) for i in range(3)]
    stamps = [r["created_at"] for r in recs]
    assert len(set(stamps)) == 3, stamps
    ids = [r["id"] for r in recs]
    assert await list_ids(client, "tickets", filter={"created_at": stamps[1]}) == [ids[1]]
    assert await list_ids(client, "tickets", filter={"created_at": {"$gt": stamps[1]}}) == [ids[2]]
    assert await list_ids(client, "tickets", filter={"created_at": {"$gte": stamps[1]}}) == ids[1:]
    assert await list_ids(client, "tickets", filter={"created_at": {"$lt": stamps[1]}}) == ids[:1]
    between = {"created_at": {"$between": [stamps[0], stamps[1]]}}
    assert await list_ids(client, "tickets", filter=between) == ids[:2]
    # The same instant written in another offset.
    shifted = datetime.fromisoformat(stamps[2]).astimezone(timezone(timedelta(hours=-7)))
    assert await list_ids(client, "tickets", filter={"created_at": shifted.isoformat()}) == ids[2:]


async def test_concurrent_creates_of_one_unique_value(client: httpx.AsyncClient) -> None:
    await tickets(client)

    async def create(i: int) -> httpx.Response | str:
        return await call(client, "POST", "/api/data/tickets", json={"title": f"{i}", "code": "U"})

    results = await asyncio.gather(*(create(i) for i in range(8)))
    statuses = [r if isinstance(r, str) else r.status_code for r in results]
    assert statuses.count(201) == 1, statuses
    for r in results:
        if isinstance(r, str) or r.status_code != 201:
            assert problem_issue(r, (409, 422)) is None, problem_issue(r, (409, 422))
    assert await total(client, "tickets") == 1


async def test_patch_with_an_empty_object_changes_nothing(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "x", "priority": 3})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={})
    assert resp.status_code == 200, resp.text
    data = resp.json()["data"]
    assert {k: data[k] for k in ("title", "priority", "status", "code", "due")} == {
        k: rec[k] for k in ("title", "priority", "status", "code", "due")
    }
    # id in a body is ignored, never a way to move a record.
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"id": 999, "priority": 4})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"]["id"] == rec["id"]
    assert await list_ids(client, "tickets") == [rec["id"]]


async def test_sorts_on_typed_columns(client: httpx.AsyncClient) -> None:
    await items(client)
    rows = [
        {"name": f"n{i}", "price": p, "quantity": q, "active": a, "due_at": d}
        for i, (p, q, a, d) in enumerate(
            [
                ("1.50", 2, True, "2026-01-01T10:00:00+08:00"),
                (None, 1, None, None),
                ("-2.25", 3, False, "2026-01-01T01:00:00Z"),
                ("10.00", None, True, "2025-12-31T20:00:00-05:00"),
                ("1.50", 4, False, None),
                ("0.10", 5, None, "2026-01-01T01:00:00.5Z"),
            ]
        )
    ]
    await make_records(client, "items", rows)
    issues = []
    for sort in ("price", "-price,name", "active,-name", "-due_at", "due_at,-quantity", "-total"):
        everything = await list_all(client, "items", sort=sort)
        for page_size in (1, 2, 4):
            try:
                ids = await _follow_cursor(client, "items", page_size, sort=sort)
            except Exception as exc:
                issues.append(f"sort={sort} page_size={page_size}: {type(exc).__name__}: {exc}")
                continue
            if ids != [r["id"] for r in everything]:
                issues.append(f"sort={sort} page_size={page_size}: {ids}")
    by_price = [r["name"] for r in await list_all(client, "items", sort="price,name")]
    assert by_price == ["n1", "n2", "n5", "n0", "n4", "n3"]
    by_due = [r["name"] for r in await list_all(client, "items", sort="-due_at")]
    # 2026-01-01T02:00Z (n0) ... n5 01:00:00.5Z, n2 01:00Z, n3 2026-01-01T01:00Z (tie: -id)
    assert by_due[:1] == ["n0"]
    assert by_due[-2:] == ["n4", "n1"] or by_due[-2:] == ["n1", "n4"]
    assert not issues, "\n".join(issues)
