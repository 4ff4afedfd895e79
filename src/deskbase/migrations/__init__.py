"""Alembic migrations of the system tables; `upgrade(db)` brings a database to head."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from deskbase.kernel.db import Database

__all__ = ["VERSION_TABLE", "upgrade"]

VERSION_TABLE = "ds_alembic_version"


def _config(connection: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent))
    cfg.attributes["connection"] = connection
    return cfg


async def upgrade(db: Database) -> None:
    async with db.write() as conn:
        if db.is_postgres:
            # Several processes may start at once: one migrates, the others wait.
            await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(0x6D696772)))
        await conn.run_sync(lambda c: command.upgrade(_config(c), "head"))
