"""The filter-operator contract, and the operand and NULL guards every operator shares.

Conditions use two-valued logic so that `$not` is exact: a compiled condition is never SQL
NULL. A positive comparison is `col IS NOT NULL AND …` (`positive`), a negative one
`col IS NULL OR …` (`negative`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa

from deskbase.kernel.errors import AppError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from deskbase.data.filters.values import ValueContext
    from deskbase.kernel.types import JSONValue, ValueKind
    from deskbase.schema.model import Collection, Field

__all__ = ["Operand", "Operator", "RelatedPairs", "negative", "positive"]


@dataclass(frozen=True, slots=True)
class RelatedPairs:
    """Rows pairing an owner id with a related id: a many_to_many's junction
    (`source_id`, `target_id`), or a one_to_many's target table (`<inverse>`, `id`)."""

    owner: sa.ColumnElement[Any]
    related: sa.ColumnElement[Any]

    def owners(self, *where: sa.ColumnElement[bool]) -> sa.Select[tuple[Any]]:
        """`SELECT owner FROM … WHERE owner IS NOT NULL AND <where>`: safe inside NOT IN.

        Uncorrelated, so that a relation of a collection to itself keeps its own FROM.
        """
        condition = sa.and_(sa.true(), *where)
        return sa.select(self.owner).where(positive(self.owner, condition)).correlate(None)


@dataclass(frozen=True, slots=True)
class Operand:
    """What a condition compares: one field of `collection`, after the path was resolved.

    `column` is None for a to-many relation (kind `refs`), which has `pairs` instead.
    `values` coerces the JSON operand for the field's kind and names it in errors.
    """

    field: Field
    collection: Collection
    column: sa.ColumnElement[Any] | None
    dialect: str
    values: ValueContext
    pairs: RelatedPairs | None = None

    @property
    def kind(self) -> ValueKind:
        return self.values.kind

    @property
    def tz(self) -> ZoneInfo:
        return self.values.tz

    @property
    def col(self) -> sa.ColumnElement[Any]:
        if self.column is None:
            raise AppError(f"Field {self.field.name!r} has no column to filter on")
        return self.column

    @property
    def related(self) -> RelatedPairs:
        if self.pairs is None:
            raise AppError(f"Field {self.field.name!r} has no related records")
        return self.pairs

    def owner_in(self, *where: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
        """`id IN (owners of related rows matching where)`, for `refs` fields."""
        return self.collection.id_column.in_(self.related.owners(*where))

    def bind(self, value: object) -> Any:
        """`value` ready to compare with the column; the column's type still binds it.

        Datetimes go to UTC (naive for a plain naive DateTime column). A fraction compared
        with an integer column is bound as NUMERIC, so `int_col < 2.5` neither truncates
        nor fails to bind; other types (such as exact decimals) bind their own operands.
        """
        col_type = self.col.type
        if isinstance(value, datetime):
            utc = value.astimezone(UTC)
            naive = isinstance(col_type, sa.DateTime) and not col_type.timezone
            return utc.replace(tzinfo=None) if naive else utc
        if isinstance(value, Decimal) and isinstance(col_type, sa.Integer):
            return sa.literal(value, sa.Numeric())
        return value


def positive(col: sa.ColumnElement[Any], cond: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """`col IS NOT NULL AND cond` (no guard for a NOT NULL column)."""
    if getattr(col, "nullable", True) is False:
        return cond
    return sa.and_(col.is_not(None), cond)


def negative(col: sa.ColumnElement[Any], cond: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    """`col IS NULL OR cond` (no guard for a NOT NULL column)."""
    if getattr(col, "nullable", True) is False:
        return cond
    return sa.or_(col.is_(None), cond)


class Operator(ABC):
    """A filter operator: `{"field": {key: value}}` compiled to a SQLAlchemy condition.

    - `key`: the persisted name, `$` included (`"$includes"`), the same in API and UI.
    - `kinds`: the value kinds (`field.value_kind`) it applies to; never field-type names.
    - `coerce`: turn the JSON operand into Python values (default: one scalar of the kind);
      raise through `operand.values.invalid(...)` so the error names the filter path.
    - `compile`: build the condition; it must never be SQL NULL (see `positive`/`negative`).

    ```python
    class IncludesOperator(Operator):
        key = "$includes"
        kinds = frozenset({"text"})

        def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
            col = operand.col
            return positive(col, col.icontains(str(value), autoescape=True))

    operators: Registry[Operator] = Registry("filter operator")
    operators.register(IncludesOperator())
    ```
    """

    key: ClassVar[str]
    kinds: ClassVar[frozenset[ValueKind]]

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.scalar(value)

    @abstractmethod
    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        """`value` is what `coerce` returned; pass values through `operand.bind`."""
