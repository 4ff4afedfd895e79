"""Calendar-day operators: `$dateOn`, `$dateBefore`, `$dateAfter`.

The value is a day (`2024-05-01`, `today`, `-7d`). For a datetime field the day runs from
midnight to midnight in the compile time zone, so `$dateOn` is `start <= col < next start`.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa

from deskbase.data.filters.operators.base import Operand, Operator, positive

if TYPE_CHECKING:
    from deskbase.kernel.types import JSONValue, ValueKind

__all__ = ["DateAfterOperator", "DateBeforeOperator", "DateOnOperator"]

_KINDS: frozenset[ValueKind] = frozenset({"date", "datetime"})
_FIRST, _LAST = date(1, 1, 2), date(9999, 12, 30)


def _start(operand: Operand, day: date) -> Any:
    """The first instant of `day` for a datetime field, the day itself for a date field."""
    if operand.kind == "date":
        return day
    return operand.bind(datetime.combine(day, time(0), tzinfo=operand.tz))


class _DayOperator(Operator):
    kinds = _KINDS

    def coerce(self, operand: Operand, value: JSONValue) -> object:
        day = operand.values.day(value)
        if not _FIRST <= day <= _LAST:  # so that day bounds in any time zone stay in range
            raise operand.values.invalid("the day is out of range")
        return day


class DateOnOperator(_DayOperator):
    key = "$dateOn"

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        day = cast("date", value)
        col = operand.col
        if operand.kind == "date":
            return positive(col, col == day)
        start, end = _start(operand, day), _start(operand, day + timedelta(days=1))
        return positive(col, sa.and_(col >= start, col < end))


class DateBeforeOperator(_DayOperator):
    """Strictly before the day (the day itself excluded)."""

    key = "$dateBefore"

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        return positive(operand.col, operand.col < _start(operand, cast("date", value)))


class DateAfterOperator(_DayOperator):
    """Strictly after the day (the day itself excluded)."""

    key = "$dateAfter"

    def compile(self, operand: Operand, value: object) -> sa.ColumnElement[bool]:
        next_day = cast("date", value) + timedelta(days=1)
        return positive(operand.col, operand.col >= _start(operand, next_day))
