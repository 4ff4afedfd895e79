"""Aggregation through HTTP on both databases: groups, date buckets in time zones, relation
and extension paths, exact decimal measures, filter + order + limit, and every bad request."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import sqlalchemy as sa

from tests.factories import assert_problem, choices, error_codes, make_collection, make_records

URL = "/api/data/tickets/aggregate"


async def _setup(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    await make_collection(
        client,
        "customers",
        [
            {"name": "name", "type": "string"},
            {"name": "level", "type": "select", "options": choices("standard", "vip")},
        ],
    )
    await make_records(
        client,
        "customers",
        [{"name": "Acme", "level": "vip"}, {"name": "Bolt", "level": "standard"}, {"name": "Cord"}],
    )
    await make_collection(client, "tags", [{"name": "name", "type": "string"}])
    await make_collection(
        client,
        "tickets",
        [
            {"name": "title", "type": "string"},
            {"name": "status", "type": "select", "options": choices("new", "open", "closed")},
            {"name": "biz_type", "type": "select", "options": choices("repair", "other")},
            {"name": "amount", "type": "decimal", "options": {"precision": 12, "scale": 2}},
            {"name": "hours", "type": "integer"},
            {"name": "due", "type": "date"},
            {"name": "opened_at", "type": "datetime"},
            {"name": "labels", "type": "multi_select", "options": choices("a", "b")},
            {"name": "customer", "type": "many_to_one", "options": {"target": "customers"}},
            {"name": "tags", "type": "many_to_many", "options": {"target": "tags"}},
        ],
    )
    await make_collection(
        client,
        "ticket_repair",
        [{"name": "fault_code", "type": "select", "options": choices("f1", "f2")}],
        extends={"master": "tickets", "discriminator": "biz_type", "value": "repair"},
    )
    rows: list[dict[str, Any]] = [
        {"title": "a", "status": "new", "amount": "0.10", "hours": 1, "customer": 1, "biz_type": "repair",
         "ticket_repair": {"fault_code": "f1"}, "due": "2026-03-31", "opened_at": "2026-01-31T15:59:59Z"},
        {"title": "b", "status": "new", "amount": "0.20", "hours": 2, "customer": 2, "biz_type": "repair",
         "ticket_repair": {"fault_code": "f2"}, "due": "2026-04-01", "opened_at": "2026-01-31T16:00:00Z"},
        {"title": "c", "status": "open", "amount": "10.00", "hours": 4, "customer": 1, "biz_type": "other",
         "due": "2026-11-01", "opened_at": "2026-01-31T20:00:00Z"},
        {"title": "d", "status": "open", "amount": "-3.35", "hours": 3, "customer": 3, "biz_type": "repair",
         "ticket_repair": {"fault_code": "f1"}, "opened_at": "2026-11-01T12:00:00Z"},
        {"title": "e", "status": "closed", "amount": None, "hours": None, "customer": None,
         "opened_at": None},
        {"title": "f", "status": None, "amount": "1.00", "hours": 5, "customer": 1, "biz_type": "repair",
         "opened_at": "2025-12-31T23:00:00Z"},
    ]  # fmt: skip
    return await make_records(client, "tickets", rows)


async def _agg(client: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    if isinstance(params.get("filter"), dict):
        params["filter"] = json.dumps(params["filter"])
    resp = await client.get(URL, params=params)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


async def test_group_by_a_select_in_choice_order(client: httpx.AsyncClient) -> None:
    await _setup(client)
    body = await _agg(client, group_by="status")
    # Empty values first, then the choices in their own order (not alphabetical).
    assert body["data"] == [
        {"status": None, "count": 1},
        {"status": "new", "count": 2},
        {"status": "open", "count": 2},
        {"status": "closed", "count": 1},
    ]
    assert body["meta"] == {
        "group_by": ["status"],
        "measures": ["count"],
        "order": [],
        "timezone": "UTC",
        "limit": 1000,
        "has_more": False,
    }


async def test_no_group_by_gives_one_row_of_totals(client: httpx.AsyncClient) -> None:
    await _setup(client)
    body = await _agg(client, measures="count,sum:amount,sum:hours,count:customer")
    assert body["data"] == [{"count": 6, "sum:amount": "7.95", "sum:hours": 15, "count:customer": 5}]
    empty = await _agg(client, measures="count,sum:amount,avg:hours,min:due", filter={"title": "zz"})
    assert empty["data"] == [{"count": 0, "sum:amount": None, "avg:hours": None, "min:due": None}]


async def test_month_bucket_follows_the_time_zone(client: httpx.AsyncClient) -> None:
    await _setup(client)
    # 2026-01-31T16:00Z is midnight on 1 February in Shanghai (UTC+8); 15:59:59Z is still January.
    body = await _agg(client, group_by="opened_at:month", tz="Asia/Shanghai")
    assert body["data"] == [
        {"opened_at:month": None, "count": 1},
        {"opened_at:month": "2026-01-01", "count": 2},
        {"opened_at:month": "2026-02-01", "count": 2},
        {"opened_at:month": "2026-11-01", "count": 1},
    ]
    assert body["meta"]["timezone"] == "Asia/Shanghai"
    utc = await _agg(client, group_by="opened_at:month")  # the app's zone: UTC in tests
    assert utc["data"] == [
        {"opened_at:month": None, "count": 1},
        {"opened_at:month": "2025-12-01", "count": 1},
        {"opened_at:month": "2026-01-01", "count": 3},
        {"opened_at:month": "2026-11-01", "count": 1},
    ]


async def test_every_bucket_unit(client: httpx.AsyncClient) -> None:
    await _setup(client)
    # 2026-11-01 is a Sunday: its ISO week starts on Monday 26 October.
    week = await _agg(client, group_by="opened_at:week", filter={"title": "d"})
    assert week["data"] == [{"opened_at:week": "2026-10-26", "count": 1}]
    rows = await _agg(client, group_by="opened_at:day,opened_at:quarter,opened_at:year", tz="Asia/Tokyo")
    assert rows["data"] == [
        {"opened_at:day": None, "opened_at:quarter": None, "opened_at:year": None, "count": 1},
        {"opened_at:day": "2026-01-01", "opened_at:quarter": "2026-01-01", "opened_at:year": "2026-01-01",
         "count": 1},
        {"opened_at:day": "2026-02-01", "opened_at:quarter": "2026-01-01", "opened_at:year": "2026-01-01",
         "count": 3},
        {"opened_at:day": "2026-11-01", "opened_at:quarter": "2026-10-01", "opened_at:year": "2026-01-01",
         "count": 1},
    ]  # fmt: skip
    # Date fields have no time zone.
    due = await _agg(
        client, group_by="due:month", tz="Pacific/Kiritimati", filter={"due": {"$notEmpty": True}}
    )
    assert due["data"] == [
        {"due:month": "2026-03-01", "count": 1},
        {"due:month": "2026-04-01", "count": 1},
        {"due:month": "2026-11-01", "count": 1},
    ]
    week = await _agg(client, group_by="due:week,due:quarter", filter={"due": {"$notEmpty": True}})
    assert [(r["due:week"], r["due:quarter"]) for r in week["data"]] == [
        ("2026-03-30", "2026-01-01"),
        ("2026-03-30", "2026-04-01"),
        ("2026-10-26", "2026-10-01"),
    ]


ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kathmandu", "Asia/Shanghai"]


def _bucket(instant: datetime, tz: str, unit: str) -> str:
    day = instant.astimezone(ZoneInfo(tz)).date()
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    return date(day.year, day.month, 1).isoformat()


@pytest.mark.parametrize("tz", ZONES)
async def test_buckets_match_python_across_dst_changes(client: httpx.AsyncClient, tz: str) -> None:
    """Instants near midnight around DST changes, bucketed by the database and by zoneinfo."""
    await make_collection(client, "events", [{"name": "at", "type": "datetime"}])
    rnd = random.Random(tz)
    instants = []
    for day in (
        "2025-03-09",
        "2025-03-30",
        "2025-04-06",
        "2025-10-05",
        "2025-10-26",
        "2025-11-02",
        "2026-03-29",
    ):
        base = datetime.fromisoformat(day).replace(tzinfo=UTC)
        instants += [base + timedelta(minutes=rnd.randrange(-26 * 60, 26 * 60)) for _ in range(6)]
    await make_records(client, "events", [{"at": i.isoformat()} for i in instants])
    for unit in ("day", "week", "month"):
        resp = await client.get("/api/data/events/aggregate", params={"group_by": f"at:{unit}", "tz": tz})
        assert resp.status_code == 200, resp.text
        got = [(r[f"at:{unit}"], r["count"]) for r in resp.json()["data"]]
        assert got == sorted(Counter(_bucket(i, tz, unit) for i in instants).items()), unit


async def test_group_by_relation_and_extension_paths(client: httpx.AsyncClient) -> None:
    await _setup(client)
    level = await _agg(client, group_by="customer.level", measures="count,sum:hours")
    assert level["data"] == [
        {"customer.level": None, "count": 2, "sum:hours": 3},  # no customer, or a customer without level
        {"customer.level": "standard", "count": 1, "sum:hours": 2},
        {"customer.level": "vip", "count": 3, "sum:hours": 10},
    ]
    by_id = await _agg(client, group_by="customer", order="-count")
    assert by_id["data"] == [
        {"customer": 1, "count": 3},
        {"customer": None, "count": 1},
        {"customer": 2, "count": 1},
        {"customer": 3, "count": 1},
    ]
    fault = await _agg(client, group_by="ticket_repair.fault_code,status")
    assert fault["data"] == [
        {"ticket_repair.fault_code": None, "status": None, "count": 1},  # repair, no extension values
        {"ticket_repair.fault_code": None, "status": "open", "count": 1},
        {"ticket_repair.fault_code": None, "status": "closed", "count": 1},
        {"ticket_repair.fault_code": "f1", "status": "new", "count": 1},
        {"ticket_repair.fault_code": "f1", "status": "open", "count": 1},
        {"ticket_repair.fault_code": "f2", "status": "new", "count": 1},
    ]
    distinct = await _agg(client, group_by="status", measures="count,count_distinct:customer")
    assert [(r["status"], r["count_distinct:customer"]) for r in distinct["data"]] == [
        (None, 1),
        ("new", 2),
        ("open", 2),
        ("closed", 0),
    ]


async def test_decimal_measures_are_exact(client: httpx.AsyncClient) -> None:
    await _setup(client)
    body = await _agg(
        client,
        group_by="biz_type",
        measures="sum:amount,avg:amount,min:amount,max:amount,avg:hours,min:due,max:opened_at,min:title",
    )
    assert body["data"] == [
        {"biz_type": None, "sum:amount": None, "avg:amount": None, "min:amount": None, "max:amount": None,
         "avg:hours": None, "min:due": None, "max:opened_at": None, "min:title": "e"},
        {"biz_type": "repair", "sum:amount": "-2.05", "avg:amount": "-0.5125", "min:amount": "-3.35",
         "max:amount": "1.00", "avg:hours": 2.75, "min:due": "2026-03-31",
         "max:opened_at": "2026-11-01T12:00:00+00:00", "min:title": "a"},
        {"biz_type": "other", "sum:amount": "10.00", "avg:amount": "10.0000", "min:amount": "10.00",
         "max:amount": "10.00", "avg:hours": 4.0, "min:due": "2026-11-01",
         "max:opened_at": "2026-01-31T20:00:00+00:00", "min:title": "c"},
    ]  # fmt: skip
    # 0.10 + 0.20 is 0.30 (no float), and an average is rounded half to even at scale + 2.
    rows = [{"title": "x", "amount": a} for a in ["0.05"] + ["0.00"] * 7 + ["0.10", "0.20"]]
    await make_records(client, "tickets", rows)
    exact = await _agg(client, measures="sum:amount,avg:amount", filter={"title": "x"})
    assert exact["data"] == [{"sum:amount": "0.35", "avg:amount": "0.0350"}]
    half = await _agg(
        client, measures="avg:amount,avg:hours", filter={"amount": {"$lt": "0.06"}, "title": "x"}
    )
    assert half["data"] == [{"avg:amount": "0.0062", "avg:hours": None}]  # 0.05 / 8 = 0.00625
    thirds = await _agg(client, measures="avg:hours", filter={"hours": {"$in": [1, 2, 4]}})
    assert thirds["data"] == [{"avg:hours": 7 / 3}]


async def test_filter_order_and_limit(client: httpx.AsyncClient) -> None:
    await _setup(client)
    top = await _agg(
        client,
        group_by="status",
        measures="count,sum:amount",
        filter={"hours": {"$gte": 1}},
        order="-sum:amount",
    )
    assert top["data"] == [
        {"status": "open", "count": 2, "sum:amount": "6.65"},
        {"status": None, "count": 1, "sum:amount": "1.00"},
        {"status": "new", "count": 2, "sum:amount": "0.30"},
    ]
    assert top["meta"]["order"] == ["-sum:amount"]
    first = await _agg(client, group_by="status", order="-count", limit=1)
    assert first["data"] == [{"status": "new", "count": 2}]  # ties broken by the group key
    assert first["meta"]["has_more"] is True
    desc = await _agg(client, group_by="status", order="-status")
    assert [r["status"] for r in desc["data"]] == ["closed", "open", "new", None]
    avg = await _agg(client, group_by="customer", measures="avg:amount", order="-avg:amount")
    assert avg["data"] == [
        {"customer": 1, "avg:amount": "3.7000"},
        {"customer": 2, "avg:amount": "0.2000"},
        {"customer": 3, "avg:amount": "-3.3500"},
        {"customer": None, "avg:amount": None},  # empty last when descending
    ]
    both = await _agg(client, group_by="status,customer", order="customer,-status", limit=3)
    assert [(r["customer"], r["status"]) for r in both["data"]] == [(None, "closed"), (1, "open"), (1, "new")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"group_by": "nope"}, {"group_by.0": "unknown_field"}),
        ({"group_by": "customer.nope"}, {"group_by.0": "unknown_field"}),
        ({"group_by": "tags"}, {"group_by.0": "not_groupable"}),
        ({"group_by": "tags.name"}, {"group_by.0": "not_groupable"}),
        ({"group_by": "labels"}, {"group_by.0": "not_groupable"}),
        ({"group_by": "status:month"}, {"group_by.0": "bucket_not_supported"}),
        ({"group_by": "opened_at:hour"}, {"group_by.0": "invalid_value"}),
        ({"group_by": "status,hours,due,title"}, {"group_by": "too_many"}),
        ({"group_by": "status,status"}, {"group_by.1": "duplicate"}),
        ({"measures": "count,sum:title"}, {"measures.1": "measure_not_supported"}),
        ({"measures": "avg:status"}, {"measures.0": "measure_not_supported"}),
        ({"measures": "min:customer"}, {"measures.0": "measure_not_supported"}),
        ({"measures": "sum:labels"}, {"measures.0": "not_groupable"}),
        ({"measures": "median:hours"}, {"measures.0": "invalid_value"}),
        ({"measures": "sum"}, {"measures.0": "invalid_value"}),
        ({"measures": "max:nope"}, {"measures.0": "unknown_field"}),
        ({"tz": "Mars/Olympus"}, {"tz": "invalid_value"}),
        ({"tz": "../../etc/passwd"}, {"tz": "invalid_value"}),
        ({"limit": "0"}, {"limit": "out_of_range"}),
        ({"limit": "10001"}, {"limit": "out_of_range"}),
        ({"group_by": "status", "order": "-hours"}, {"order.0": "invalid_value"}),
        ({"group_by": "status", "order": "count,-count"}, {"order.1": "duplicate"}),
        ({"filter": '{"nope": 1}'}, {"filter.nope": "unknown_field"}),
        ({"filter": "{not json"}, {"filter": "invalid_json"}),
        (
            {"group_by": "nope,status:year", "measures": "sum:title", "tz": "Nowhere"},
            {"group_by.0": "unknown_field", "group_by.1": "bucket_not_supported",
             "measures.0": "measure_not_supported", "tz": "invalid_value"},
        ),
    ],
)  # fmt: skip
async def test_bad_requests_name_the_parameter(
    client: httpx.AsyncClient, params: dict[str, str], expected: dict[str, str]
) -> None:
    await _setup(client)
    body = assert_problem(await client.get(URL, params=params), 422)
    assert {(f, c) for _, f, c in error_codes(body)} == set(expected.items()), body


async def test_unknown_collection_and_sign_in(client: httpx.AsyncClient, anon: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/api/data/nope/aggregate"), 404, "collection_not_found")
    await _setup(client)
    anon.headers.pop("Authorization", None)
    assert_problem(await anon.get(URL), 401, "unauthenticated")


async def test_an_extension_aggregates_on_its_own(client: httpx.AsyncClient) -> None:
    await _setup(client)
    resp = await client.get("/api/data/ticket_repair/aggregate", params={"group_by": "fault_code"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["data"] == [
        {"fault_code": None, "count": 1},
        {"fault_code": "f1", "count": 2},
        {"fault_code": "f2", "count": 1},
    ]


async def test_a_sum_beyond_64_bits_is_exact_or_refused(client: httpx.AsyncClient, app: Any) -> None:
    await make_collection(
        client, "big", [{"name": "n", "type": "decimal", "options": {"precision": 18, "scale": 0}}]
    )
    await make_records(client, "big", [{"n": "900000000000000000"}] * 11)
    resp = await client.get("/api/data/big/aggregate", params={"measures": "sum:n,avg:n,max:n"})
    if app.db.is_postgres:  # NUMERIC sums do not overflow
        assert resp.json()["data"] == [
            {"sum:n": "9900000000000000000", "avg:n": "900000000000000000.00", "max:n": "900000000000000000"}
        ]
    else:  # SQLite sums in 64 bits: a 422 naming the measures, never a 500
        body = assert_problem(resp, 422)
        assert error_codes(body) == {(None, "measures", "out_of_range")}


async def test_a_bucket_index_serves_the_aggregation(client: httpx.AsyncClient, app: Any) -> None:
    """`["status", "opened_at:month"]` indexes the UTC month on SQLite: the aggregation by
    status and month then groups in index order (no sort of the rows), with the same answers;
    PostgreSQL indexes the field itself."""
    await _setup(client)
    asked = {"group_by": "status,opened_at:month,due:quarter", "measures": "count,sum:hours"}
    before = await _agg(client, **asked)
    for fields in (["status", "opened_at:month"], ["status", "-due:quarter"], ["opened_at:week"]):
        resp = await client.post("/api/collections/tickets/indexes", json={"fields": fields})
        assert resp.status_code == 201, resp.text
    assert (await _agg(client, **asked)) == before
    for bad in (["status:month"], ["opened_at:hour"], ["hours:year"]):
        resp = await client.post("/api/collections/tickets/indexes", json={"fields": bad})
        assert_problem(resp, 422)
    if not app.db.is_sqlite:
        return
    seen: list[tuple[str, Any]] = []

    def hook(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "GROUP BY" in statement:
            seen.append((statement, params))

    sa.event.listen(app.db.engine.sync_engine, "before_cursor_execute", hook)
    try:
        for group_by in ("status,opened_at:month", "opened_at:week"):
            await _agg(client, group_by=group_by)
    finally:
        sa.event.remove(app.db.engine.sync_engine, "before_cursor_execute", hook)
    assert len(seen) == 2
    async with app.db.engine.connect() as conn:
        for statement, params in seen:
            plan = [r[3] for r in await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)]
            assert any("INDEX cx_tickets_" in step for step in plan), (statement, plan)
            assert not any("FOR GROUP BY" in step for step in plan), (statement, plan)
