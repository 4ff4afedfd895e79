"""Keyset cursors read index ranges: every statement a cursor page runs starts at the
cursor's place in the composite index (EXPLAIN on both databases), and the pages still hold
every row once, NULLs and ties included."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import sqlalchemy as sa

from deskbase.app import App
from tests.factories import choices, list_ids, list_page, make_collection, make_records

FIELDS: list[dict[str, Any]] = [
    {"name": "status", "type": "select", "options": choices("open", "closed")},
    {"name": "opened", "type": "datetime"},
    {"name": "rank", "type": "integer"},
]


def _rows() -> list[dict[str, Any]]:
    rows = []
    for i in range(60):
        day = 1 + (i * 7) % 20  # repeated instants: ties broken by the id
        rows.append(
            {
                "status": "open" if i % 4 else "closed",
                "opened": None if i % 9 == 0 else f"2026-01-{day:02d}T08:00:00Z",
                "rank": None if i % 11 == 0 else i % 3,  # few values: long runs of ties
            }
        )
    return rows


@contextmanager
def _statements(app: App) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) that read `cases` meanwhile."""
    seen: list[tuple[str, Any]] = []

    def hook(_conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM cases" in statement:
            seen.append((statement, params))

    engine = app.db.engine.sync_engine
    sa.event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", hook)


async def _plan(app: App, statement: str, params: Any) -> str:
    async with app.db.engine.connect() as conn:
        if app.db.is_sqlite:
            rows = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
            return "\n".join(str(r[3]) for r in rows)
        # A few dozen rows: without this PostgreSQL would rather read the whole table.
        await conn.exec_driver_sql("SET enable_seqscan = off")
        rows = await conn.exec_driver_sql("EXPLAIN " + statement, params)
        return "\n".join(str(r[0]) for r in rows)


def _ranged(dialect: str, plan: str, field: str) -> bool:
    """The index is entered at the cursor: a bound (or IS NULL) on the sort key, not just status."""
    if dialect == "sqlite":
        return (
            re.search(rf"USING (COVERING )?INDEX cx_cases_\w+ \(status=\? AND {field}[<>=]", plan) is not None
        )
    return any("Index Cond" in line and field in line for line in plan.splitlines())


async def test_cursor_pages_read_index_ranges(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "cases", FIELDS)
    await make_records(client, "cases", _rows())
    for fields in (["status", "-opened"], ["status", "-rank"]):
        resp = await client.post("/api/collections/cases/indexes", json={"fields": fields})
        assert resp.status_code == 201, resp.text
    flt = {"status": "open"}
    for sort in ("-opened", "opened", "-rank", "rank", "-opened,-rank"):
        field = sort.split(",")[0].lstrip("-")
        everything = await list_ids(client, "cases", filter=flt, sort=sort)
        assert len(everything) == 45
        for page_size in (1, 4, 7):
            body = await list_page(client, "cases", filter=flt, sort=sort, page_size=page_size)
            ids = [r["id"] for r in body["data"]]
            with _statements(app) as statements:
                while cursor := body["meta"]["next_cursor"]:
                    body = await list_page(
                        client, "cases", filter=flt, sort=sort, page_size=page_size, cursor=cursor
                    )
                    ids += [r["id"] for r in body["data"]]
            assert ids == everything, f"sort={sort} page_size={page_size}"
            if sort == "-opened,-rank":
                continue  # two nullable keys: correct, not every part a single range
            assert statements
            for statement, params in statements:
                plan = await _plan(app, statement, params)
                assert _ranged(app.db.dialect, plan, field), f"sort={sort}:\n{statement}\n{params}\n{plan}"


async def test_a_page_ending_before_the_nulls_reads_them_next(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "cases", FIELDS)
    values = ["2026-01-03T00:00:00Z", None, "2026-01-01T00:00:00Z", None, "2026-01-02T00:00:00Z"]
    await make_records(client, "cases", [{"status": "open", "opened": v} for v in values])
    # Descending: the three instants, then the NULLs (by id, descending).
    body = await list_page(client, "cases", sort="-opened", page_size=2)
    assert [r["id"] for r in body["data"]] == [1, 5]
    body = await list_page(client, "cases", sort="-opened", page_size=2, cursor=body["meta"]["next_cursor"])
    assert [r["id"] for r in body["data"]] == [3, 4]  # the last value and the first NULL, one page
    body = await list_page(client, "cases", sort="-opened", page_size=2, cursor=body["meta"]["next_cursor"])
    assert [r["id"] for r in body["data"]] == [2]
    assert body["meta"]["next_cursor"] is None
    # Ascending: the NULLs first (by id), then the instants.
    body = await list_page(client, "cases", sort="opened", page_size=3)
    assert [r["id"] for r in body["data"]] == [2, 4, 3]
    body = await list_page(client, "cases", sort="opened", page_size=3, cursor=body["meta"]["next_cursor"])
    assert [r["id"] for r in body["data"]] == [5, 1]
    assert body["meta"]["next_cursor"] is None


async def test_a_cursor_reads_ties_only_when_the_next_row_was_tied(
    client: httpx.AsyncClient, app: App
) -> None:
    await make_collection(client, "cases", FIELDS)
    instants = [f"2026-01-{1 + i // 2:02d}T08:00:00Z" for i in range(12)]  # pairs of equal instants
    await make_records(client, "cases", [{"status": "open", "opened": v} for v in instants])
    resp = await client.post("/api/collections/cases/indexes", json={"fields": ["status", "-opened"]})
    assert resp.status_code == 201, resp.text
    flt = {"status": "open"}
    everything = await list_ids(client, "cases", filter=flt, sort="-opened")
    for page_size, reads in ((2, 1), (3, None)):  # pages end between pairs, or inside one
        body = await list_page(client, "cases", filter=flt, sort="-opened", page_size=page_size)
        ids = [r["id"] for r in body["data"]]
        while cursor := body["meta"]["next_cursor"]:
            with _statements(app) as statements:
                body = await list_page(
                    client, "cases", filter=flt, sort="-opened", page_size=page_size, cursor=cursor
                )
            ids += [r["id"] for r in body["data"]]
            if reads is not None and body["meta"]["next_cursor"] and app.db.is_sqlite:
                assert len(statements) == reads, statements  # no `opened = ? AND id < ?` read
        assert ids == everything, page_size
