"""Exports in id order on PostgreSQL read id ranges on two connections sharing a snapshot:
the same bytes as one cursor, in either direction, with a filter and relation ids, and a
write committed meanwhile is not seen."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import sqlalchemy as sa

from deskbase.app import App
from deskbase.data.export import Export, ExportQuery
from deskbase.data.query import SortKey
from deskbase.kernel.context import Actor, RequestContext
from tests.factories import make_collection, make_records


async def _csv(app: App, export: Export, on_first: Any = None) -> bytes:
    out = b""
    async for piece in app.exports.csv(export):
        if on_first is not None and out:
            await on_first()
            on_first = None
        out += piece
    return out


async def test_id_ranges_give_the_bytes_of_one_cursor(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "tags", [{"name": "name", "type": "string"}])
    await make_records(client, "tags", [{"name": "a"}, {"name": "b"}])
    fields = [
        {"name": "title", "type": "string"},
        {"name": "n", "type": "integer"},
        {"name": "tags", "type": "many_to_many", "options": {"target": "tags"}},
    ]
    await make_collection(client, "cases", fields)
    rows = [{"title": f't{i}, "q"', "n": i, "tags": [1, 2][: i % 3]} for i in range(23)]
    await make_records(client, "cases", rows)
    app.exports.chunk_size = 4  # several ranges, a short last one
    checkouts: list[object] = []

    def hook(*_: Any) -> None:
        checkouts.append(None)

    sa.event.listen(app.db.engine.sync_engine.pool, "checkout", hook)
    ctx = RequestContext(Actor.system())
    try:
        for q in (
            ExportQuery(),
            ExportQuery(sort=(SortKey("id", True),), fields=("title", "tags")),
            ExportQuery(filter={"n": {"$gte": 5}}, fields=("n",)),
            ExportQuery(filter={"n": {"$gt": 99}}),
        ):
            export = app.exports.prepare(ctx, "cases", q)
            assert export.id_order is not None
            checkouts.clear()
            ranged = await _csv(app, export)
            used = len(checkouts)
            assert ranged == await _csv(app, dataclasses.replace(export, id_order=None)), q
            assert used == (2 if app.db.is_postgres else 1), q
    finally:
        sa.event.remove(app.db.engine.sync_engine.pool, "checkout", hook)


async def test_a_write_during_the_export_is_not_seen(client: httpx.AsyncClient, app: App) -> None:
    await make_collection(client, "cases", [{"name": "n", "type": "integer"}])
    await make_records(client, "cases", [{"n": i} for i in range(10)])
    app.exports.chunk_size = 3
    export = app.exports.prepare(RequestContext(Actor.system()), "cases", ExportQuery(fields=("n",)))

    async def write() -> None:  # after the header, before the rows are all read
        await make_records(client, "cases", [{"n": 100}])

    out = await _csv(app, export, write)
    assert out.decode("utf-8-sig").split("\r\n")[1:-1] == [str(i) for i in range(10)]
