"""Benchmarks before the queries: memory at rest, the schema, the raw bulk load and the import."""

from __future__ import annotations

import csv
import itertools
import json
import sqlite3
import time
from collections.abc import Iterator

import orjson
import rawdriver as raw
from context import Bench, detect_features
from figures import Figure
from ticketschema import CUSTOMERS, TICKETS

__all__ = ["analyze", "count_rows", "load", "setup"]

IMPORT_RATE = 100_000
IMPORT_SHARE = 40
_TERMINAL = {
    "done",
    "succeeded",
    "success",
    "completed",
    "finished",
    "failed",
    "error",
    "cancelled",
    "canceled",
}


def setup(b: Bench) -> None:
    """Start, sign in, measure memory at rest; create the collections and 1,000 customers.

    Memory at rest is the default server's (`deskbase serve`, one process); a server of
    several workers is then started in its place and its total given beside it."""
    workers, b.server.workers = b.server.workers, 1
    b.server.start()
    b.server.login()
    time.sleep(1.0)
    rest = b.server.rss_mb()
    b.add(
        Figure(
            "Memory",
            "server RSS at rest (after start and sign-in, before any data)",
            rest,
            "MB",
            target=150,
            better="lower",
            detail=f"`deskbase serve` (one process); VmHWM (the peak since start) at that moment: "
            f"{b.server.hwm_mb():.0f} MB",
        )
    )
    if workers > 1:
        b.server.workers = workers
        b.server.restart()
        time.sleep(1.0)
        b.add(
            Figure(
                "Memory",
                f"reference: `serve --workers {workers}` at rest, all its processes together",
                b.server.total_rss_mb(),
                "MB",
                detail=f"{len(b.server.pids())} processes in all ({workers} of them servers); "
                f"the largest {b.server.rss_mb():.0f} MB",
            )
        )
    b.features = detect_features(b.server)
    with b.server.client() as c:
        me = c.get("/api/me").json()["data"]
        b.user_id = int(me["id"])
        for spec in (CUSTOMERS, TICKETS):
            c.post("/api/collections", json=spec).raise_for_status()
        with b.customers_csv.open(newline="", encoding="utf-8") as f:
            people = list(csv.DictReader(f))
        resp = c.post("/api/data/customers", json=people)
        resp.raise_for_status()
        b.customer_ids = {r["name"]: int(r["id"]) for r in resp.json()["data"]}
    b.features = detect_features(b.server)


def _raw_load(b: Bench, *, search: bool = True) -> tuple[int, float, float, list[str]]:
    """(rows, load seconds, seconds to build the search index afterwards, DDL). With `search`,
    the copy has the search structures during the load (so the build takes 0 s)."""
    if b.sqlite:
        db = b.raw_db_path if search else b.workdir / "raw-nosearch.db"
        ddl = raw.sqlite_clone_schema(b.db_path, db, "tickets", search=search)
        rows, secs = raw.sqlite_bulk_load(db, b.tickets_csv, b.customer_ids, b.user_id)
        build = 0.0
        if not search:
            build = raw.sqlite_build_search(b.db_path, db, "tickets")
            db.unlink()
            db.with_name(db.name + "-wal").unlink(missing_ok=True)
            db.with_name(db.name + "-shm").unlink(missing_ok=True)
        return rows, secs, build, ddl
    table = "raw_tickets" if search else "raw_tickets_nosearch"
    ddl = raw.pg_clone_table(b.dsn, "tickets", table, search=search)
    rows, secs = raw.pg_bulk_load(b.dsn, table, b.tickets_csv, b.customer_ids, b.user_id)
    build = 0.0
    if not search:
        build = raw.pg_build_search(b.dsn, "tickets", table)
        raw.pg_exec(b.dsn, f"DROP TABLE {table}")
    return rows, secs, build, ddl


def load(b: Bench) -> None:
    """The raw driver's bulk load into a copy of the table, then Deskbase's import of the same CSV."""
    rows, secs, _, ddl = _raw_load(b)
    raw_rate = rows / secs
    what = "sqlite3 executemany" if b.sqlite else "asyncpg copy_records_to_table"
    raw_label = what
    b.note(
        "Import",
        f"Raw baselines parse the same CSV and convert values to what Deskbase stores. (a) {what} "
        f"into a copy of the collection's table with the same indexes and search structures "
        f"maintained during the load: {rows:,} rows in {secs:.1f} s.\n\n```sql\n" + ";\n".join(ddl) + "\n```",
    )
    b.add(
        Figure(
            "Import",
            "raw (a): bulk load with the search index maintained row by row (reference)",
            raw_rate,
            "rows/s",
            detail=f"{what}, " + ("FTS5 insert trigger" if b.sqlite else "trigram GIN indexes in place"),
        )
    )
    if b.features["search"]:
        rows2, secs2, build, _ = _raw_load(b, search=False)
        how = "FTS5 'rebuild'" if b.sqlite else "CREATE INDEX … USING gin (… gin_trgm_ops)"
        b.add(
            Figure(
                "Import",
                "raw: bulk load without any search index (reference)",
                rows2 / secs2,
                "rows/s",
                detail=f"{what} into a copy without the search index: {rows2:,} rows in {secs2:.1f} s",
            )
        )
        after = rows2 / (secs2 + build)
        b.add(
            Figure(
                "Import",
                "raw (b): bulk load, then the search index built in one pass (reference)",
                after,
                "rows/s",
                detail=f"the load above plus {how} afterwards: {build:.1f} s",
            )
        )
        b.note(
            "Import",
            f"(b) the same load into a copy without the search index ({secs2:.1f} s), then {how} "
            f"({build:.1f} s). The import's ratio is taken against the faster of (a) and (b).",
        )
        if after > raw_rate:
            raw_rate, raw_label = after, f"{what}, then {how}"
    failed = ""
    if b.features["import"]:
        try:
            n, seconds, info = _http_import(b)
            label = "HTTP import job (`POST /api/data/tickets/import`, CSV upload included)"
            pending = ""
        except RuntimeError as exc:
            failed = str(exc)[:1500]
            b.note("Errors", f"The import failed, so the rows were loaded with the bulk create API: {failed}")
    if not b.features["import"] or failed:
        n, seconds, info = _bulk_create(b)
        label = "bulk create API (`POST /api/data/tickets` with arrays of 5,000), import pending"
        pending = "the import failed" if failed else "import has not landed; this is the bulk create API"
    b.loaded = n
    rate = n / seconds
    b.note("Import", f"Deskbase: {label}: {n:,} rows in {seconds:.1f} s. {info}")
    fig = b.add(
        Figure(
            "Import",
            "CSV import rate" if b.features["import"] else "bulk load through the API",
            rate,
            "rows/s",
            raw=raw_rate,
            raw_label=raw_label,
            target=IMPORT_RATE,
            detail=label,
        )
    )
    share = b.add(
        Figure(
            "Import",
            "import rate as a share of the raw bulk rate",
            100 * rate / raw_rate,
            "%",
            target=IMPORT_SHARE,
        )
    )
    if pending:
        fig.pending = share.pending = pending


def _http_import(b: Bench) -> tuple[int, float, str]:
    # The CSV names customers: the mapping matches them by the customers' unique `name`.
    options = {"mode": "all_or_nothing", "mapping": json.dumps({"customer": "customer.name"})}
    cpu0 = b.server.cpu()
    t0 = time.perf_counter()
    with b.server.client(timeout=3600) as c, b.tickets_csv.open("rb") as f:
        resp = c.post(
            "/api/data/tickets/import",
            files={"file": (b.tickets_csv.name, f, "text/csv")},
            data=options,
        )
        if resp.status_code >= 400:
            raise RuntimeError(f"import refused: {resp.status_code} {resp.text[:2000]}")
        job = resp.json()["job"]
        upload = time.perf_counter() - t0
        while str(job.get("status")) not in _TERMINAL:
            time.sleep(0.25)
            job = c.get(f"/api/jobs/{job['id']}").json()
            job = job.get("data", job)
    seconds = time.perf_counter() - t0
    cpu = b.server.cpu() - cpu0
    if str(job.get("status")) not in ("done", "succeeded", "success", "completed", "finished"):
        raise RuntimeError(f"import job ended as {job.get('status')}: {json.dumps(job)[:2000]}")
    done = int(job.get("done") or job.get("rows_done") or 0)
    info = (
        f"Upload took {upload:.1f} s of it; the job reported {job.get('rate') or '?'} rows/s; server CPU "
        f"{cpu:.0f} s ({cpu / seconds:.2f} cores); peak RSS {b.server.hwm_mb():.0f} MB."
    )
    return done, seconds, info


def _payloads(b: Bench, batch: int) -> Iterator[bytes]:
    with b.tickets_csv.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        while chunk := list(itertools.islice(reader, batch)):
            for r in chunk:
                r["customer"] = b.customer_ids[r["customer"]]  # type: ignore[assignment]
                if not r["amount"]:
                    r["amount"] = None  # type: ignore[assignment]
            yield orjson.dumps(chunk)


def _bulk_create(b: Bench, batch: int = 5_000) -> tuple[int, float, str]:
    cpu0, client0 = b.server.cpu(), time.process_time()
    n = 0
    t0 = time.perf_counter()
    with b.server.client() as c:
        for body in _payloads(b, batch):
            resp = c.post("/api/data/tickets", content=body, headers={"Content-Type": "application/json"})
            if resp.status_code != 201:
                raise RuntimeError(f"bulk create failed: {resp.status_code} {resp.text[:2000]}")
            n += len(resp.json()["data"])
    seconds = time.perf_counter() - t0
    cpu, client = b.server.cpu() - cpu0, time.process_time() - client0
    info = (
        f"One client, sequential requests. Server CPU {cpu:.0f} s ({cpu / seconds:.2f} cores); "
        f"the client's own CPU (CSV, JSON, HTTP) {client:.0f} s; server peak RSS {b.server.hwm_mb():.0f} MB."
    )
    return n, seconds, info


def analyze(b: Bench) -> None:
    """Planner statistics after the bulk load (ANALYZE; on PostgreSQL a VACUUM ANALYZE of every
    table, the raw baselines' 1M-row copies included, so that autovacuum does not take a core
    in the middle of a later measurement)."""
    t0 = time.perf_counter()
    if b.sqlite:
        with sqlite3.connect(b.db_path, timeout=60) as con:
            con.execute("ANALYZE")
        what = "`ANALYZE`"
    else:
        raw.pg_exec(b.dsn, "VACUUM ANALYZE")
        what = "`VACUUM ANALYZE` of the whole database (the raw baselines' copies included)"
    b.note("Setup", f"After the load the bench ran {what} by hand ({time.perf_counter() - t0:.1f} s).")


def count_rows(b: Bench) -> int:
    if b.sqlite:
        with sqlite3.connect(b.db_path) as con:
            return int(con.execute("SELECT count(*) FROM tickets").fetchone()[0])
    return int(raw.pg_scalar(b.dsn, "SELECT count(*) FROM tickets"))
