"""One-row INSERTs sent to the driver: what they write and return is what Core gives."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa

from deskbase.app import App
from deskbase.kernel.statements import one_row_insert
from deskbase.schema.field_types.sqltypes import ExactDecimal, UTCDateTime


def _probe() -> sa.Table:
    return sa.Table(
        "probe_statements",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(50)),
        sa.Column("amount", ExactDecimal(12, 2)),
        sa.Column("at", UTCDateTime()),
        sa.Column("doc", sa.JSON()),
    )


ROW = {
    "title": "打印机 printer",
    "amount": Decimal("12.50"),
    "at": datetime(2026, 11, 24, 8, 0, 0, 123456, tzinfo=UTC),
    "doc": {"a": [1, None, "x"]},
}


async def test_a_row_round_trips_as_core_would_write_and_return_it(app: App) -> None:
    table = _probe()
    async with app.db.write() as conn:
        await conn.run_sync(table.metadata.create_all)
        keys = sorted(ROW)
        returning = ["id", *keys]
        ours = await one_row_insert(table, conn.dialect, keys, returning).run(conn, ROW)
        core = (await conn.execute(table.insert().returning(*(table.c[n] for n in returning)), ROW)).one()
        assert ours is not None
        assert ours[1:] == tuple(core)[1:]
        assert ours[0] == core[0] - 1
        assert ours[1:] == (ROW["amount"], ROW["at"], ROW["doc"], ROW["title"])
        stored = (await conn.execute(sa.select(table).where(table.c.id == ours[0]))).one()
        assert stored._mapping["amount"] == Decimal("12.50")
        assert stored._mapping["doc"] == ROW["doc"]


async def test_nulls_and_no_returning(app: App) -> None:
    table = _probe()
    async with app.db.write() as conn:
        await conn.run_sync(table.metadata.create_all)
        statement = one_row_insert(table, conn.dialect, ["title", "amount"])
        assert await statement.run(conn, {"title": None, "amount": None}) is None
        row = (await conn.execute(sa.select(table.c.title, table.c.amount))).one()
        assert tuple(row) == (None, None)


async def test_statements_are_kept_per_table_object_and_column_set(app: App) -> None:
    first, second = _probe(), _probe()
    dialect = app.db.engine.dialect
    one = one_row_insert(first, dialect, ["title"], ["id"])
    assert one_row_insert(first, dialect, ["title"], ["id"]) is one
    assert one_row_insert(first, dialect, ["title", "amount"], ["id"]) is not one
    # A schema change builds a new table object: its statements are its own.
    assert one_row_insert(second, dialect, ["title"], ["id"]) is not one
