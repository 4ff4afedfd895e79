"""Ordering operators: `$gt`, `$gte`, `$lt`, `$lte`, `$between`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from deskbase.data.filters.operators.base import Operand, Operator, positive

if TYPE_CHECKING:
    from deskbase.kernel.types import JSONValue, ValueKind

__all__ = [
    "BetweenOperator",
    "GtOperator",
    "GteOperator",
    "LtOperator",
    "LteOperator",
]

_ORDERED: frozenset[ValueKind] = frozenset({"number", "date", "datetime", "time"})
_COMPARED: frozenset[ValueKind] = frozenset({"text", "number", "date", "datetime", "time"})


class GtOperator(Operator):
    key = "$gt"
    kinds = _COMPARED

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return positive(operand.col, operand.col > operand.bind(value))


class GteOperator(Operator):
    key = "$gte"
    kinds = _COMPARED

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return positive(operand.col, operand.col >= operand.bind(value))


class LtOperator(Operator):
    key = "$lt"
    kinds = _COMPARED

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return positive(operand.col, operand.col < operand.bind(value))


class LteOperator(Operator):
    key = "$lte"
    kinds = _COMPARED

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return positive(operand.col, operand.col <= operand.bind(value))


class BetweenOperator(Operator):
    """`[low, high]`, both ends included."""

    key = "$between"
    kinds = _ORDERED

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return operand.values.pair(value)

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        low, high = cast("tuple[Any, Any]", value)
        col = operand.col
        return positive(col, sa.and_(col >= operand.bind(low), col <= operand.bind(high)))
