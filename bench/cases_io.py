"""Export (with the server's peak memory) and single creates, beside the raw drivers."""

from __future__ import annotations

import json
import time

import rawdriver as raw
from context import Bench
from figures import Figure
from loadgen import run_wrk

__all__ = ["create_bench", "export_bench"]

_EXPORT_SQL = (
    "SELECT id, title, description, status, priority, channel, customer, opened_at, due_date, amount, "
    "created_at, updated_at, created_by, updated_by FROM tickets ORDER BY id"
)


def export_bench(b: Bench) -> None:
    if b.sqlite:
        raw_rows, raw_secs = raw.sqlite_export(b.db_path, _EXPORT_SQL)
        raw_how = "sqlite3 cursor → csv.writer"
    else:
        raw_rows, raw_secs = raw.pg_export(b.dsn, _EXPORT_SQL)
        raw_how = "asyncpg COPY … TO STDOUT (CSV)"
    rate = Figure(
        "Export",
        "CSV export of every row",
        None,
        "rows/s",
        raw=raw_rows / raw_secs,
        raw_label=raw_how,
        target=100_000,
    )
    peak = Figure(
        "Export", "server peak memory (VmHWM) during the export", None, "MB", target=300, better="lower"
    )
    if not b.features["export"]:
        rate.pending = peak.pending = "export has not landed"
        b.add(rate)
        b.add(peak)
        return
    # A fresh process, so that VmHWM (the peak since start) covers start, sign-in and the export only.
    b.server.restart()
    hwm0, rss0 = b.server.hwm_mb(), b.server.rss_mb()
    cpu0, client0 = b.server.cpu(), time.process_time()
    lines = size = 0
    t0 = time.perf_counter()
    with (
        b.server.client(timeout=3600) as c,
        c.stream("GET", "/api/data/tickets/export", params={"format": "csv"}) as resp,
    ):
        if resp.status_code != 200:
            raise RuntimeError(f"export failed: {resp.status_code} {resp.read()[:1000]!r}")
        for chunk in resp.iter_raw(1 << 16):
            lines += chunk.count(b"\n")
            size += len(chunk)
    secs = time.perf_counter() - t0
    cpu, client = b.server.cpu() - cpu0, time.process_time() - client0
    rows = lines - 1
    hwm = b.server.hwm_mb()
    rate.value = rows / secs
    rate.detail = (
        f"{rows:,} rows, {size / 1e6:.0f} MB in {secs:.1f} s; raw: {raw_rows:,} rows in {raw_secs:.1f} s"
    )
    peak.value = hwm
    peak.detail = (
        f"after a restart: {hwm0:.0f} MB peak before the export (RSS {rss0:.0f} MB), +{hwm - hwm0:.0f} MB"
    )
    b.add(rate)
    b.add(peak)
    b.note(
        "Export",
        f"The server was restarted before the export, so VmHWM is the peak of start + sign-in + export; "
        f"server CPU {cpu:.0f} s ({cpu / secs:.2f} cores), the client's (reading, counting lines) "
        f"{client:.1f} s.",
    )


def create_bench(b: Bench) -> None:
    body = json.dumps(
        {
            "title": "Bench ticket 12345678 printer cannot connect",
            "description": "created by wrk",
            "status": "new",
            "priority": "normal",
            "channel": "portal",
            "customer": 87654321,
            "opened_at": "2026-11-01T09:00:00Z",
            "due_date": "2026-11-08",
            "amount": "12.50",
        }
    )
    template = body.replace("12345678", "%d").replace("87654321", "%d")
    first = min(b.customer_ids.values())
    assert sorted(b.customer_ids.values()) == list(range(first, first + len(b.customer_ids)))
    if first != 1:  # the Lua script sends customer n % 1000 + 1
        raise RuntimeError("customer ids do not start at 1")
    load = run_wrk(b.server, "/api/data/tickets", connections=32, seconds=10, post_body=template)
    if b.sqlite:
        raw_rate = raw.sqlite_insert_rate(b.raw_db_path, b.user_id)
        raw_how = "one connection, a transaction per row"
    else:
        raw_rate = raw.pg_insert_rate(b.dsn, "raw_tickets", b.user_id)
        raw_how = "32 asyncpg connections, autocommit"
    b.add(
        Figure(
            "Create",
            "create one record through HTTP, 32 clients: throughput",
            load.rps,
            "req/s",
            raw=raw_rate,
            raw_label=raw_how,
            target=1000,
            detail=f"p50 {load.p50:.1f} ms, p95 {load.p95:.1f} ms, {load.errors} errors",
        )
    )
    b.note(
        "Create",
        f"{load.requests:,} creates in {load.seconds:.0f} s ({load.errors} errors); server used "
        f"{load.server_cores:.2f} cores ({1000 * load.server_cores / max(load.rps, 1):.2f} ms of server CPU "
        f"a request), wrk {load.client_cores:.2f}. Raw: single-row INSERT … into the "
        f"{b.rows:,}-row copy of the table (same indexes and search structures).",
    )
