"""Text matching: `$includes`, `$notIncludes`, `$startsWith`, `$endsWith`.

Case-insensitive, with LIKE wildcards in the value escaped (`autoescape`); `$eq` stays exact.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from deskbase.data.filters.operators.base import Operand, Operator, negative, positive

__all__ = [
    "EndsWithOperator",
    "IncludesOperator",
    "NotIncludesOperator",
    "StartsWithOperator",
]


def _text(operand: Operand) -> sa.ColumnElement[Any]:
    col = operand.col
    # A text-kind field may sit on a non-string column; LIKE needs string operators.
    return col if isinstance(col.type, sa.String) else sa.type_coerce(col, sa.String())


class IncludesOperator(Operator):
    key = "$includes"
    kinds = frozenset({"text"})

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        col = _text(operand)
        return positive(operand.col, col.icontains(str(value), autoescape=True))


class NotIncludesOperator(Operator):
    key = "$notIncludes"
    kinds = frozenset({"text"})

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        col = _text(operand)
        return negative(operand.col, sa.not_(col.icontains(str(value), autoescape=True)))


class StartsWithOperator(Operator):
    key = "$startsWith"
    kinds = frozenset({"text"})

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        col = _text(operand)
        return positive(operand.col, col.istartswith(str(value), autoescape=True))


class EndsWithOperator(Operator):
    key = "$endsWith"
    kinds = frozenset({"text"})

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        col = _text(operand)
        return positive(operand.col, col.iendswith(str(value), autoescape=True))
