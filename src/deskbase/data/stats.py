"""List-query statistics: the shape of each list query (filtered fields by operator class,
sort keys, search) with its count and time, held in memory and written to ds_query_stats.

`deskbase db analyze` reads them to name slow shapes and the composite index that would
serve each one. Memory is bounded: at most `max_shapes` shapes wait between two flushes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.filters import And, Condition, FilterNode, Or, parse_filter
from deskbase.data.query import ListQuery
from deskbase.kernel import tables as t
from deskbase.kernel.db import Database
from deskbase.kernel.types import JSONValue
from deskbase.schema.indexes import field_indexes, indexable, serving_index, suggest_index
from deskbase.schema.model import Collection

__all__ = [
    "FLUSH_SECONDS",
    "QueryShape",
    "QueryStats",
    "ShapeStats",
    "analyze_shapes",
    "flush_periodically",
    "load_stats",
    "query_shape",
    "stop_flushing",
]

log = logging.getLogger("deskbase.stats")

FLUSH_SECONDS = 30.0
KEEP_PER_COLLECTION = 200
OpClass = Literal["equality", "range", "text", "other"]

# What a B-tree index can do with a condition, by operator key. Operators that plugins add
# count as "other": the analysis then leaves them out of its suggestions.
_OP_CLASSES: dict[str, OpClass] = {
    "$eq": "equality",
    "$in": "equality",
    "$gt": "range",
    "$gte": "range",
    "$lt": "range",
    "$lte": "range",
    "$between": "range",
    "$dateOn": "range",
    "$dateBefore": "range",
    "$dateAfter": "range",
    "$includes": "text",
    "$notIncludes": "text",
    "$startsWith": "text",
    "$endsWith": "text",
}


@dataclass(frozen=True, slots=True)
class QueryShape:
    """A list query without its values: which fields it filters (by class), how it sorts."""

    collection: str
    equality: tuple[str, ...] = ()
    range: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    sort: tuple[str, ...] = ()  # "-created_at"
    search: bool = False

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "equality": list(self.equality),
            "range": list(self.range),
            "text": list(self.text),
            "other": list(self.other),
            "sort": list(self.sort),
            "search": self.search,
        }

    @property
    def key(self) -> str:
        return hashlib.sha1(orjson.dumps(self.to_json())).hexdigest()

    @classmethod
    def from_json(cls, collection: str, raw: Any) -> QueryShape:
        def names(key: str) -> tuple[str, ...]:
            return tuple(str(v) for v in raw.get(key) or ())

        return cls(
            collection,
            names("equality"),
            names("range"),
            names("text"),
            names("other"),
            names("sort"),
            bool(raw.get("search")),
        )


@dataclass(slots=True)
class ShapeStats:
    count: int = 0
    total_ms: float = 0.0
    max_ms: float = 0.0

    def add(self, ms: float) -> None:
        self.count += 1
        self.total_ms += ms
        self.max_ms = max(self.max_ms, ms)

    def merge(self, other: ShapeStats) -> None:
        self.count += other.count
        self.total_ms += other.total_ms
        self.max_ms = max(self.max_ms, other.max_ms)


def query_shape(collection: str, q: ListQuery) -> QueryShape:
    """The shape of a list query whose filter already compiled (so it parses)."""
    classes: dict[OpClass, set[str]] = {"equality": set(), "range": set(), "text": set(), "other": set()}
    if q.filter is not None:
        for cond, top in _conditions(parse_filter(q.filter)):
            cls = _OP_CLASSES.get(cond.op, "other") if top else "other"
            classes[cls].add(cond.path)
    return QueryShape(
        collection,
        tuple(sorted(classes["equality"])),
        tuple(sorted(classes["range"] - classes["equality"])),
        tuple(sorted(classes["text"])),
        tuple(sorted(classes["other"])),
        tuple(("-" if k.descending else "") + k.path for k in q.sort),
        bool(q.q and q.q.strip()),
    )


def _conditions(node: FilterNode, top: bool = True) -> Iterator[tuple[Condition, bool]]:
    """Every condition, and whether it is AND-ed at the top (only those can use an index prefix)."""
    if isinstance(node, Condition):
        yield node, top
    elif isinstance(node, And):
        for child in node.children:
            yield from _conditions(child, top)
    elif isinstance(node, Or):
        for child in node.children:
            yield from _conditions(child, False)
    else:
        yield from _conditions(node.child, False)


@dataclass(slots=True)
class QueryStats:
    """Shapes recorded since the last flush. Recording never fails a request."""

    max_shapes: int = 1000
    pending: dict[QueryShape, ShapeStats] = field(default_factory=dict)
    dropped: int = 0

    def record(self, shape: QueryShape, ms: float) -> None:
        entry = self.pending.get(shape)
        if entry is None:
            if len(self.pending) >= self.max_shapes:
                self.dropped += 1
                return
            entry = self.pending[shape] = ShapeStats()
        entry.add(ms)

    async def flush(self, db: Database) -> None:
        """Add the pending figures to ds_query_stats and start afresh."""
        pending, self.pending = self.pending, {}
        if not pending:
            return
        try:
            async with db.write() as conn:
                await _upsert(conn, pending)
                for collection in {s.collection for s in pending}:
                    await _prune(conn, collection)
        except BaseException:
            for shape, st in pending.items():  # keep them for the next attempt
                self.pending.setdefault(shape, ShapeStats()).merge(st)
            raise


async def _upsert(conn: AsyncConnection, pending: dict[QueryShape, ShapeStats]) -> None:
    insert: Any = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    now = datetime.now(UTC)
    for shape, st in pending.items():
        stmt = insert(t.query_stats).values(
            collection=shape.collection,
            key=shape.key,
            shape=shape.to_json(),
            count=st.count,
            total_ms=st.total_ms,
            max_ms=st.max_ms,
            updated_at=now,
        )
        c = t.query_stats.c
        await conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[c.collection, c.key],
                set_={
                    "count": c.count + stmt.excluded.count,
                    "total_ms": c.total_ms + stmt.excluded.total_ms,
                    "max_ms": sa.case(
                        (c.max_ms < stmt.excluded.max_ms, stmt.excluded.max_ms), else_=c.max_ms
                    ),
                    "updated_at": stmt.excluded.updated_at,
                },
            )
        )


async def _prune(conn: AsyncConnection, collection: str) -> None:
    """Keep the KEEP_PER_COLLECTION shapes that cost most in all."""
    c = t.query_stats.c
    keep = (
        sa.select(c.key)
        .where(c.collection == collection)
        .order_by(c.total_ms.desc())
        .limit(KEEP_PER_COLLECTION)
    )
    await conn.execute(t.query_stats.delete().where(c.collection == collection, c.key.not_in(keep)))


async def load_stats(db: Database, stats: QueryStats, collection: str) -> list[tuple[QueryShape, ShapeStats]]:
    """Stored figures plus this process's pending ones, by total time (largest first)."""
    merged: dict[str, tuple[QueryShape, ShapeStats]] = {}
    c = t.query_stats.c
    async with db.read() as conn:
        rows = await conn.execute(sa.select(t.query_stats).where(c.collection == collection))
        for row in rows.mappings():
            merged[row["key"]] = (
                QueryShape.from_json(collection, row["shape"]),
                ShapeStats(int(row["count"]), float(row["total_ms"]), float(row["max_ms"])),
            )
    for shape, st in list(stats.pending.items()):
        if shape.collection == collection:
            merged.setdefault(shape.key, (shape, ShapeStats()))[1].merge(st)
    return sorted(merged.values(), key=lambda item: -item[1].total_ms)


def analyze_shapes(
    coll: Collection,
    shapes: list[tuple[QueryShape, ShapeStats]],
    composite: list[tuple[str, list[str]]],
) -> list[dict[str, JSONValue]]:
    """Each shape with its figures, the index that would serve it and the one that does (both
    None when nothing in the shape is for a B-tree: no filter on own fields, no sort)."""
    candidates = [*composite, *field_indexes(coll)]
    out: list[dict[str, JSONValue]] = []
    for shape, st in shapes:
        suggestion = suggest_index(coll, shape.equality, shape.sort, shape.range)
        parts = indexable(coll, shape.equality, shape.sort, shape.range)
        served = serving_index(candidates, *parts) if suggestion else None
        out.append(
            {
                "shape": shape.to_json(),
                "count": st.count,
                "total_ms": round(st.total_ms, 3),
                "avg_ms": round(st.total_ms / st.count, 3) if st.count else 0.0,
                "max_ms": round(st.max_ms, 3),
                "suggested_index": list[JSONValue](suggestion) if suggestion else None,
                "served_by": served,
            }
        )
    return out


async def flush_periodically(db: Database, stats: QueryStats, seconds: float = FLUSH_SECONDS) -> None:
    """Run until cancelled: flush every `seconds`; a failed flush is logged and retried later."""
    while True:
        await asyncio.sleep(seconds)
        try:
            await stats.flush(db)
        except Exception:  # keep the loop alive: the figures are advisory
            log.exception("Could not write list-query statistics")


async def stop_flushing(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
