"""Workflow engine benchmark (issue 5, item 8): a 3-node workflow on record creation.

    uv run python bench/workflows.py [--db postgresql,sqlite] [--executions 3000]

Throughput: records are created in bulk (1,000 per request) and the clock runs from the first
commit until every execution has succeeded. Latency: single records are created at 100 per
second for 10 seconds, and each execution's time from the write (its `created_at`) to the end
of its last node (`finished_at`) is taken; the p95 is reported. Writes docs/benchmarks-workflows.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel import tables as t
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.settings import Settings
from deskbase.schema.payloads import CollectionIn

ROOT = Path(__file__).resolve().parent.parent
MARK = "<!-- analysis (kept when bench/workflows.py rewrites this file) -->"
PG = "postgresql://postgres@127.0.0.1:5432"
DB = "deskbase_bench_wf"
WORKFLOW = {
    "name": "triage",
    "enabled": True,
    "concurrency": 32,  # as many at once as the worker pool runs (the default, 10, is a safety cap)
    "trigger": {"type": "record_created", "collection": "tickets"},
    "nodes": [
        {"id": "score", "type": "calculate", "config": {"expression": "trigger.record.priority * 10"}},
        {
            "id": "hot",
            "type": "condition",
            "config": {"expression": "nodes.score.result >= 30"},
            "branches": {
                "true": [
                    {
                        "id": "mark",
                        "type": "update_record",
                        "config": {
                            "collection": "tickets",
                            "id": "{{trigger.record.id}}",
                            "values": {"hot": True},
                        },
                    }
                ]
            },
        },
    ],
}


async def _pg_reset() -> None:
    con = await asyncpg.connect(PG + "/postgres")
    try:
        await con.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        await con.execute(f'CREATE DATABASE "{DB}"')
    finally:
        await con.close()


async def _app(kind: str, workdir: Path) -> App:
    extra = {"database_url": f"{PG}/{DB}"} if kind == "postgresql" else {}
    app = App(
        Settings(data_dir=workdir, admin_email="bench@example.com", admin_password="Wf-runner-2026", **extra)
    )
    await app.start()
    ctx = RequestContext(Actor.system(), source="bench")
    await app.schema.create_collection(
        ctx,
        CollectionIn.model_validate(
            {"name": "tickets", "fields": [
                {"name": "title", "type": "string"}, {"name": "priority", "type": "integer"},
                {"name": "hot", "type": "boolean"}]}
        ),
    )  # fmt: skip
    await app.workflows.create(ctx, dict(WORKFLOW))
    return app


async def _throughput(app: App, n: int) -> tuple[float, int]:
    ctx = RequestContext(Actor.system(), source="bench")
    rows = [{"title": f"t{i}", "priority": i % 5} for i in range(n)]
    start = time.perf_counter()
    for i in range(0, n, 1000):
        await app.records.create_records(ctx, "tickets", rows[i : i + 1000])  # type: ignore[arg-type]
    await app.workers.drain()
    seconds = time.perf_counter() - start
    async with app.db.read() as conn:
        ok = (
            await conn.execute(sa.select(sa.func.count()).where(t.executions.c.status == "succeeded"))
        ).scalar_one()
    return n / seconds, int(ok)


async def _latency(app: App, rate: int = 100, seconds: int = 10) -> list[float]:
    async with app.db.read() as conn:
        last = (
            await conn.execute(sa.select(sa.func.coalesce(sa.func.max(t.executions.c.id), 0)))
        ).scalar_one()
    loop = asyncio.get_running_loop()
    begin = loop.time()
    tasks = []
    for i in range(rate * seconds):
        await asyncio.sleep(max(0.0, begin + i / rate - loop.time()))
        ctx = RequestContext(Actor.system(), source="bench")  # its clock (`created_at`) starts now
        tasks.append(
            asyncio.create_task(app.records.create_record(ctx, "tickets", {"title": "x", "priority": 4}))
        )
    await asyncio.gather(*tasks)
    await app.workers.drain()
    async with app.db.read() as conn:
        rows = await conn.execute(
            sa.select(t.executions.c.created_at, t.executions.c.finished_at).where(t.executions.c.id > last)
        )
        out = []
        for created, finished in rows:
            created = created if created.tzinfo else created.replace(tzinfo=UTC)
            finished = finished if finished.tzinfo else finished.replace(tzinfo=UTC)
            out.append((finished - created).total_seconds() * 1000)
    return out


async def run(kind: str, n: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "postgresql":
            await _pg_reset()
        app = await _app(kind, Path(tmp))
        try:
            rate, ok = await _throughput(app, n)
            lat = await _latency(app)
        finally:
            await app.stop()
    lat.sort()
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(
        f"[{kind}] {rate:,.0f} executions/s ({ok:,} succeeded); "
        f"latency p50 {statistics.median(lat):.1f} ms, p95 {p95:.1f} ms"
    )
    return {"rate": rate, "ok": ok, "p50": statistics.median(lat), "p95": p95, "n": len(lat)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="postgresql,sqlite")
    parser.add_argument("--executions", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks-workflows.md")
    args = parser.parse_args()
    results = {kind: asyncio.run(run(kind, args.executions)) for kind in args.db.split(",")}
    load = os.getloadavg()[0]
    lines = [
        "# Workflow benchmarks",
        "",
        f"_Written by `bench/workflows.py` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC "
        f"(`uv run python bench/workflows.py --db {args.db} --executions {args.executions}`)._",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}; load average at the end "
        f"{load:.1f}. One process: the records service, the workers ({Settings().workflow_workers}) "
        "and the database on the same cores.",
        "The workflow: `calculate` → `condition` → `update_record` (for two records in five) on",
        "`record_created`, with `concurrency` 32.",
        "",
        "| figure | " + " | ".join(results) + " | target |",
        "| --- | " + " | ".join("---" for _ in results) + " | --- |",
        "| executions per second (bulk creates, until all finished) | "
        + " | ".join(f"{r['rate']:,.0f}" for r in results.values())
        + " | ≥ 500 (PostgreSQL) |",
        "| commit → last node at 100 executions/s: p50 | "
        + " | ".join(f"{r['p50']:.1f} ms" for r in results.values())
        + " | |",
        "| commit → last node at 100 executions/s: p95 | "
        + " | ".join(f"{r['p95']:.1f} ms" for r in results.values())
        + " | < 100 ms |",
        "",
    ]
    kept = ""
    if args.out.exists() and MARK in (old := args.out.read_text(encoding="utf-8")):
        kept = old[old.index(MARK) :]  # the hand-written analysis survives a re-run
    args.out.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
