"""Query benchmarks: the serving index, list pages (first, deep by cursor, deep by offset),
aggregation and `q=` search, each beside the same SQL run by hand through the raw driver."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.parse
from datetime import datetime
from typing import Any

import asyncpg
import rawdriver as raw
from context import Bench, list_path
from figures import Figure
from loadgen import run_wrk

__all__ = ["aggregate_bench", "create_index", "list_bench", "search_bench"]

LIST_STATUS = "resolved"
DEEP_PAGE = 5_000
PAGE = 20
_COLS = (
    "id, title, description, status, priority, channel, customer, opened_at, due_date, amount, "
    "created_at, updated_at, created_by, updated_by"
)


def _timings(b: Bench, sql: str, params: list[Any], seconds: float = 3.0) -> raw.Timings:
    if b.sqlite:
        return raw.sqlite_query_timings(b.db_path, sql, params, seconds)
    return raw.pg_query_timings(b.dsn, sql, params, seconds)


def _explain(b: Bench, sql: str, params: list[Any]) -> str:
    if b.sqlite:
        con = raw.sqlite_connect(b.db_path)
        try:
            return "\n".join(str(r[3]) for r in con.execute("EXPLAIN QUERY PLAN " + sql, params))
        finally:
            con.close()

    async def go() -> str:
        con = await asyncpg.connect(b.dsn)
        try:
            rows = await con.fetch("EXPLAIN (ANALYZE, COSTS OFF) " + sql, *params)
            return "\n".join(r[0] for r in rows)
        finally:
            await con.close()

    return asyncio.run(go())


def create_index(b: Bench) -> None:
    """The composite index that serves `status = ? ORDER BY opened_at DESC, id DESC`."""
    t0 = time.perf_counter()
    if b.features["indexes"]:
        with b.server.client() as c:
            body = {"name": "status_opened", "fields": ["status", "-opened_at"]}
            resp = c.post("/api/collections/tickets/indexes", json=body)
            if resp.status_code >= 400:
                raise RuntimeError(f"index refused: {resp.status_code} {resp.text[:1000]}")
        how = "through the API: `POST /api/collections/tickets/indexes` `" + str(body).replace("'", '"') + "`"
    else:
        nulls = "" if b.sqlite else " NULLS LAST"
        sql = f"CREATE INDEX bench_status_opened ON tickets (status, opened_at DESC{nulls}, id DESC)"
        if b.sqlite:
            con = raw.sqlite_connect(b.db_path)
            con.execute(sql)
            con.close()
        else:
            raw.pg_exec(b.dsn, sql)
        how = f"directly in SQL (the index API has not landed): `{sql}`"
    secs = time.perf_counter() - t0
    b.note("List", f"Serving index created {how} in {secs:.1f} s ({b.loaded:,} rows).")


def _list_sql(b: Bench, deep: str = "", offset: int = 0) -> str:
    nulls = "" if b.sqlite else " NULLS LAST"
    sql = (
        f"SELECT {_COLS} FROM tickets WHERE status IS NOT NULL AND status = {b.p(1)}{deep} "
        f"ORDER BY opened_at DESC{nulls}, id DESC LIMIT {PAGE + 1}"
    )
    return sql + (f" OFFSET {offset}" if offset else "")


def _walk(b: Bench, page: int) -> tuple[str, dict[str, Any], float, int]:
    """The cursor of page `page` (found by following next_cursor), the last row before it."""
    before = (page - 1) * PAGE
    cursor: str | None = None
    last: dict[str, Any] = {}
    seen = requests = 0
    t0 = time.perf_counter()
    with b.server.client() as c:
        while seen < before:
            size = 500 if before - seen >= 500 else PAGE
            params: dict[str, Any] = {"filter": f'{{"status": "{LIST_STATUS}"}}', "sort": "-opened_at"}
            params |= {"page_size": size} | ({"cursor": cursor} if cursor else {})
            resp = c.get("/api/data/tickets", params=params)
            resp.raise_for_status()
            body = resp.json()
            seen += len(body["data"])
            last = body["data"][-1]
            cursor = body["meta"]["next_cursor"]
            requests += 1
    assert cursor is not None
    return cursor, last, time.perf_counter() - t0, requests


def _db_instant(b: Bench, iso: str) -> Any:
    instant = datetime.fromisoformat(iso)
    return instant.strftime("%Y-%m-%d %H:%M:%S.%f") if b.sqlite else instant


def list_bench(b: Bench) -> None:
    matching = int(b.stats["status"][LIST_STATUS])
    page = min(DEEP_PAGE, matching // PAGE - 1)
    filt = {"status": LIST_STATUS}
    first = list_path("tickets", filter=filt, sort="-opened_at", page_size=PAGE)
    sql1 = _list_sql(b)
    b.note(
        "List", f"Query: `GET {urllib.parse.unquote(first)}` ({matching:,} matching rows). Raw SQL:\n`{sql1}`"
    )
    b.note("List", "Plan of page 1:\n```\n" + _explain(b, sql1, [LIST_STATUS]) + "\n```")

    one = run_wrk(b.server, first, connections=1, seconds=5)
    raw1 = _timings(b, sql1, [LIST_STATUS])
    b.add(Figure("List", "page 1, 1 client: p95", one.p95, "ms", raw=raw1.p95, target=20, better="lower"))
    many = run_wrk(b.server, first, connections=32, seconds=10)
    raw_rps = raw1.rps if b.sqlite else raw.pg_query_rps(b.dsn, sql1, [LIST_STATUS])
    raw_how = "one connection, sequential" if b.sqlite else "32 asyncpg connections"
    b.add(
        Figure(
            "List",
            "page 1, 32 clients: throughput",
            many.rps,
            "req/s",
            raw=raw_rps,
            raw_label=raw_how,
            target=1000,
        )
    )
    b.add(Figure("List", "page 1, 32 clients: p95 (queueing included)", many.p95, "ms", better="lower"))
    b.note(
        "List",
        f"32 clients: {many.requests:,} requests in {many.seconds:.0f} s, {many.errors} errors; server used "
        f"{many.server_cores:.2f} cores ({1000 * many.server_cores / max(many.rps, 1):.2f} ms of server CPU "
        f"a request), wrk {many.client_cores:.2f}.",
    )

    for ref_path, what in (
        ("/api/health", "`GET /api/health` (no sign-in, no database)"),
        ("/api/me", "`GET /api/me` (the user, roles, departments, permissions)"),
    ):
        ref = run_wrk(b.server, ref_path, connections=32, seconds=5)
        cpu_ms = 1000 * ref.server_cores / max(ref.rps, 1)
        b.add(
            Figure(
                "List",
                f"reference: {what}, 32 clients: throughput",
                ref.rps,
                "req/s",
                detail=f"server {ref.server_cores:.2f} cores, {cpu_ms:.2f} ms of server CPU a request",
            )
        )

    cursor, last, walk_secs, walk_reqs = _walk(b, page)
    b.note(
        "List", f"Reached page {page:,} by following next_cursor: {walk_reqs} requests in {walk_secs:.1f} s."
    )
    by_cursor = list_path("tickets", filter=filt, sort="-opened_at", page_size=PAGE, cursor=cursor)
    by_offset = list_path("tickets", filter=filt, sort="-opened_at", page_size=PAGE, page=page)
    with b.server.client() as c:
        ids = [[r["id"] for r in c.get(u).json()["data"]] for u in (by_cursor, by_offset)]
    same = "the same rows" if ids[0] == ids[1] else "**different rows** (a bug)"
    b.note("List", f"Page {page:,} by cursor and by offset hold {same}.")
    deep = run_wrk(b.server, by_cursor, connections=1, seconds=5)
    # The server's keyset reads for a nullable sort key, written out by hand: on PostgreSQL one
    # row-value range; on SQLite the rows tied on opened_at, then the rows before it (each an
    # exact index range); the NULLs of opened_at only when a page reaches them.
    p = b.p
    at = _db_instant(b, last["opened_at"])
    if b.sqlite:
        deep_reads = [
            (_list_sql(b, f" AND opened_at = {p(2)} AND id < {p(3)}"), [LIST_STATUS, at, last["id"]]),
            (_list_sql(b, f" AND opened_at < {p(2)}"), [LIST_STATUS, at]),
        ]
    else:
        deep_reads = [
            (_list_sql(b, f" AND (opened_at, id) < ({p(2)}, {p(3)})"), [LIST_STATUS, at, last["id"]])
        ]
    raw_deep_p50 = sum(_timings(b, sql, params).p50 for sql, params in deep_reads)
    b.add(
        Figure(
            "List",
            f"page {page:,} through the cursor, 1 client: p50",
            deep.p50,
            "ms",
            raw=raw_deep_p50,
            target=1.25 * one.p50,
            better="lower",
            detail=f"target: within 25% of page 1's p50 ({one.p50:.2f} ms); p95 {deep.p95:.2f} ms",
        )
    )
    for sql, params in deep_reads:
        b.note(
            "List",
            f"Deep-page SQL (a read of the cursor's page):\n`{sql}`\n\nPlan:\n```\n"
            + _explain(b, sql, params)
            + "\n```",
        )
    row_value = _list_sql(b, f" AND (opened_at, id) < ({p(2)}, {p(3)})")
    raw_rv = _timings(b, row_value, [LIST_STATUS, at, last["id"]])
    b.add(
        Figure(
            "List",
            f"page {page:,} by hand with a row-value keyset `(opened_at, id) < (?, ?)` (reference)",
            raw_rv.p50,
            "ms",
            better="lower",
            detail="raw driver only; what PostgreSQL's cursor reads (SQLite 3.40 seeks on opened_at alone)",
        )
    )
    offset = run_wrk(b.server, by_offset, connections=1, seconds=3)
    raw_off = _timings(b, _list_sql(b, offset=(page - 1) * PAGE), [LIST_STATUS])
    b.add(
        Figure(
            "List",
            f"page {page:,} by offset (`page={page}`), 1 client: p50",
            offset.p50,
            "ms",
            raw=raw_off.p50,
            better="lower",
        )
    )


def _aggregate_sql(b: Bench) -> str:
    """The server's statement, by hand (statuses ordered as the select field lists them)."""
    order = " ".join(
        f"WHEN '{s}' THEN {i}"
        for i, s in enumerate(("new", "assigned", "in_progress", "pending", "resolved", "closed"))
    )
    if b.sqlite:
        month = "substr(opened_at, 1, 7) || '-01'"
    else:
        month = "CAST(date_trunc('month', opened_at AT TIME ZONE 'UTC') AS DATE)"
    return (
        f"SELECT status, {month} AS month, count(*) FROM tickets GROUP BY status, month "
        f"ORDER BY CASE status {order} END, status, month LIMIT 1000"
    )


def _aggregate_times(b: Bench, params: dict[str, str]) -> tuple[list[float], int]:
    """Five sequential requests after one warm-up (ms, sorted), and the number of groups."""
    times: list[float] = []
    with b.server.client() as c:
        for i in range(6):
            t0 = time.perf_counter()
            resp = c.get("/api/data/tickets/aggregate", params=params)
            ms = (time.perf_counter() - t0) * 1000
            if resp.status_code != 200:
                raise RuntimeError(f"aggregate failed: {resp.status_code} {resp.text[:1000]}")
            if i:
                times.append(ms)
        groups = len(resp.json()["data"])
    return sorted(times), groups


def aggregate_bench(b: Bench) -> None:
    sql = _aggregate_sql(b)
    name = f"count by status and month over {b.loaded:,} rows: median"
    if not b.features["aggregate"]:
        fig = Figure("Aggregation", name, None, "ms", raw=_timings(b, sql, [], seconds=2).p50, target=500)
        fig.better, fig.pending = "lower", "aggregation has not landed"
        b.add(fig)
        return
    params = {"group_by": "status,opened_at:month", "measures": "count"}
    b.note("Aggregation", f"Request: `GET /api/data/tickets/aggregate?{urllib.parse.urlencode(params)}`")
    # First with the indexes of the list benchmark only, then with the bucket index that a
    # dashboard of this aggregation would ask for.
    raw_t = _timings(b, sql, [], seconds=2)
    b.note(
        "Aggregation",
        f"Raw SQL: `{sql}`\n\nPlan without a bucket index:\n```\n" + _explain(b, sql, []) + "\n```",
    )
    times, groups = _aggregate_times(b, params)
    fig = Figure("Aggregation", name + ", without a bucket index (reference)", None, "ms", raw=raw_t.p50)
    fig.better, fig.value = "lower", times[len(times) // 2]
    fig.detail = (
        f"5 sequential requests after one warm-up: {', '.join(f'{t:.0f}' for t in times)} ms; {groups} groups"
    )
    b.add(fig)
    body = {"name": "status_month", "fields": ["status", "opened_at:month"]}
    t0 = time.perf_counter()
    with b.server.client() as c:
        resp = c.post("/api/collections/tickets/indexes", json=body)
    secs = time.perf_counter() - t0
    fig = Figure("Aggregation", name, None, "ms", target=500, better="lower")
    if resp.status_code >= 400:  # a tree without bucket indexes: the figure above is the one
        fig.raw, fig.value, fig.detail = (
            raw_t.p50,
            times[len(times) // 2],
            f"no bucket index: {resp.text[:300]}",
        )
        b.add(fig)
        return
    what = "the UTC month's expression on SQLite, the field itself on PostgreSQL"
    sent = json.dumps(body)
    b.note(
        "Aggregation",
        f"Bucket index created through the API: `POST /api/collections/tickets/indexes` `{sent}` "
        f"in {secs:.1f} s ({what}). Plan with it:\n```\n" + _explain(b, sql, []) + "\n```",
    )
    fig.raw = _timings(b, sql, [], seconds=2).p50
    times, groups = _aggregate_times(b, params)
    fig.value = times[len(times) // 2]
    fig.detail = (
        f"5 sequential requests after one warm-up: {', '.join(f'{t:.0f}' for t in times)} ms; {groups} groups"
    )
    b.add(fig)


def _search_sql(b: Bench) -> str:
    if b.sqlite:
        return (
            f"SELECT {_COLS} FROM tickets WHERE id IN (SELECT rowid FROM tickets__fts WHERE tickets__fts "
            f"MATCH ? ORDER BY rowid LIMIT {PAGE + 1}) ORDER BY id LIMIT {PAGE + 1}"
        )
    return (
        f"SELECT {_COLS} FROM tickets WHERE title ILIKE $1 ESCAPE '/' OR description ILIKE $1 ESCAPE '/' "
        f"ORDER BY id LIMIT {PAGE + 1}"
    )


def search_bench(b: Bench) -> None:
    sql = _search_sql(b) if b.features["search"] else _like_sql(b)
    b.note("Search", f"Raw SQL: `{sql}`")
    for key, info in b.stats["search_words"].items():
        word, titles = info["word"], info["titles"]
        param = f'"{word}"' if b.sqlite and b.features["search"] else f"%{word}%"
        raw_t = _timings(b, sql, [param], seconds=2)
        fig = Figure(
            "Search",
            f"`q={word}` ({key.replace('_', ', ')}: in {titles:,} titles), 1 client: p95",
            None,
            "ms",
            raw=raw_t.p95,
            target=100,
            better="lower",
        )
        if not b.features["search"]:
            fig.pending = "search has not landed (raw: a LIKE scan)"
            b.add(fig)
            continue
        load = run_wrk(b.server, list_path("tickets", q=word, page_size=PAGE), connections=1, seconds=4)
        fig.value = load.p95
        fig.detail = f"p50 {load.p50:.2f} ms, {load.requests} requests, {load.errors} errors"
        b.add(fig)
        if key == "common_zh":
            b.note("Search", "Plan (common word):\n```\n" + _explain(b, sql, [param]) + "\n```")


def _like_sql(b: Bench) -> str:
    op = "LIKE" if b.sqlite else "ILIKE"
    return (
        f"SELECT {_COLS} FROM tickets WHERE title {op} {b.p(1)} OR description {op} {b.p(1)} "
        f"ORDER BY id LIMIT {PAGE + 1}"
    )
