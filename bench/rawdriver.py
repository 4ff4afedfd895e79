"""The raw drivers' figures for the same work: sqlite3 and asyncpg, with SQL written by hand.

Bulk loads read the same CSV and convert each value to what Deskbase stores (SQLite: decimals
as scaled integers, instants as naive UTC text), so the ratio compares whole loads:
SQLite `executemany` in batches of 10,000 in one transaction, PostgreSQL asyncpg
`copy_records_to_table` (binary COPY) streamed from the file.
"""

from __future__ import annotations

import asyncio
import csv
import itertools
import sqlite3
import statistics
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg

__all__ = [
    "Timings",
    "pg_build_search",
    "pg_bulk_load",
    "pg_clone_table",
    "pg_exec",
    "pg_export",
    "pg_insert_rate",
    "pg_query_rps",
    "pg_query_timings",
    "pg_scalar",
    "sqlite_build_search",
    "sqlite_bulk_load",
    "sqlite_clone_schema",
    "sqlite_connect",
    "sqlite_export",
    "sqlite_insert_rate",
    "sqlite_query_timings",
]

CSV_COLUMNS = (
    "title",
    "description",
    "status",
    "priority",
    "channel",
    "customer",
    "opened_at",
    "due_date",
    "amount",
)
SYSTEM_COLUMNS = ("created_at", "updated_at", "created_by", "updated_by")
COLUMNS = CSV_COLUMNS + SYSTEM_COLUMNS
_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class Timings:
    """Latencies of sequential runs, in ms."""

    ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return _pct(self.ms, 95)

    @property
    def rps(self) -> float:
        return len(self.ms) / (sum(self.ms) / 1000)


def _pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        yield from reader


# -- SQLite ------------------------------------------------------------------------------


def sqlite_connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000", "foreign_keys=ON"):
        con.execute(f"PRAGMA {pragma}")
    return con


def sqlite_clone_schema(src: Path, dst: Path, table: str, *, search: bool = True) -> list[str]:
    """Creates `table`, its indexes and (if `search`) its FTS5 table and triggers in a fresh
    database `dst`, from `src`'s own DDL."""
    fts = f"{table}__fts"
    with sqlite3.connect(src) as s:
        found = s.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master "
            "WHERE sql IS NOT NULL AND tbl_name IN (?, ?)",
            (table, fts),
        ).fetchall()
    order = {"table": 0, "index": 1, "trigger": 3}
    wanted = [
        (2 if name == fts else order[kind], sql)
        for kind, name, _tbl, sql in found
        if search or (kind != "trigger" and name != fts)
    ]
    ddl = [sql for _, sql in sorted(wanted, key=lambda x: x[0])]
    dst.unlink(missing_ok=True)
    con = sqlite_connect(dst)
    for stmt in ddl:
        con.execute(stmt)
    con.close()
    return ddl


def sqlite_build_search(src: Path, dst: Path, table: str) -> float:
    """Seconds to create `src`'s FTS5 table in `dst` and fill it set-based ('rebuild')."""
    fts = f"{table}__fts"
    with sqlite3.connect(src) as s:
        (ddl,) = s.execute("SELECT sql FROM sqlite_master WHERE name = ?", (fts,)).fetchone()
    con = sqlite_connect(dst)
    t0 = time.perf_counter()
    con.execute(ddl)
    con.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')
    seconds = time.perf_counter() - t0
    con.close()
    return seconds


def sqlite_bulk_load(
    db: Path, csv_path: Path, customer_ids: dict[str, int], user_id: int
) -> tuple[int, float]:
    """(rows, seconds) for a CSV → executemany load in one transaction."""
    con = sqlite_connect(db)
    sql = f"INSERT INTO tickets ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    t0 = time.perf_counter()
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    n = 0
    con.execute("BEGIN")
    rows = _rows(csv_path)
    while batch := list(itertools.islice(rows, _BATCH)):
        con.executemany(
            sql,
            [
                (
                    r[0],
                    r[1] or None,
                    r[2],
                    r[3],
                    r[4],
                    customer_ids[r[5]],
                    r[6].replace("T", " ").rstrip("Z") + ".000000",
                    r[7],
                    round(float(r[8]) * 100) if r[8] else None,
                    now,
                    now,
                    user_id,
                    user_id,
                )
                for r in batch
            ],
        )
        n += len(batch)
    con.execute("COMMIT")
    seconds = time.perf_counter() - t0
    con.close()
    return n, seconds


def sqlite_query_timings(db: Path, sql: str, params: Sequence[Any], seconds: float = 3.0) -> Timings:
    """Sequential runs of one query (fetching every row) on one connection for `seconds`."""
    con = sqlite_connect(db)
    con.execute(sql, params).fetchall()  # warm the statement cache and the page cache
    out: list[float] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(out) < 3:
        t0 = time.perf_counter()
        con.execute(sql, params).fetchall()
        out.append((time.perf_counter() - t0) * 1000)
    con.close()
    return Timings(out)


def sqlite_insert_rate(db: Path, user_id: int, seconds: float = 3.0) -> float:
    """Single-row INSERTs, each its own transaction, one connection: rows per second."""
    con = sqlite_connect(db)
    sql = f"INSERT INTO tickets ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        row = (
            f"Bench {n}",
            None,
            "new",
            "normal",
            "email",
            n % 1000 + 1,
            now,
            None,
            1250,
            now,
            now,
            user_id,
            user_id,
        )
        con.execute("BEGIN")
        con.execute(sql, row)
        con.execute("COMMIT")
        n += 1
    rate = n / (time.perf_counter() - t0)
    con.close()
    return rate


class _Sink:
    def __init__(self) -> None:
        self.chars = 0

    def write(self, s: str) -> int:
        self.chars += len(s)
        return len(s)


def sqlite_export(db: Path, sql: str) -> tuple[int, float]:
    """(rows, seconds): every row of `sql` through csv.writer into a counting sink."""
    con = sqlite_connect(db)
    t0 = time.perf_counter()
    cur = con.execute(sql)
    writer = csv.writer(_Sink())
    writer.writerow([d[0] for d in cur.description])
    n = 0
    while rows := cur.fetchmany(5000):
        writer.writerows(rows)
        n += len(rows)
    seconds = time.perf_counter() - t0
    con.close()
    return n, seconds


# -- PostgreSQL --------------------------------------------------------------------------


def pg_scalar(dsn: str, sql: str, *args: Any) -> Any:
    async def go() -> Any:
        con = await asyncpg.connect(dsn)
        try:
            return await con.fetchval(sql, *args)
        finally:
            await con.close()

    return asyncio.run(go())


def pg_exec(dsn: str, sql: str) -> None:
    async def go() -> None:
        con = await asyncpg.connect(dsn)
        try:
            await con.execute(sql)
        finally:
            await con.close()

    asyncio.run(go())


def pg_clone_table(dsn: str, src: str, dst: str, *, search: bool = True) -> list[str]:
    """`dst` LIKE `src` with its indexes (without the trigram ones unless `search`), foreign
    keys and an id sequence of its own."""

    async def go() -> list[str]:
        con = await asyncpg.connect(dsn)
        try:
            await con.execute(f"DROP TABLE IF EXISTS {dst}")
            await con.execute(f"CREATE TABLE {dst} (LIKE {src} INCLUDING ALL EXCLUDING DEFAULTS)")
            await con.execute(f"CREATE SEQUENCE IF NOT EXISTS {dst}_id_seq OWNED BY {dst}.id")
            await con.execute(f"ALTER TABLE {dst} ALTER id SET DEFAULT nextval('{dst}_id_seq')")
            fks = await con.fetch(
                "SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conrelid = $1::regclass "
                "AND contype = 'f'",
                src,
            )
            for fk in fks:
                await con.execute(f"ALTER TABLE {dst} ADD {fk['d']}")
            rows = await con.fetch("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1", dst)
            if not search:
                for r in [r for r in rows if "gin_trgm_ops" in r["indexdef"]]:
                    await con.execute(f'DROP INDEX "{r["indexname"]}"')
                rows = await con.fetch("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1", dst)
            return [r["indexdef"] for r in rows] + [f"FOREIGN KEY {fk['d']}" for fk in fks]
        finally:
            await con.close()

    return asyncio.run(go())


def pg_build_search(dsn: str, src: str, dst: str) -> float:
    """Seconds to build `src`'s trigram GIN indexes on `dst` (CREATE INDEX after the load)."""

    async def go() -> float:
        con = await asyncpg.connect(dsn)
        try:
            rows = await con.fetch("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1", src)
            t0 = time.perf_counter()
            for r in rows:
                if "gin_trgm_ops" in r["indexdef"]:
                    rest = r["indexdef"].partition(" USING ")[2]
                    await con.execute(f"CREATE INDEX {dst}_{r['indexname']} ON {dst} USING {rest}")
            return time.perf_counter() - t0
        finally:
            await con.close()

    return asyncio.run(go())


def pg_bulk_load(
    dsn: str, table: str, csv_path: Path, customer_ids: dict[str, int], user_id: int
) -> tuple[int, float]:
    """(rows, seconds) for a CSV → copy_records_to_table load (one COPY, streamed)."""
    now = datetime.now(UTC)
    count = 0

    def records() -> Iterator[tuple[Any, ...]]:
        nonlocal count
        for r in _rows(csv_path):
            count += 1
            yield (
                r[0],
                r[1] or None,
                r[2],
                r[3],
                r[4],
                customer_ids[r[5]],
                datetime.fromisoformat(r[6]),
                date.fromisoformat(r[7]),
                Decimal(r[8]) if r[8] else None,
                now,
                now,
                user_id,
                user_id,
            )

    async def go() -> float:
        con = await asyncpg.connect(dsn)
        try:
            t0 = time.perf_counter()
            await con.copy_records_to_table(table, records=records(), columns=list(COLUMNS))
            return time.perf_counter() - t0
        finally:
            await con.close()

    seconds = asyncio.run(go())
    return count, seconds


# Raw query timings plan every execution for its own values (PostgreSQL would otherwise switch
# a prepared statement to a generic plan after five runs, which can be far worse for LIKE).
_CUSTOM = {"plan_cache_mode": "force_custom_plan"}


def pg_query_timings(dsn: str, sql: str, params: Sequence[Any], seconds: float = 3.0) -> Timings:
    async def go() -> list[float]:
        con = await asyncpg.connect(dsn, server_settings=_CUSTOM)
        try:
            stmt = await con.prepare(sql)
            await stmt.fetch(*params)
            out: list[float] = []
            end = time.perf_counter() + seconds
            while time.perf_counter() < end or len(out) < 3:
                t0 = time.perf_counter()
                await stmt.fetch(*params)
                out.append((time.perf_counter() - t0) * 1000)
            return out
        finally:
            await con.close()

    return Timings(asyncio.run(go()))


def pg_query_rps(
    dsn: str, sql: str, params: Sequence[Any], connections: int = 32, seconds: float = 3.0
) -> float:
    """Queries per second from `connections` concurrent asyncpg connections."""

    async def worker(end: float) -> int:
        con = await asyncpg.connect(dsn, server_settings=_CUSTOM)
        try:
            stmt = await con.prepare(sql)
            n = 0
            while time.perf_counter() < end:
                await stmt.fetch(*params)
                n += 1
            return n
        finally:
            await con.close()

    async def go() -> float:
        t0 = time.perf_counter()
        counts = await asyncio.gather(*(worker(t0 + seconds) for _ in range(connections)))
        return sum(counts) / (time.perf_counter() - t0)

    return asyncio.run(go())


def pg_insert_rate(dsn: str, table: str, user_id: int, connections: int = 32, seconds: float = 3.0) -> float:
    """Single-row INSERT … RETURNING id (autocommit) from concurrent connections: rows per second."""
    sql = (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES "
        f"({', '.join(f'${i + 1}' for i in range(len(COLUMNS)))}) RETURNING id"
    )

    async def worker(k: int, end: float) -> int:
        con = await asyncpg.connect(dsn)
        try:
            stmt = await con.prepare(sql)
            n = 0
            while time.perf_counter() < end:
                now = datetime.now(UTC)
                await stmt.fetchval(
                    f"Bench {k}-{n}", None, "new", "normal", "email", n % 1000 + 1, now, None,
                    Decimal("12.50"), now, now, user_id, user_id,
                )  # fmt: skip
                n += 1
            return n
        finally:
            await con.close()

    async def go() -> float:
        t0 = time.perf_counter()
        counts = await asyncio.gather(*(worker(k, t0 + seconds) for k in range(connections)))
        return sum(counts) / (time.perf_counter() - t0)

    return asyncio.run(go())


def pg_export(dsn: str, sql: str) -> tuple[int, float]:
    """(rows, seconds): COPY (sql) TO STDOUT as CSV with a header, through asyncpg."""
    lines = 0

    async def sink(chunk: bytes) -> None:
        nonlocal lines
        lines += chunk.count(b"\n")

    async def go() -> float:
        con = await asyncpg.connect(dsn)
        try:
            t0 = time.perf_counter()
            await con.copy_from_query(sql, output=sink, format="csv", header=True)
            return time.perf_counter() - t0
        finally:
            await con.close()

    seconds = asyncio.run(go())
    return lines - 1, seconds
