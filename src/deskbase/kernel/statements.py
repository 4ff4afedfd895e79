"""One-row INSERTs compiled once per table, column set and dialect, sent to the driver as they
are. A Core execute of a one-row INSERT spends more in SQLAlchemy (cache key, compiled-cache
lookup, parameter and result processing set up per call) than the database spends on it; on
the paths that run on every write (a record's INSERT, its audit entry) that was about a tenth
of a create's CPU.

Values are encoded by each column type's own bind processor and returned values decoded by its
result processor, so what goes in and comes out is what a Core execute would give.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["OneRowInsert", "one_row_insert"]

_Processor = Callable[[Any], Any] | None
_MAX_SHAPES = 64  # column sets kept per table (clients send varying subsets of fields)


@dataclass(slots=True)
class OneRowInsert:
    sql: str
    encoders: tuple[tuple[str, _Processor], ...]  # parameter name and encoder, in bind order
    returning: tuple[sa.Column[Any], ...]
    dialect: Dialect
    # One per returned column, built from the first result's type codes (some processors,
    # PostgreSQL's numerics among them, depend on the type the driver reports).
    decoders: tuple[_Processor, ...] | None = None

    async def run(self, conn: AsyncConnection, values: Mapping[str, object]) -> tuple[Any, ...] | None:
        """Insert `values` (every key of the statement, None for NULL); the returned columns,
        decoded, or None when the statement returns nothing."""
        params = tuple(values[name] if f is None else f(values[name]) for name, f in self.encoders)
        result = await conn.exec_driver_sql(self.sql, params)
        if not self.returning:
            return None
        if self.decoders is None:
            codes = [d[1] for d in result.cursor.description or ()]
            self.decoders = tuple(
                col.type.dialect_impl(self.dialect).result_processor(self.dialect, code)
                for col, code in zip(self.returning, codes, strict=True)
            )
        row = result.one()
        return tuple(value if f is None else f(value) for f, value in zip(self.decoders, row, strict=True))


_Key = tuple[Dialect, tuple[str, ...], tuple[str, ...]]
_CACHE: weakref.WeakKeyDictionary[sa.Table, dict[_Key, OneRowInsert]] = weakref.WeakKeyDictionary()


def one_row_insert(
    table: sa.Table, dialect: Dialect, keys: Sequence[str], returning: Sequence[str] = ()
) -> OneRowInsert:
    """The INSERT of one row setting the columns `keys` and returning the columns `returning`.

    Cached per table object: a schema change builds new tables, whose statements start afresh.
    """
    shapes = _CACHE.setdefault(table, {})
    key = (dialect, tuple(keys), tuple(returning))
    statement = shapes.get(key)
    if statement is None:
        if len(shapes) >= _MAX_SHAPES:
            shapes.clear()
        stmt = table.insert().inline()
        if returning:
            stmt = stmt.returning(*(table.c[name] for name in returning))
        compiled = stmt.compile(dialect=dialect, column_keys=list(keys))
        statement = shapes[key] = OneRowInsert(
            compiled.string,
            tuple(
                (name, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
                for name in compiled.positiontup or []
            ),
            tuple(table.c[name] for name in returning),
            dialect,
        )
    return statement
