"""Equality operators: `$eq`, `$ne`, `$in`, `$notIn`."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from deskbase.data.filters.operators.base import Operand, Operator, negative, positive

if TYPE_CHECKING:
    import sqlalchemy as sa

    from deskbase.kernel.types import JSONValue, ValueKind

__all__ = ["EqOperator", "InOperator", "NeOperator", "NotInOperator"]

_KINDS: frozenset[ValueKind] = frozenset({"text", "number", "bool", "date", "datetime", "time", "ref"})
_LISTED: frozenset[ValueKind] = _KINDS - {"bool"}  # a list of booleans says nothing new


class EqOperator(Operator):
    """Exact equality (case-sensitive for text)."""

    key = "$eq"
    kinds = _KINDS

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return positive(operand.col, operand.col == operand.bind(value))


class NeOperator(Operator):
    """Not equal; a NULL value is not equal to anything."""

    key = "$ne"
    kinds = _KINDS

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return negative(operand.col, operand.col != operand.bind(value))


class InOperator(Operator):
    key = "$in"
    kinds = _LISTED

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.items(value)

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        items = [operand.bind(item) for item in cast("list[object]", value)]
        return positive(operand.col, operand.col.in_(items))


class NotInOperator(Operator):
    key = "$notIn"
    kinds = _LISTED

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.items(value)

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        items = [operand.bind(item) for item in cast("list[object]", value)]
        return negative(operand.col, operand.col.not_in(items))
