"""Column encoders: stored values to what the driver receives, a whole column at a time.

They give what SQLAlchemy's bind processors give (SQLite: naive UTC text for instants,
scaled integers for decimals), without the per-row work of a Core executemany: the hot
ones are list comprehensions with no call per value; every other type uses its own bind
processor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from deskbase.schema.field_types.sqltypes import ExactDecimal, UTCDateTime

__all__ = ["ColumnEncoder", "Encoder", "column_encoder", "encode_column", "encoder"]

Encoder = Callable[[Any], Any]  # one value
ColumnEncoder = Callable[[list[Any]], list[Any]]  # a whole column


def _processor(column: sa.Column[Any], dialect: Dialect) -> Encoder | None:
    processor: Encoder | None = column.type.dialect_impl(dialect).bind_processor(dialect)
    return processor


def column_encoder(column: sa.Column[Any], dialect: Dialect) -> ColumnEncoder | None:
    """How one column's values are encoded for `dialect` (None: they go as they are).

    Values come from the import's converters: instants are aware UTC datetimes, decimals
    are quantized to the column's scale. Anything else goes through the bind processor.
    """
    ctype, slow = column.type, _processor(column, dialect)
    if slow is None:
        return None
    if dialect.name != "sqlite":  # asyncpg takes aware datetimes and Decimals as they are
        if isinstance(ctype, UTCDateTime):
            return lambda values: [v if v.__class__ is datetime else slow(v) for v in values]
        if isinstance(ctype, ExactDecimal):
            return lambda values: [v if v.__class__ is Decimal else slow(v) for v in values]
        return lambda values: [slow(v) for v in values]
    if isinstance(ctype, UTCDateTime):  # SQLAlchemy's SQLite DATETIME text, naive UTC
        return lambda values: [
            v.isoformat(" ", "microseconds")[:26]  # "+00:00" cut off: naive UTC
            if v.__class__ is datetime and v.tzinfo is UTC
            else slow(v)
            for v in values
        ]
    if isinstance(ctype, ExactDecimal):  # the decimal scaled to an integer
        scale = ctype.scale
        return lambda values: [
            int(v.scaleb(scale).to_integral_value(ROUND_HALF_EVEN)) if v.__class__ is Decimal else slow(v)
            for v in values
        ]
    if isinstance(ctype, sa.Date):  # SQLAlchemy's "%(year)04d-%(month)02d-%(day)02d" is ISO 8601
        return lambda values: [v.isoformat() if v.__class__ is date else slow(v) for v in values]
    return lambda values: [slow(v) for v in values]


def encoder(column: sa.Column[Any], dialect: Dialect) -> Encoder | None:
    """The encoder of one value (for values written once per import)."""
    encode = column_encoder(column, dialect)
    return None if encode is None else lambda value: encode([value])[0]


def encode_column(values: list[Any], encode: ColumnEncoder | None) -> list[Any]:
    return values if encode is None else encode(values)
