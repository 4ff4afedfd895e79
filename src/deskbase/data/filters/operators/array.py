"""Set operators on lists: `$anyOf`, `$allOf`, `$noneOf`, for `array` and `refs` fields.

An `array` field is a JSON list of strings in its column: JSONB containment operators on
PostgreSQL (`?|`, `?&`), `json_each` on SQLite. A `refs` field (one_to_many, many_to_many)
has no column: it compares the related ids listed by `operand.related`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from deskbase.data.filters.operators.base import Operand, Operator, negative, positive

if TYPE_CHECKING:
    from deskbase.kernel.types import JSONValue, ValueKind

__all__ = [
    "AllOfOperator",
    "AnyOfOperator",
    "NoneOfOperator",
    "json_array_empty",
    "json_null",
]

_KINDS: frozenset[ValueKind] = frozenset({"array", "refs"})


def _jsonb(operand: Operand) -> sa.ColumnElement[Any]:
    # A no-op for a JSONB column; makes a plain JSON one usable with the JSONB operators.
    return sa.cast(operand.col, postgresql.JSONB())


def _any_json(operand: Operand, items: list[object]) -> sa.ColumnElement[bool]:
    if operand.dialect == "postgresql":
        has_any: sa.ColumnElement[bool] = _jsonb(operand).has_any(postgresql.array(items))
        return has_any
    each = sa.func.json_each(operand.col).table_valued("value")
    return sa.exists().where(each.c.value.in_(items))


def _all_json(operand: Operand, items: list[object]) -> sa.ColumnElement[bool]:
    if operand.dialect == "postgresql":
        has_all: sa.ColumnElement[bool] = _jsonb(operand).has_all(postgresql.array(items))
        return has_all
    each = sa.func.json_each(operand.col).table_valued("value")
    found = sa.select(sa.func.count(each.c.value.distinct())).where(each.c.value.in_(items))
    return found.scalar_subquery() == len(items)


def json_array_empty(operand: Operand) -> sa.ColumnElement[bool]:
    """NULL, JSON null or `[]`; never NULL itself, and never an error on a non-array."""
    if operand.dialect == "postgresql":
        col = _jsonb(operand)
        size = sa.case((sa.func.jsonb_typeof(col) == "array", sa.func.jsonb_array_length(col)), else_=0)
        return size == 0
    return sa.func.coalesce(sa.func.json_array_length(operand.col), 0) == 0


def json_null(operand: Operand) -> sa.ColumnElement[bool]:
    """SQL NULL or JSON null (what a JSON column stores for None by default)."""
    if operand.dialect == "postgresql":
        kind = sa.func.jsonb_typeof(_jsonb(operand))
    else:
        kind = sa.func.json_type(operand.col)
    return sa.or_(operand.col.is_(None), kind == "null")


def _items(value: object) -> list[object]:
    return cast("list[object]", value)


class AnyOfOperator(Operator):
    """At least one of the listed values (choice values, or related ids) is present."""

    key = "$anyOf"
    kinds = _KINDS

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.items(value)

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        if operand.kind == "refs":
            return operand.owner_in(operand.related.related.in_(_items(value)))
        return positive(operand.col, _any_json(operand, _items(value)))


class AllOfOperator(Operator):
    """Every listed value is present (others may be too)."""

    key = "$allOf"
    kinds = _KINDS

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.items(value)

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        items = _items(value)
        if operand.kind == "refs":
            pairs = operand.related
            owners = (
                pairs.owners(pairs.related.in_(items))
                .group_by(pairs.owner)
                .having(sa.func.count(pairs.related.distinct()) == len(items))
            )
            return operand.collection.id_column.in_(owners)
        return positive(operand.col, _all_json(operand, items))


class NoneOfOperator(Operator):
    """None of the listed values is present; an empty list or no related record matches."""

    key = "$noneOf"
    kinds = _KINDS

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.items(value)

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        if operand.kind == "refs":
            return sa.not_(operand.owner_in(operand.related.related.in_(_items(value))))
        return negative(operand.col, sa.not_(_any_json(operand, _items(value))))
