"""Export memory stays flat: ten times the rows must not take ten times the memory."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from deskbase.app import App
from deskbase.data.export import ExportQuery
from deskbase.kernel.context import Actor, RequestContext
from deskbase.schema.payloads import CollectionIn

CTX = RequestContext(actor=Actor.system(), source="test")


async def _fill(app: App, count: int) -> None:
    spec = {
        "name": "tickets",
        "fields": [
            {"name": "title", "type": "string"},
            {"name": "body", "type": "text"},
            {"name": "amount", "type": "decimal"},
            {"name": "due", "type": "date"},
            {"name": "seen", "type": "datetime"},
            {
                "name": "tags",
                "type": "multi_select",
                "options": {"choices": [{"value": "a"}, {"value": "b"}]},
            },
        ],
    }
    await app.schema.create_collection(CTX, CollectionIn.model_validate(spec))
    table = app.catalog.get("tickets").table
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        {
            "title": f"工单 {i} printer offline",
            "body": "打印机无法连接网络, please check the cable. " * 4,
            "amount": Decimal(i) / 100,
            "due": (start + timedelta(days=i % 700)).date(),
            "seen": start + timedelta(minutes=i),
            "tags": ["a", "b"][: i % 3],
            "created_at": start,
            "updated_at": start,
        }
        for i in range(count)
    ]
    async with app.db.write() as conn:
        await conn.execute(table.insert(), rows)


async def _peak(app: App, rows: int, fields: tuple[str, ...] | None) -> int:
    query = ExportQuery(filter={"id": {"$lte": rows}}, fields=fields)
    export = app.exports.prepare(CTX, "tickets", query)
    assert export.lines == (fields is None or "tags" not in fields)
    tracemalloc.start()
    try:
        size = 0
        async for piece in app.exports.csv(export):
            size += len(piece)
        assert size > rows * 100
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fields", [("title", "body", "amount", "due", "seen"), ("title", "body", "tags")])
async def test_csv_export_memory_does_not_grow_with_rows(app: App, fields: tuple[str, ...]) -> None:
    """Both ways of writing CSV: lines rendered by the database, and the csv module."""
    await _fill(app, 20_000)
    app.exports.chunk_size = 500
    small = await _peak(app, 2_000, fields)
    large = await _peak(app, 20_000, fields)
    # 20,000 rows are several MB of CSV; buffering them would show here.
    assert large < small * 1.5 + 512 * 1024, (small, large)
