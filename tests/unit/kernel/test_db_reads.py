"""Read connections: no BEGIN on SQLite, so a read() block sees what commits meanwhile, as
PostgreSQL's READ COMMITTED does, and writes still run in one transaction each."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from deskbase.app import App

PROBE = sa.table("probe_reads", sa.column("n", sa.Integer()))


async def _count(conn: sa.ext.asyncio.AsyncConnection) -> int:
    return int((await conn.execute(sa.select(sa.func.count()).select_from(PROBE))).scalar_one())


async def test_a_read_sees_commits_made_meanwhile(app: App) -> None:
    async with app.db.write() as conn:
        await conn.exec_driver_sql("CREATE TABLE probe_reads (n INTEGER)")
    async with app.db.read() as reader:
        assert await _count(reader) == 0
        if app.db.is_sqlite:  # no transaction left open by the read
            raw = await reader.get_raw_connection()
            assert not raw.driver_connection.in_transaction  # type: ignore[union-attr]
        async with app.db.write() as writer:
            await writer.execute(PROBE.insert().values(n=1))
        assert await _count(reader) == 1


async def test_a_failed_write_still_rolls_back_as_a_whole(app: App) -> None:
    async with app.db.write() as conn:
        await conn.exec_driver_sql("CREATE TABLE probe_reads (n INTEGER)")

    async def fail() -> None:
        async with app.db.write() as conn:
            await conn.execute(PROBE.insert().values(n=1))
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        await fail()
    async with app.db.read() as reader:
        assert await _count(reader) == 0
