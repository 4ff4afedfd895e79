"""Composite indexes through the API (real DDL on both databases) and the list-query
statistics that suggest them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from deskbase.app import App
from deskbase.schema.indexes import serving_index, suggest_index
from tests.factories import assert_problem, choices, list_page, make_collection, make_records

FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "string"},
    {"name": "status", "type": "select", "options": choices("open", "closed")},
    {"name": "priority", "type": "integer"},
    {"name": "due", "type": "date"},
    {"name": "labels", "type": "multi_select", "options": choices("a", "b")},
]


async def _indexes(app: App, table: str) -> dict[str, list[str]]:
    async with app.db.read() as conn:
        return await conn.run_sync(
            lambda c: {str(i["name"]): list(i["column_names"]) for i in sa.inspect(c).get_indexes(table)}
        )


async def test_create_list_and_drop_a_composite_index(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "cases", FIELDS)
    await make_records(client, "cases", [{"title": "a", "status": "open", "priority": 1}])
    resp = await client.post("/api/collections/cases/indexes", json={"fields": ["status", "-created_at"]})
    assert resp.status_code == 201, resp.text
    assert resp.json()["data"] == {"name": "status_created_at_desc", "fields": ["status", "-created_at"]}
    # The record id ends every composite index: lists sort by it last.
    assert (await _indexes(app, "cases"))["cx_cases_status_created_at_desc"] == ["status", "created_at", "id"]

    resp = await client.post(
        "/api/collections/cases/indexes", json={"fields": ["priority", "due"], "name": "by_priority"}
    )
    assert resp.status_code == 201, resp.text
    listing = (await client.get("/api/collections/cases/indexes")).json()["data"]
    assert listing == [
        {"name": "status_created_at_desc", "fields": ["status", "-created_at"]},
        {"name": "by_priority", "fields": ["priority", "due"]},
    ]
    # It survives a reload of the catalog, declared on the table.
    await app.schema.load()
    assert "cx_cases_by_priority" in {i.name for i in app.catalog.get("cases").table.indexes}

    assert (await client.delete("/api/collections/cases/indexes/by_priority")).status_code == 204
    assert "cx_cases_by_priority" not in await _indexes(app, "cases")
    assert_problem(await client.delete("/api/collections/cases/indexes/by_priority"), 404, "index_not_found")
    assert [i["name"] for i in (await client.get("/api/collections/cases/indexes")).json()["data"]] == [
        "status_created_at_desc"
    ]
    # Lists still work with the index in place, on both databases.
    body = await list_page(client, "cases", filter={"status": "open"}, sort="-created_at")
    assert len(body["data"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fields": []}, "fields"),
        ({"fields": ["a", "b", "c", "d", "e", "f"]}, "fields"),
        ({"fields": ["nope"]}, "fields.0"),
        ({"fields": ["status", "labels"]}, "fields.1"),  # a multi_select cannot be sorted on
        ({"fields": ["status", "-status"]}, "fields.1"),
        ({"fields": ["id", "status"]}, "fields.0"),
        ({"fields": ["status"], "name": "Bad Name"}, "name"),
        ({"fields": ["status"], "name": "select"}, "name"),
        ({"fields": ["status"], "unique": True}, "unique"),
        ({"fields": "status"}, "fields"),
    ],
)
async def test_bad_index_definitions_are_422(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    await make_collection(client, "cases", FIELDS)
    resp = await client.post("/api/collections/cases/indexes", json=body)
    problem = assert_problem(resp, 422)
    assert field in {e["field"] for e in problem["errors"]}, problem


async def test_index_conflicts_and_unknown_collection(client: httpx.AsyncClient) -> None:
    await make_collection(client, "cases", FIELDS)
    url = "/api/collections/cases/indexes"
    assert (await client.post(url, json={"fields": ["status", "priority"], "name": "one"})).status_code == 201
    assert_problem(await client.post(url, json={"fields": ["due"], "name": "one"}), 409, "already_exists")
    # The same columns, or all of them reversed, already serve the same queries.
    assert_problem(await client.post(url, json={"fields": ["-status", "-priority"]}), 409, "already_exists")
    resp = await client.post("/api/collections/nope/indexes", json={"fields": ["x"]})
    assert_problem(resp, 404, "collection_not_found")


async def test_a_field_an_index_uses_cannot_be_dropped(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "cases", FIELDS)
    resp = await client.post(
        "/api/collections/cases/indexes", json={"fields": ["status", "due"], "name": "work"}
    )
    assert resp.status_code == 201, resp.text
    problem = assert_problem(await client.delete("/api/collections/cases/fields/due"), 409)
    assert "'work'" in problem["detail"]
    fields = (await client.get("/api/collections/cases")).json()["data"]["fields"]
    assert "due" in [f["name"] for f in fields]
    assert (await client.delete("/api/collections/cases/fields/priority")).status_code == 204

    assert (await client.delete("/api/collections/cases/indexes/work")).status_code == 204
    assert (await client.delete("/api/collections/cases/fields/due")).status_code == 204
    # Dropping the collection takes its indexes along; the name can be reused.
    await client.post("/api/collections/cases/indexes", json={"fields": ["status"], "name": "st"})
    assert (await client.delete("/api/collections/cases")).status_code == 204
    await make_collection(client, "cases", FIELDS)
    assert (await client.get("/api/collections/cases/indexes")).json()["data"] == []
    resp = await client.post("/api/collections/cases/indexes", json={"fields": ["status"], "name": "st"})
    assert resp.status_code == 201, resp.text


async def test_query_stats_suggest_the_serving_index(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "cases", FIELDS)
    await make_records(
        client, "cases", [{"title": f"t{i}", "status": "open", "priority": i} for i in range(5)]
    )
    for _ in range(3):
        await list_page(
            client, "cases", filter={"status": "open", "priority": {"$gte": 2}}, sort="-created_at"
        )
    await list_page(client, "cases", q="t1")
    await app.records.stats.flush(app.db)  # some figures stored, some pending: both are shown
    await list_page(client, "cases", filter={"status": "closed", "priority": {"$lt": 9}}, sort="-created_at")

    stats = (await client.get("/api/collections/cases/query-stats")).json()["data"]
    # Ordered by total time, which a loaded machine may shuffle: pick the shape by content.
    first = next(s for s in stats if s["shape"]["equality"])
    assert first["shape"] == {
        "equality": ["status"],
        "range": ["priority"],
        "text": [],
        "other": [],
        "sort": ["-created_at"],
        "search": False,
    }
    assert first["count"] == 4
    assert first["total_ms"] >= first["max_ms"] > 0
    assert first["suggested_index"] == ["status", "-created_at", "priority"]
    assert first["served_by"] is None
    assert any(s["shape"]["search"] for s in stats)

    resp = await client.post("/api/collections/cases/indexes", json={"fields": first["suggested_index"]})
    assert resp.status_code == 201, resp.text
    stats = (await client.get("/api/collections/cases/query-stats")).json()["data"]
    served = next(s for s in stats if s["shape"]["equality"])
    assert served["served_by"] == resp.json()["data"]["name"]
    assert_problem(await client.get("/api/collections/nope/query-stats"), 404, "collection_not_found")
    # Relation paths and a sort in the order of a select's choices are beyond an index.
    coll = app.catalog.get("cases")
    assert suggest_index(coll, ["priority", "customer.name"], ["status"], ["due"]) == ["priority", "due"]
    assert suggest_index(coll, [], ["-due", "title"], []) == ["-due", "title"]


def test_which_index_serves_a_shape() -> None:
    idx = [("a", ["status", "-created_at"]), ("b", ["priority"])]
    assert serving_index(idx, ["status"], ["-created_at"], []) == "a"
    assert serving_index(idx, ["status"], ["created_at"], []) == "a"  # read backwards
    assert serving_index(idx, ["status"], ["created_at", "-priority"], []) is None
    assert serving_index(idx, ["status"], [], []) == "a"
    assert serving_index(idx, [], ["-created_at"], []) is None
    assert serving_index(idx, [], [], ["priority"]) == "b"
    assert serving_index(idx, ["priority", "status"], [], []) is None
