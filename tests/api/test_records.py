"""Records API through HTTP: CRUD, bulk writes, listing (sort, projection, paging), bad
input as problem+json, and how every field type travels through the API."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.factories import (
    assert_problem,
    choices,
    error_codes,
    list_all,
    list_ids,
    list_page,
    make_collection,
    make_record,
    make_records,
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
    resp = await client.post(
        "/api/data/tickets", json={"title": "Printer", "priority": 2, "status": "new"}
    )
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
    assert await total(client, "tickets", {"$and": [{"priority": 99}, {"status": "new"}]}) == (
        new_before
    )

    # A bulk PATCH validates the payload: nothing changes on bad input.
    resp = await client.patch(
        "/api/data/tickets",
        params={"filter": json.dumps({"status": "open"})},
        json={"priority": "high"},
    )
    assert_problem(resp, 422)
    assert await total(client, "tickets", {"priority": 99}) == new_before

    resp = await client.delete(
        "/api/data/tickets", params={"filter": json.dumps({"priority": {"$gte": 99}})}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"data": {"deleted": new_before}}
    assert await total(client, "tickets") == 25 - new_before
    assert await total(client, "tickets", {"status": "new"}) == 0

    # A filter that matches nothing is fine.
    resp = await client.delete(
        "/api/data/tickets", params={"filter": json.dumps({"title": "no such title"})}
    )
    assert resp.status_code == 200
    assert resp.json() == {"data": {"deleted": 0}}


@pytest.mark.parametrize("raw_filter", [None, "", "{}", "  "])
async def test_bulk_writes_refuse_an_empty_filter(
    client: httpx.AsyncClient, raw_filter: str | None
) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows()[:5])
    params = {} if raw_filter is None else {"filter": raw_filter}
    resp = await client.patch("/api/data/tickets", params=params, json={"priority": 1})
    assert_problem(resp, 400, "empty_filter")
    resp = await client.delete("/api/data/tickets", params=params)
    assert_problem(resp, 400, "empty_filter")
    assert await total(client, "tickets") == 5
    assert await total(client, "tickets", {"priority": 1}) == 1  # only the original one


@pytest.mark.parametrize("raw_filter", [{"$and": []}, {"$or": []}, {"$and": [{}, {"$or": []}]}])
async def test_bulk_delete_refuses_a_filter_that_is_empty_after_parsing(
    client: httpx.AsyncClient, raw_filter: dict[str, Any]
) -> None:
    """An empty group is "no condition" (parse_filter): a bulk write must refuse it too."""
    await tickets(client)
    await make_records(client, "tickets", sample_rows()[:5])
    resp = await client.delete("/api/data/tickets", params={"filter": json.dumps(raw_filter)})
    assert_problem(resp, 400, "empty_filter")
    assert await total(client, "tickets") == 5


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

    records = await list_all(client, "tickets", sort="status,-due,id")
    expected = sorted(records, key=lambda r: r["id"])
    expected = sorted(expected, key=lambda r: _null_first(r["due"]), reverse=True)
    expected = sorted(expected, key=lambda r: r["status"])
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


async def _follow_cursor(
    client: httpx.AsyncClient, name: str, page_size: int, **params: Any
) -> list[int]:
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


@pytest.mark.parametrize(
    "sort",
    [None, "title", "-priority", "priority", "-due", "due,-priority", "-priority,-due,title"],
)
async def test_list_cursor_paging_covers_everything_once(
    client: httpx.AsyncClient, sort: str | None
) -> None:
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    params = {"sort": sort} if sort else {}
    everything = await list_ids(client, "tickets", **params)
    assert len(everything) == 25
    for page_size in (1, 4, 7, 25, 30):
        ids = await _follow_cursor(client, "tickets", page_size, **params)
        assert len(ids) == len(set(ids)), f"duplicates with page_size {page_size}"
        assert ids == everything, f"page_size {page_size}"
    # With a filter too.
    flt = {"status": {"$in": ["new", "open"]}}
    everything = await list_ids(client, "tickets", filter=flt, **params)
    assert await _follow_cursor(client, "tickets", 3, filter=flt, **params) == everything


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


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page_size": 501}, 422),
        ({"page_size": 0}, 422),
        ({"page_size": -1}, 422),
        ({"page": 0}, 422),
        ({"page_size": "ten"}, 422),
        ({"page": "x"}, 422),
    ],
)
async def test_list_paging_limits(
    client: httpx.AsyncClient, params: dict[str, Any], status: int
) -> None:
    await tickets(client)
    assert_problem(await client.get("/api/data/tickets", params=params), status)


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


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": 5}, "title"),
        ({"title": ["a"]}, "title"),
        ({"title": "x", "priority": "abc"}, "priority"),
        ({"title": "x", "priority": 1.5}, "priority"),
        ({"title": "x", "priority": True}, "priority"),
        ({"title": "x", "priority": {"a": 1}}, "priority"),
        ({"title": "x", "due": "yesterday-ish"}, "due"),
        ({"title": "x", "due": 20260101}, "due"),
        ({"title": "x", "due": "2026-02-30"}, "due"),
        ({"title": "x" * 256}, "title"),
    ],
)
async def test_wrong_types_are_422(
    client: httpx.AsyncClient, payload: dict[str, Any], field: str
) -> None:
    await tickets(client)
    body = assert_problem(await client.post("/api/data/tickets", json=payload), 422)
    assert any(e["field"] == field for e in body["errors"]), body
    assert await total(client, "tickets") == 0


@pytest.mark.parametrize("payload", ["hello", 42, None, [1, 2], [None], True])
async def test_body_that_is_not_a_record(client: httpx.AsyncClient, payload: Any) -> None:
    await tickets(client)
    resp = await client.post("/api/data/tickets", content=json.dumps(payload).encode())
    assert 400 <= resp.status_code < 500, resp.text
    assert_problem(resp, resp.status_code)
    rec = await make_record(client, "tickets", {"title": "x"})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", content=json.dumps(payload))
    assert 400 <= resp.status_code < 500, resp.text
    assert_problem(resp, resp.status_code)
    assert await total(client, "tickets") == 1


@pytest.mark.parametrize("raw", [b'{"title": ', b"{title: 'x'}", b"[1, 2", b"\xff\xfe", b"nul"])
async def test_malformed_json_body(client: httpx.AsyncClient, raw: bytes) -> None:
    await tickets(client)
    headers = {"content-type": "application/json"}
    resp = await client.post("/api/data/tickets", content=raw, headers=headers)
    assert_problem(resp, 400, "invalid_json")
    rec = await make_record(client, "tickets", {"title": "x"})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", content=raw, headers=headers)
    assert_problem(resp, 400, "invalid_json")
    resp = await client.patch(
        "/api/data/tickets", params={"filter": '{"title": "x"}'}, content=raw, headers=headers
    )
    assert_problem(resp, 400, "invalid_json")


@pytest.mark.parametrize(
    ("flt", "code"),
    [
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
        ('{"priority": {"$in": []}}', "invalid_value"),
        ('{"priority": {"$in": 3}}', "invalid_value"),
        ('{"priority": {"$between": [1]}}', "invalid_value"),
        ('{"priority": {"$eq": null}}', "invalid_value"),
        ('{"due": {"$dateOn": "not a date"}}', "invalid_value"),
        ('{"due": {"$gt": "2026-13-45"}}', "invalid_value"),
        ('{"title": {}}', None),
        ('{"title": {"$eq": "a", "b": 1}}', None),
        ('{"$and": {"title": "a"}}', None),
        ('{"$not": [1]}', None),
        ('{"": 1}', None),
        ('{"title": "{{nobody.knows}}"}', None),
    ],
)
async def test_bad_filters_are_4xx_problems(
    client: httpx.AsyncClient, flt: str, code: str | None
) -> None:
    await tickets(client)
    await make_record(client, "tickets", {"title": "x", "priority": 1, "due": "2026-01-01"})
    for method in ("GET", "PATCH", "DELETE"):
        kwargs: dict[str, Any] = {"json": {"priority": 2}} if method == "PATCH" else {}
        resp = await client.request(method, "/api/data/tickets", params={"filter": flt}, **kwargs)
        assert 400 <= resp.status_code < 500, f"{method}: {resp.status_code} {resp.text}"
        body = assert_problem(resp, resp.status_code)
        if code is not None:
            assert any(e["code"] == code for e in body.get("errors", [])), body
    assert await total(client, "tickets", {"priority": 1}) == 1


@pytest.mark.parametrize(
    ("sort", "code"),
    [("nope", "unknown_field"), ("-nope", "unknown_field"), ("title,nope", "unknown_field")],
)
async def test_bad_sort_is_422(client: httpx.AsyncClient, sort: str, code: str) -> None:
    await tickets(client)
    body = assert_problem(await client.get("/api/data/tickets", params={"sort": sort}), 422)
    assert any(e["code"] == code for e in body["errors"]), body


@pytest.mark.parametrize("sort", ["-", ",-,", "title.name", "id.x.y.z.w"])
async def test_odd_sort_keys_are_4xx(client: httpx.AsyncClient, sort: str) -> None:
    await tickets(client)
    resp = await client.get("/api/data/tickets", params={"sort": sort})
    assert 400 <= resp.status_code < 500, resp.text
    assert_problem(resp, resp.status_code)


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
    resp = await client.patch(
        "/api/data/tickets", params={"filter": '{"title": "a"}'}, json={"code": "SAME"}
    )
    assert resp.status_code in (409, 422), resp.text
    assert_problem(resp, resp.status_code)
    assert await total(client, "tickets", {"code": "SAME"}) == 0


@pytest.mark.parametrize("title", [None, "", "   "])
async def test_missing_required_field(client: httpx.AsyncClient, title: str | None) -> None:
    await tickets(client)
    payload: dict[str, Any] = {"priority": 1}
    if title is not None:
        payload["title"] = title
    body = assert_problem(await client.post("/api/data/tickets", json=payload), 422)
    assert (None, "title", "required") in error_codes(body)
    rec = await make_record(client, "tickets", {"title": "kept"})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"title": title})
    body = assert_problem(resp, 422)
    assert (None, "title", "required") in error_codes(body)
    assert (await client.get(f"/api/data/tickets/{rec['id']}")).json()["data"]["title"] == "kept"


async def test_missing_required_field_is_fine_on_patch(client: httpx.AsyncClient) -> None:
    await tickets(client)
    rec = await make_record(client, "tickets", {"title": "kept"})
    resp = await client.patch(f"/api/data/tickets/{rec['id']}", json={"priority": 3})
    assert resp.status_code == 200, resp.text


async def test_select_value_outside_the_choices(client: httpx.AsyncClient) -> None:
    await tickets(client)
    body = assert_problem(
        await client.post("/api/data/tickets", json={"title": "x", "status": "bogus"}), 422
    )
    assert (None, "status", "invalid_choice") in error_codes(body)
    # A choice can be named by its label.
    rec = await make_record(client, "tickets", {"title": "x", "status": "Open"})
    assert rec["status"] == "open"
    body = assert_problem(
        await client.patch(f"/api/data/tickets/{rec['id']}", json={"status": "OPEN!"}), 422
    )
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
    {"name": "meta", "type": "json"},
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
        "meta": {"a": [1, 2.5, {"b": None}], "c": "x", "d": True},
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
    assert got["meta"] == payload["meta"]
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
    rec2 = await make_record(client, "items", {"active": False, "labels": [], "meta": []})
    assert rec2["active"] is False
    assert rec2["labels"] in ([], None)
    assert rec2["meta"] == []
    assert rec2["price"] is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.5", "12.50"),
        (12.5, "12.50"),
        (0.1, "0.10"),
        (3, "3.00"),
        ("-0.004", "0.00"),
        ("1234567890.125", "1234567890.12"),
        ("0", "0.00"),
    ],
)
async def test_decimal_keeps_its_scale(
    client: httpx.AsyncClient, value: Any, expected: str
) -> None:
    await items(client)
    rec = await make_record(client, "items", {"price": value, "amount": value})
    assert rec["price"] == expected
    assert rec["amount"] == expected
    # Filters compare exactly.
    assert await total(client, "items", {"price": expected}) == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "abc"),
        ("price", "12345678901.00"),
        ("price", True),
        ("price", "NaN"),
        ("price", "Infinity"),
        ("amount", [1]),
        ("due_at", "2026-03-01"),
        ("due_at", "tomorrow"),
        ("due_at", 1700000000),
        ("day", "2026-02-28T10:00:00"),
        ("active", "yes"),
        ("active", 1),
        ("labels", "a"),
        ("labels", ["a", "z"]),
        ("email", "not-an-email"),
        ("email", "a@"),
        ("site", "ftp://example.com"),
        ("site", "not a url"),
        ("site", "javascript:alert(1)"),
        ("phone", "call me"),
        ("phone", "12"),
        ("body", 5),
        ("total", 5),
    ],
)
async def test_field_type_validation(client: httpx.AsyncClient, field: str, value: Any) -> None:
    await items(client)
    body = assert_problem(await client.post("/api/data/items", json={field: value}), 422)
    assert any(e["field"] == field for e in body["errors"]), body
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
    assert datetime.fromisoformat(after["updated_at"]) >= datetime.fromisoformat(
        rec["updated_at"]
    )
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
