"""Emptiness: `$empty` and its exact negation `$notEmpty`, for every value kind.

Empty means NULL, and also `''` for text, `[]` or JSON null for arrays and attachments,
JSON null for json, and no related record for to-many relations. The value is ignored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

import sqlalchemy as sa

from deskbase.data.filters.operators.array import json_array_empty, json_null
from deskbase.data.filters.operators.base import Operand, Operator
from deskbase.kernel.types import ValueKind

if TYPE_CHECKING:
    from deskbase.kernel.types import JSONValue

__all__ = ["EmptyOperator", "NotEmptyOperator", "empty"]

_ALL: frozenset[ValueKind] = frozenset(get_args(ValueKind))


def empty(operand: Operand) -> sa.ColumnElement[bool]:
    """The `$empty` condition for the operand's kind; never SQL NULL."""
    if operand.kind == "refs":
        return sa.not_(operand.owner_in())
    col = operand.col
    if operand.kind == "text":
        return sa.or_(col.is_(None), col == "")
    if operand.kind in ("array", "file"):
        return json_array_empty(operand)
    if operand.kind == "json":
        return json_null(operand)
    return col.is_(None)


class EmptyOperator(Operator):
    key = "$empty"
    kinds = _ALL

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return None

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return empty(operand)


class NotEmptyOperator(Operator):
    key = "$notEmpty"
    kinds = _ALL

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        return None

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return sa.not_(empty(operand))
