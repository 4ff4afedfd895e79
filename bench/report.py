"""Writes docs/benchmarks.md from one run's figures.

Everything is regenerated except the block between the analysis markers, which is carried
over from the existing file (the lead's explanation and the hand-written analysis live there).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from context import FEATURES, Bench
from figures import Figure

__all__ = ["BEGIN", "END", "write_report"]

BEGIN = "<!-- analysis:begin (kept when bench/run.py rewrites this file) -->"
END = "<!-- analysis:end -->"
_TEMPLATE = f"""{BEGIN}
### Why, and what would close it

> **Lead's explanation:** _(to be written by the lead)_

_(No analysis written yet: after a run, explain each miss here; this block survives re-runs.)_
{END}"""


def _kept(out: Path) -> str:
    if not out.exists():
        return _TEMPLATE
    m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), out.read_text(encoding="utf-8"), re.S)
    return m.group(0) if m else _TEMPLATE


def _table(figs: list[Figure]) -> list[str]:
    out = [
        "| benchmark | Deskbase | raw driver, same work | ratio | target | result |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for f in figs:
        name = f"{f.section}: {f.name}"
        out.append(
            f"| {name} | {f.shown()} | {f.raw_shown()} | {f.ratio()} | {f.target_shown()} | {f.verdict()} |"
        )
    return out


def _summary(benches: list[Bench]) -> list[str]:
    kinds = [b.kind for b in benches]
    out = ["| target | " + " | ".join(kinds) + " |", "| --- |" + " --- |" * len(kinds)]
    keys: list[tuple[str, str]] = []
    for b in benches:
        for f in b.figures:
            if f.target is not None and (f.section, f.name) not in keys:
                keys.append((f.section, f.name))
    for section, name in keys:
        cells = []
        target = ""
        for b in benches:
            f = next((x for x in b.figures if (x.section, x.name) == (section, name)), None)
            if f is None:
                cells.append("—")
                continue
            target = f.target_shown()
            cells.append(f"{f.shown()}: {f.verdict()}")
        out.append(f"| {section}: {name} ({target}) | " + " | ".join(cells) + " |")
    return out


def _misses(benches: list[Bench]) -> list[str]:
    out: list[str] = []
    for b in benches:
        for f in b.figures:
            if f.status == "miss" or (
                f.status == "pending" and f.value is not None and f.target is not None and not f.meets()
            ):
                out.append(
                    f"- **{b.kind}**, {f.section}: {f.name}: {f.shown()} against {f.target_shown()}: "
                    f"{f.verdict()}."
                )
            elif f.status == "pending":
                out.append(f"- **{b.kind}**, {f.section}: {f.name}: pending ({f.pending}).")
    return out or ["None: every target was met."]


def write_report(out: Path, meta: dict[str, Any], benches: list[Bench]) -> None:
    feats = meta["features"]
    lines = [
        "# Benchmarks",
        "",
        "_Written by `bench/run.py` (issue 3, item 5). Re-run it to refresh every figure; only the "
        "analysis block near the end is kept from one run to the next._",
        "",
        f"- **Command:** `{meta['command']}`",
        f"- **Date:** {meta['date']}",
        f"- **Machine:** {meta['machine']}",
        f"- **Software:** {meta['software']}",
        f"- **Tree:** {meta['tree']}",
        f"- **Data:** {meta['data']}",
        "- **Server:** `deskbase serve` on the same 2 cores as the load generator: one process on "
        f"SQLite (its only mode), `--workers {meta.get('pg_workers', 1)}` on PostgreSQL (server "
        "processes that share the installation through its change feed); memory at rest is the "
        "one-process server's on both. **Load:** wrk (one thread, keep-alive connections, latency "
        "percentiles from its Lua `done` hook); its CPU use is given per run.",
        "- **Features present in this tree:** "
        + ", ".join(f"{k} {'yes' if feats.get(k) else '**no**'}" for k in FEATURES)
        + " (read from the server's OpenAPI document).",
        "- **Raw driver figures** are the same work done by hand in the same run: sqlite3 / asyncpg, "
        "the same SQL, the same table and indexes. A ratio reads Deskbase ÷ raw: a share for rates, "
        "a multiple for latencies.",
        "",
        "## Summary of targets",
        "",
        *_summary(benches),
        "",
    ]
    for b in benches:
        lines += [
            f"## {b.kind}",
            "",
            f"Machine load before this database's run: {meta['load'].get(b.kind, '?')}.",
            "",
        ]
        lines += _table(b.figures)
        lines.append("")
        details = [f for f in b.figures if f.detail]
        if details:
            lines += ["Details:", ""]
            lines += [f"- {f.section}: {f.name}: {f.detail}" for f in details]
            lines.append("")
        for section, notes in b.notes.items():
            lines += [f"### {b.kind}: {section}", ""]
            for n in notes:
                lines += [n, ""]
    lines += ["## Missed targets", "", *_misses(benches), "", _kept(out), ""]
    lines += [
        "## Running it",
        "",
        "`make bench` (1M rows on SQLite and PostgreSQL, about 20 minutes) or "
        "`uv run python bench/run.py --rows 100000 --db sqlite` for a quick run. It needs wrk "
        "(`apt-get install -y wrk`) and, for PostgreSQL, a server at 127.0.0.1:5432 where it may "
        "create and drop the database `deskbase_bench`. Generated CSVs are cached in the work "
        "directory (`--workdir`, default /tmp/deskbase-bench).",
        "",
    ]
    out.write_text("\n".join(lines), encoding="utf-8")
