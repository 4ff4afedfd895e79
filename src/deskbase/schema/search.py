"""Search structures per collection: an FTS5 trigram table kept by triggers (SQLite), or one
trigram GIN index per searchable column (PostgreSQL).

FTS5 tables and triggers have no SQLAlchemy construct, so their DDL is text built only from
identifiers quoted by the dialect's preparer, never from user strings (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel.errors import AppError, FieldError, ValidationFailed
from deskbase.schema.model import Collection, Field
from deskbase.schema.names import sql_name

__all__ = [
    "check_search_names",
    "deferred_search_inserts",
    "drop_search_index",
    "ensure_search_indexes",
    "fts_name",
    "search_fields",
    "search_signature",
    "sync_search_index",
    "trigram_index_name",
]

_TRIGGERS = ("ai", "ad", "au")


def search_fields(coll: Collection) -> list[Field]:
    """The collection's own stored fields whose type is searchable, in field order."""
    return [f for f in coll.fields.values() if f.type.searchable and f.column is not None]


def search_signature(coll: Collection) -> tuple[str, ...]:
    """What the search structures depend on: compare before and after a schema change."""
    return tuple(f.name for f in search_fields(coll))


def fts_name(collection: str) -> str:
    return f"{collection}__fts"


def trigram_index_name(collection: str, field: str) -> str:
    return sql_name("trgm", collection, field)


def check_search_names(collections: dict[str, Collection]) -> None:
    """Refuse a many_to_many field whose junction table would take an FTS5 table's name."""
    for coll in collections.values():
        for fld in coll.fields.values():
            reserved = fld.name == "fts" or fld.name.startswith("fts_")
            if fld.relation and fld.relation.junction is not None and reserved:
                raise ValidationFailed(
                    f"A many_to_many field cannot be named {fld.name!r}",
                    errors=[
                        FieldError(
                            f"{coll.name}.{fld.name}",
                            "the names fts and fts_* are reserved for search tables",
                            "invalid_name",
                        )
                    ],
                )


async def sync_search_index(conn: AsyncConnection, coll: Collection) -> None:
    """(Re)create the collection's search structures for its current searchable fields.

    Idempotent. On SQLite the FTS table is rebuilt from the table's rows (a full pass: it
    runs when a searchable field is added or dropped, not on every change).
    """
    if conn.dialect.name == "sqlite":
        await _drop_fts(conn, coll.name)
        if search_fields(coll):
            await _create_fts(conn, coll)
    elif conn.dialect.name == "postgresql":
        await _sync_trigram(conn, coll)


async def drop_search_index(conn: AsyncConnection, coll: Collection) -> None:
    """Drop the collection's search structures (before its table or a searchable column goes)."""
    if conn.dialect.name == "sqlite":
        await _drop_fts(conn, coll.name)
    elif conn.dialect.name == "postgresql":
        for name in await _trigram_indexes(conn, coll.name):
            await conn.execute(_ddl(f"DROP INDEX IF EXISTS {_quote(conn, name)}"))


async def ensure_search_indexes(conn: AsyncConnection, collections: list[Collection]) -> None:
    """At start-up: create the structures a collection lacks (a database from before search)."""
    for coll in collections:
        wanted = search_signature(coll)
        if conn.dialect.name == "sqlite":
            have = await _fts_columns(conn, coll.name)
            if have != wanted or (wanted and not await _has_triggers(conn, coll.name)):
                await sync_search_index(conn, coll)
        elif conn.dialect.name == "postgresql":
            names = {trigram_index_name(coll.name, f) for f in wanted}
            if names != await _trigram_indexes(conn, coll.name):
                await sync_search_index(conn, coll)


@asynccontextmanager
async def deferred_search_inserts(conn: AsyncConnection, coll: Collection) -> AsyncIterator[None]:
    """For a bulk insert inside one write transaction: the rows inserted in the block are
    indexed by one INSERT … SELECT at its end instead of row by row by the insert trigger
    (SQLite, 1M titles: 80 s by trigger, ~15 s this way). A no-op on PostgreSQL.

    The rows must get new ids (above every existing one) and must not be updated or deleted
    inside the block. Updates and deletes of older rows stay in step through their triggers.
    """
    if conn.dialect.name != "sqlite" or not search_fields(coll) or not await _has_triggers(conn, coll.name):
        yield
        return
    ddl = _FtsDDL(conn, coll)
    last = await conn.scalar(sa.select(sa.func.coalesce(sa.func.max(coll.table.c.id), 0)))
    await conn.execute(_ddl(f"DROP TRIGGER {ddl.triggers['ai'][0]}"))
    # If the block fails, the caller's rollback undoes the DROP as well: nothing to restore
    # (and a cancelled write may have left the connection unusable until then).
    yield
    await conn.execute(sa.text(ddl.index_rows_after), {"last": last})
    await conn.execute(_ddl(ddl.triggers["ai"][1]))


# -- SQLite: FTS5 external-content table + triggers ------------------------------------


def _ddl(statement: str) -> sa.ExecutableDDLElement:
    return sa.DDL(statement)  # type: ignore[no-untyped-call]  # (SQLAlchemy leaves it untyped)


def _quote(conn: AsyncConnection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


class _FtsDDL:
    """The statements of one collection's FTS5 table, from identifiers quoted by the dialect."""

    def __init__(self, conn: AsyncConnection, coll: Collection) -> None:
        q = conn.dialect.identifier_preparer.quote_identifier
        fts, table, rowid = q(fts_name(coll.name)), q(coll.name), q("id")
        names = [q(f.name) for f in search_fields(coll)]
        cols = ", ".join(names)
        new = ", ".join(f"new.{n}" for n in names)
        old = ", ".join(f"old.{n}" for n in names)
        add = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.{rowid}, {new});"
        remove = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.{rowid}, {old});"
        # The trigram tokenizer indexes every 3-character substring, folded to lower case:
        # MATCH finds substrings in any language, Chinese included.
        self.create = (
            f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content={table}, "
            f"content_rowid={rowid}, tokenize='trigram')"
        )
        bodies = {
            "ai": f"AFTER INSERT ON {table} BEGIN {add} END",
            "ad": f"AFTER DELETE ON {table} BEGIN {remove} END",
            # Only updates that set a searchable column touch the index (bulk status changes don't).
            "au": f"AFTER UPDATE OF {cols} ON {table} BEGIN {remove} {add} END",
        }
        self.triggers: dict[str, tuple[str, str]] = {}
        for key, body in bodies.items():
            name = q(f"{fts_name(coll.name)}_{key}")
            self.triggers[key] = (name, f"CREATE TRIGGER {name} {body}")
        self.rebuild = f"INSERT INTO {fts}({fts}) VALUES ('rebuild')"
        # `:last` is the one bound parameter.
        self.index_rows_after = (
            f"INSERT INTO {fts}(rowid, {cols}) SELECT {rowid}, {cols} FROM {table} WHERE {rowid} > :last"
        )


async def _create_fts(conn: AsyncConnection, coll: Collection) -> None:
    ddl = _FtsDDL(conn, coll)
    for statement in (ddl.create, *(sql for _, sql in ddl.triggers.values()), ddl.rebuild):
        await conn.execute(_ddl(statement))


async def _drop_fts(conn: AsyncConnection, collection: str) -> None:
    for trigger in _TRIGGERS:
        name = _quote(conn, f"{fts_name(collection)}_{trigger}")
        await conn.execute(_ddl(f"DROP TRIGGER IF EXISTS {name}"))
    await conn.execute(_ddl(f"DROP TABLE IF EXISTS {_quote(conn, fts_name(collection))}"))


_MASTER = sa.table("sqlite_master", sa.column("type"), sa.column("name"))


async def _fts_columns(conn: AsyncConnection, collection: str) -> tuple[str, ...]:
    name = fts_name(collection)
    found = await conn.scalar(sa.select(sa.func.count()).where(_MASTER.c.name == name))
    if not found:
        return ()
    columns = await conn.run_sync(lambda c: sa.inspect(c).get_columns(name))
    return tuple(str(c["name"]) for c in columns)


async def _has_triggers(conn: AsyncConnection, collection: str) -> bool:
    names = [f"{fts_name(collection)}_{t}" for t in _TRIGGERS]
    stmt = sa.select(sa.func.count()).where(_MASTER.c.type == "trigger", _MASTER.c.name.in_(names))
    return await conn.scalar(stmt) == len(names)


# -- PostgreSQL: pg_trgm GIN indexes ---------------------------------------------------


async def _sync_trigram(conn: AsyncConnection, coll: Collection) -> None:
    wanted = {trigram_index_name(coll.name, f.name): f for f in search_fields(coll)}
    existing = await _trigram_indexes(conn, coll.name)
    for name in existing - wanted.keys():
        await conn.execute(_ddl(f"DROP INDEX IF EXISTS {_quote(conn, name)}"))
    missing = [(name, fld) for name, fld in wanted.items() if name not in existing]
    if not missing:
        return
    opclass = await _trigram_opclass(conn)
    for name, fld in missing:
        assert fld.column is not None
        # A detached copy of the column, so the catalog's table does not collect the index.
        table = sa.Table(coll.name, sa.MetaData(), sa.Column(fld.name, fld.column.type))
        index = sa.Index(
            name,
            table.c[fld.name],
            postgresql_using="gin",
            postgresql_ops={fld.name: opclass},
        )
        await conn.run_sync(index.create)


async def _trigram_indexes(conn: AsyncConnection, collection: str) -> set[str]:
    prefix = trigram_index_name(collection, "")
    indexes: list[Any] = await conn.run_sync(lambda c: sa.inspect(c).get_indexes(collection))
    return {str(i["name"]) for i in indexes if str(i["name"]).startswith(prefix)}


_EXTENSIONS = sa.table("pg_extension", sa.column("extname"), sa.column("extnamespace"))
_NAMESPACES = sa.table("pg_namespace", sa.column("oid"), sa.column("nspname"))


async def _trigram_opclass(conn: AsyncConnection) -> str:
    """`gin_trgm_ops`, qualified by the schema pg_trgm lives in (it may be off the search_path)."""
    stmt = (
        sa.select(_NAMESPACES.c.nspname)
        .select_from(_EXTENSIONS.join(_NAMESPACES, _NAMESPACES.c.oid == _EXTENSIONS.c.extnamespace))
        .where(_EXTENSIONS.c.extname == "pg_trgm")
    )
    schema = await conn.scalar(stmt)
    if schema is None:
        await conn.execute(_ddl("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        schema = await conn.scalar(stmt)
    if schema is None:  # pragma: no cover - the server lacks the contrib package
        raise AppError("PostgreSQL's pg_trgm extension is not available; search needs it")
    return f"{conn.dialect.identifier_preparer.quote_schema(str(schema))}.gin_trgm_ops"
