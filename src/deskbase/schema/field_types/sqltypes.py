"""Column types that behave the same on PostgreSQL and SQLite: UTC timestamps, exact
decimals and JSON values."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql.operators import HAS_ALL, HAS_ANY

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.sql.operators import OperatorType

__all__ = ["ExactDecimal", "JSONValueType", "UTCDateTime", "to_decimal"]


def _is_postgres(dialect: Dialect) -> bool:
    return dialect.name == "postgresql"


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An instant in UTC: `TIMESTAMP WITH TIME ZONE` on PostgreSQL, a naive UTC `DATETIME`
    on SQLite. Binds take aware datetimes (naive ones are read as UTC); results are aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        return dialect.type_descriptor(sa.DateTime(timezone=_is_postgres(dialect)))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UTCDateTime needs a datetime, got {type(value).__name__}")
        utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return utc if _is_postgres(dialect) else utc.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is UTC:  # asyncpg's timestamptz (the common case: no conversion)
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# ASCII digits only: Decimal() alone would also take "1_000", "NaN" and non-Latin digits.
_NUMERIC = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def to_decimal(value: object) -> Decimal:
    """A finite Decimal from a Decimal, int, float or numeric string; ValueError otherwise."""
    if isinstance(value, str):
        if not _NUMERIC.fullmatch(value.strip()):
            raise ValueError(f"not a number: {value!r}")
        return Decimal(value.strip())
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise ValueError(f"not a number: {value!r}")
    # Through str(): Decimal(0.1) would keep the float's binary noise.
    result = value if isinstance(value, Decimal) else Decimal(str(value))
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """An exact decimal with `scale` places: `NUMERIC(p, s)` on PostgreSQL, and on SQLite a
    `BIGINT` holding `value * 10**scale`, so comparisons, sorting and uniqueness stay exact.

    Stored values are quantized to the scale (ROUND_HALF_EVEN); results are Decimals with
    exactly `scale` places. Values compared with the column are not rounded (see
    `coerce_compared_value`), so `col > Decimal("1.555")` means what it says.
    """

    impl = sa.Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision, scale)
        self.precision = precision
        self.scale = scale

    @property
    def quantum(self) -> Decimal:
        return Decimal(1).scaleb(-self.scale)

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if _is_postgres(dialect):
            return dialect.type_descriptor(sa.Numeric(self.precision, self.scale))
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> object:
        if value is None:
            return None
        exact = to_decimal(value).quantize(self.quantum, rounding=ROUND_HALF_EVEN)
        return exact if _is_postgres(dialect) else int(exact.scaleb(self.scale))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if type(value) is Decimal and value.as_tuple().exponent == -self.scale:
            return value  # PostgreSQL's numeric(p, s), already exact
        number = to_decimal(value)
        if not _is_postgres(dialect):
            number = number.scaleb(-self.scale)
        return number.quantize(self.quantum, rounding=ROUND_HALF_EVEN)

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> Any:
        return _ExactDecimalOperand(self.precision, self.scale)


class _ExactDecimalOperand(ExactDecimal):
    """The type of a literal compared with an ExactDecimal column: same storage scale, but
    no rounding, so a value with more places than the column compares correctly."""

    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if _is_postgres(dialect):
            # Unconstrained: asyncpg casts binds to the column type, which would round.
            return dialect.type_descriptor(sa.Numeric())
        return dialect.type_descriptor(sa.BigInteger())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Decimal | int | float | None:
        if value is None:
            return None
        number = to_decimal(value)
        if _is_postgres(dialect):
            return number
        scaled = number.scaleb(self.scale)
        # SQLite compares INTEGER with REAL numerically; only inexact operands need REAL.
        if scaled == scaled.to_integral_value() and abs(scaled) < 2**63:
            return int(scaled)
        return float(scaled)


class JSONValueType(sa.types.TypeDecorator[Any]):
    """A JSON document: `JSONB` on PostgreSQL (so `has_any`/`has_all` work on arrays of
    strings), `JSON` on SQLite."""

    impl = JSONB
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if _is_postgres(dialect):
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(sa.JSON())

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> Any:
        # `?|` and `?&` take a text[]; without this the list would be bound as JSON.
        if op in (HAS_ANY, HAS_ALL):
            return ARRAY(sa.Text())
        return self
