"""DDL for run-time collections, through SQLAlchemy and Alembic operations (never SQL strings)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.schema.field_types.base import RelationFieldType
from deskbase.schema.model import Collection, Field
from deskbase.schema.names import sql_name

__all__ = [
    "add_field",
    "alter_field_type",
    "create_collection",
    "drop_collection",
    "drop_field",
    "set_index",
]


def _ops(sync_conn: sa.Connection) -> Operations:
    return Operations(MigrationContext.configure(sync_conn))


def _owned_tables(coll: Collection) -> list[sa.Table]:
    tables = [coll.table]
    for fld in coll.fields.values():
        if fld.relation and fld.relation.junction is not None:
            tables.append(fld.relation.junction)
    return tables


async def create_collection(conn: AsyncConnection, coll: Collection) -> None:
    tables = _owned_tables(coll)
    await conn.run_sync(lambda c: coll.table.metadata.create_all(c, tables=tables, checkfirst=False))


async def drop_collection(conn: AsyncConnection, coll: Collection) -> None:
    tables = _owned_tables(coll)
    await conn.run_sync(lambda c: coll.table.metadata.drop_all(c, tables=tables, checkfirst=False))


async def add_field(conn: AsyncConnection, coll: Collection, fld: Field) -> None:
    """Add the field's column, index and foreign key (or its junction table)."""
    if fld.relation and fld.relation.junction is not None:
        junction = fld.relation.junction
        await conn.run_sync(lambda c: junction.create(c))
        return
    if fld.column is None:
        return
    column = sa.Column(fld.name, fld.column.type, nullable=True)
    dialect = conn.dialect.name

    def run(sync_conn: sa.Connection) -> None:
        ops = _ops(sync_conn)
        ops.add_column(coll.name, column)
        if isinstance(fld.type, RelationFieldType) and dialect == "postgresql":
            ops.create_foreign_key(
                sql_name("fk", coll.name, fld.name),
                coll.name,
                fld.type.target(fld.options),
                [fld.name],
                ["id"],
            )

    await conn.run_sync(run)
    await set_index(conn, coll, fld, unique=fld.unique, indexed=_wants_index(fld))


def _wants_index(fld: Field) -> bool:
    return fld.indexed or isinstance(fld.type, RelationFieldType)


async def drop_field(conn: AsyncConnection, coll: Collection, fld: Field) -> None:
    if fld.relation and fld.relation.junction is not None:
        junction = fld.relation.junction
        await conn.run_sync(lambda c: junction.drop(c))
        return
    if fld.column is None:
        return
    # SQLite (3.35+) drops a column in place once no index names it; PostgreSQL drops the
    # indexes and foreign key with the column.
    await set_index(conn, coll, fld, unique=False, indexed=False)
    await conn.run_sync(lambda c: _ops(c).drop_column(coll.name, fld.name))


async def set_index(
    conn: AsyncConnection, coll: Collection, fld: Field, *, unique: bool, indexed: bool
) -> None:
    """Make the field's single-column index match: unique, plain, or none."""
    uq, ix = sql_name("uq", coll.name, fld.name), sql_name("ix", coll.name, fld.name)

    def run(sync_conn: sa.Connection) -> None:
        existing = {i["name"] for i in sa.inspect(sync_conn).get_indexes(coll.name)}
        ops = _ops(sync_conn)
        for name, wanted in ((uq, unique), (ix, indexed and not unique)):
            if name in existing and not wanted:
                ops.drop_index(name, table_name=coll.name)
            elif wanted and name not in existing:
                ops.create_index(name, coll.name, [fld.name], unique=name == uq)

    await conn.run_sync(run)


async def alter_field_type(
    conn: AsyncConnection, coll: Collection, name: str, new_type: sa.types.TypeEngine[Any]
) -> None:
    """Change a column's type in place (PostgreSQL; SQLite's column types are advisory)."""
    if conn.dialect.name != "postgresql":
        return
    await conn.run_sync(lambda c: _ops(c).alter_column(coll.name, name, type_=new_type))
