"""Database engines: one async engine per App, SQLite and PostgreSQL behind one interface.

SQLite runs in WAL mode with foreign keys on; its writers are serialized in-process by a
lock (SQLite allows one writer at a time, and waiting on a lock beats failing with
"database is locked"). PostgreSQL needs no such lock.

Reads send no BEGIN: each statement reads the latest commit, as it would inside a
transaction at PostgreSQL's default READ COMMITTED, so both databases give a read() block the
same consistency (one statement, one snapshot) and save a BEGIN and a ROLLBACK per read (on
PostgreSQL two round trips; with aiosqlite two trips to the driver's thread). A read that needs
a transaction (a server-side cursor, SET LOCAL, a snapshot) asks for one: read(transaction=True).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from deskbase.kernel.changes import CHANNEL, PUBLISHED, ChangeFeed

__all__ = ["Database"]

_READ = "deskbase_read"  # execution option of read() connections


class Database:
    def __init__(self, url: str, *, echo: bool = False, connect_args: dict[str, Any] | None = None):
        parsed = make_url(url)
        self.url = url
        self.dialect = parsed.get_backend_name()
        # JSON columns (audit entries, node jobs, definitions) through orjson, as the API does.
        kwargs: dict[str, Any] = {"echo": echo, "json_serializer": _dumps, "json_deserializer": orjson.loads}
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 30, **(connect_args or {})}
            # Every write ends in COMMIT or ROLLBACK (write()) and reads send no BEGIN, so a
            # connection goes back to the pool with no transaction open: no ROLLBACK on return
            # (with aiosqlite, each call to the driver is a trip to its thread).
            kwargs["pool_reset_on_return"] = None
        else:
            kwargs["connect_args"] = connect_args or {}
            # Enough kept open for the workflow workers and the requests of a busy moment: a
            # connection beyond pool_size is closed when it comes back, and opening one costs
            # a PostgreSQL backend (milliseconds).
            kwargs["pool_size"] = 40
            kwargs["max_overflow"] = 20
        self.engine: AsyncEngine = create_async_engine(url, **kwargs)
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        self._reader = self.engine
        self._transactional_reader = self.engine
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
            self._reader = self._transactional_reader = self.engine.execution_options(**{_READ: True})
        else:
            self._reader = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        # What this process changes that the others keep in memory (kernel/changes.py).
        # One channel per installation: a database, or a schema of one (search_path).
        schema = ((connect_args or {}).get("server_settings") or {}).get("search_path")
        self.changes = ChangeFeed(url, self._reader, CHANNEL + (f"_{schema}" if schema else ""))

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a write transaction: committed on exit, rolled back on error."""
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                conn.info.pop(PUBLISHED, None)  # left by a transaction that failed
                yield conn
                published = conn.info.pop(PUBLISHED, None)
            if published:  # committed: wait until the other processes have applied it, so
                # that the next request finds the change whichever process it reaches
                await self.changes.confirm(published)
            return
        async with self._write_lock, self.engine.begin() as conn:
            yield conn

    @asynccontextmanager
    async def read(self, *, transaction: bool = False) -> AsyncIterator[AsyncConnection]:
        """A connection for reading; not for writes (each would commit alone). With
        `transaction`, PostgreSQL runs the block in one (rolled back at the end)."""
        async with (self._transactional_reader if transaction else self._reader).connect() as conn:
            yield conn

    async def dispose(self) -> None:
        await self.changes.stop()
        await self.engine.dispose()


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling defers BEGIN and breaks transactional DDL;
    # SQLAlchemy's documented recipe takes BEGIN over.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA busy_timeout=30000",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if not conn.get_execution_options().get(_READ):
            conn.exec_driver_sql("BEGIN")
