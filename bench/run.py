"""Runs every benchmark of issue 3 on SQLite and PostgreSQL and writes docs/benchmarks.md.

    uv run python bench/run.py [--rows 1000000] [--db sqlite,postgresql]

For each database: a fresh database, a real `deskbase serve` process on a free port, the
collections created through the API, the rows loaded (raw driver first, then Deskbase), then
list, aggregation, search, export and create benchmarks, each beside the raw driver's figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import cases_access
import cases_io
import cases_load
import cases_query
import generate
from context import Bench
from loadgen import WRK_INSTALL, have_wrk
from report import write_report
from serverproc import Server

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "deskbase_bench"


def _machine() -> str:
    model = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem = next(
        ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")
    )
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"nproc {nproc}, CPU {model}, {int(mem) / 1024 / 1024:.0f} GB RAM, Linux {platform.release()}"


def _tree() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout
    except OSError:
        return "?"
    return f"commit {head}" + (
        f" plus uncommitted work ({len(dirty.splitlines())} paths)" if dirty.strip() else ""
    )


async def _pg_admin(url: str, sql: str) -> Any:
    con = await asyncpg.connect(url + "/postgres")
    try:
        return await con.fetchval(sql)
    finally:
        await con.close()


def _pg_reset(url: str, create: bool) -> None:
    asyncio.run(_pg_admin(url, f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"))
    if create:
        asyncio.run(_pg_admin(url, f"CREATE DATABASE {PG_DB}"))


def _step(b: Bench, name: str, fn: Callable[[Bench], None]) -> None:
    print(f"[{b.kind}] {name} ...", flush=True)
    t0 = time.perf_counter()
    try:
        fn(b)
    except Exception as exc:
        traceback.print_exc()
        b.note("Errors", f"`{name}` failed: {type(exc).__name__}: {str(exc)[:1500]}")
    print(f"[{b.kind}] {name}: {time.perf_counter() - t0:.0f} s", flush=True)


def run_one(kind: str, args: argparse.Namespace, data: tuple[Path, Path, dict[str, Any]]) -> Bench:
    workdir = args.workdir / kind
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "data").mkdir(parents=True)
    url = None
    dsn = ""
    if kind == "postgresql":
        _pg_reset(args.pg_url, create=True)
        url = dsn = f"{args.pg_url}/{PG_DB}"
    workers = args.pg_workers if kind == "postgresql" else 1  # SQLite serves from one process
    server = Server(
        workdir / "data", url, workdir / "server.log", {"DESKBASE_MAX_UPLOAD_MB": "1024"}, workers
    )
    customers_csv, tickets_csv, stats = data
    b = Bench(kind, args.rows, workdir, server, tickets_csv, customers_csv, stats, dsn=dsn)
    try:
        cases_load.setup(b)
        steps: list[tuple[str, Callable[[Bench], None]]] = [
            ("load", cases_load.load),
            ("index", cases_query.create_index),
            ("analyze", cases_load.analyze),
            ("list", cases_query.list_bench),
            ("access", cases_access.access_bench),
            ("aggregate", cases_query.aggregate_bench),
            ("search", cases_query.search_bench),
            ("export", cases_io.export_bench),
            ("create", cases_io.create_bench),
        ]
        for name, fn in steps:
            if not args.only or name in args.only or name in ("load", "index", "analyze"):
                _step(b, name, fn)
    finally:
        server.stop()
        if not args.keep:
            shutil.rmtree(workdir / "data", ignore_errors=True)
            for f in workdir.glob("raw*.db*"):
                f.unlink()
            if kind == "postgresql":
                _pg_reset(args.pg_url, create=False)
    return b


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/deskbase-bench"))
    parser.add_argument(
        "--pg-url", default="postgresql://postgres@127.0.0.1:5432", help="server, no database"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--only", default="", help="comma-separated steps (list, aggregate, search, export, create)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument(
        "--pg-workers", type=int, default=2, help="server processes on PostgreSQL (`serve --workers`)"
    )
    args = parser.parse_args()
    args.only = [s for s in args.only.split(",") if s]
    kinds = [k.strip() for k in args.db.split(",") if k.strip()]
    if not have_wrk():
        sys.exit(f"wrk is needed for the HTTP load: install it with `{WRK_INSTALL}`")
    t0 = time.perf_counter()
    data = generate.ensure_data(args.workdir / "data", args.rows, args.seed)
    meta: dict[str, Any] = {
        "command": "uv run python bench/run.py " + shlex.join(sys.argv[1:]),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": _machine(),
        "tree": _tree(),
        "load": {},
        "features": {},
        "pg_workers": args.pg_workers,
    }
    benches = []
    for kind in kinds:
        meta["load"][kind] = "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3])
        benches.append(run_one(kind, args, data))
        meta["features"] = meta["features"] or benches[-1].features
    versions = [f"Python {platform.python_version()}", f"SQLite {sqlite3.sqlite_version}"]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    versions.append((wrk.stdout or wrk.stderr).split("[")[0].strip() or "wrk")
    if "postgresql" in kinds:
        versions.append(f"PostgreSQL {asyncio.run(_pg_admin(args.pg_url, 'SHOW server_version'))}")
        versions.append(f"shared_buffers {asyncio.run(_pg_admin(args.pg_url, 'SHOW shared_buffers'))}")
    meta["software"] = ", ".join(versions)
    stats = data[2]
    statuses = ", ".join(f"{k} {v:,}" for k, v in stats["status"].items())
    meta["data"] = (
        f"{args.rows:,} tickets from `bench/generate.py` (seed {args.seed}, "
        f"{stats['bytes'] / 1e6:.0f} MB CSV, 1,000 customers); statuses {statuses}"
    )
    write_report(args.out, meta, benches)
    print(f"wrote {args.out} in {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
