"""Measures (count, count_distinct, sum, avg, min, max) as SQL, and their values as JSON.

Sums of decimals are exact on both databases (SQLite sums the scaled integers). An average
is computed from the exact sum and count, so both databases give the same answer: a float
for integers (the correctly rounded quotient), a decimal string with two more places than
the field for decimals (rounded half to even).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from deskbase.data.aggregate.source import field_error
from deskbase.schema.field_types.sqltypes import ExactDecimal, to_decimal

if TYPE_CHECKING:
    from deskbase.data.aggregate.source import Source
    from deskbase.data.aggregate.spec import MeasureSpec
    from deskbase.kernel.types import JSONValue
    from deskbase.schema.model import Field

__all__ = ["AVG_EXTRA_PLACES", "Measure", "build_measure"]

AVG_EXTRA_PLACES = 2
_ORDERED = frozenset({"text", "number", "date", "datetime", "time"})


@dataclass(slots=True)
class Measure:
    key: str
    columns: list[sa.Label[Any]]  # selected; `convert` takes their values in this order
    order: sa.ColumnElement[Any]  # what ORDER BY uses for it
    convert: Callable[[Sequence[Any]], JSONValue]


def build_measure(spec: MeasureSpec, index: int, source: Source) -> Measure:
    """The SQL of one measure; raises ValidationFailed on `spec.where`."""
    name = f"_m{index}"
    if spec.path is None:
        count = sa.func.count().label(name)
        return Measure(spec.key, [count], count, _int)
    col, fld = source.column(spec.path, spec.where)
    kind = fld.value_kind
    if spec.func in ("count", "count_distinct"):
        arg = sa.distinct(col) if spec.func == "count_distinct" else col
        label = sa.func.count(arg).label(name)
        return Measure(spec.key, [label], label, _int)
    if spec.func in ("min", "max"):
        if kind not in _ORDERED:
            raise _unsupported(spec, fld, "numbers, dates, times and text")
        label = (sa.func.min(col) if spec.func == "min" else sa.func.max(col)).label(name)
        return Measure(spec.key, [label], label, _stored(fld))
    if kind != "number":
        raise _unsupported(spec, fld, "numbers")
    total = sa.func.sum(col).label(name)
    if spec.func == "sum":
        return Measure(spec.key, [total], total, lambda v: _sum(col.type, fld, v[0]))
    count = sa.func.count(col).label(f"{name}n")
    return Measure(spec.key, [total, count], sa.func.avg(col), lambda v: _average(col.type, v[0], v[1]))


def _unsupported(spec: MeasureSpec, fld: Field, what: str) -> Exception:
    message = f"{spec.func} applies to {what}; {fld.name!r} is a {fld.type.key} field"
    return field_error(spec.where, message, "measure_not_supported")


def _int(values: Sequence[Any]) -> JSONValue:
    return int(values[0] or 0)


def _stored(fld: Field) -> Callable[[Sequence[Any]], JSONValue]:
    def convert(values: Sequence[Any]) -> JSONValue:
        return None if values[0] is None else fld.type.to_api(values[0], fld.options)

    return convert


def _sum(col_type: Any, fld: Field, value: Any) -> JSONValue:
    if value is None:
        return None
    if isinstance(col_type, ExactDecimal):
        return fld.type.to_api(value, fld.options)
    if isinstance(col_type, sa.Integer):
        return int(value)  # PostgreSQL sums BIGINT as NUMERIC
    return float(value)


def _average(col_type: Any, total: Any, count: Any) -> JSONValue:
    if total is None or not count:
        return None
    if isinstance(col_type, ExactDecimal):
        places = col_type.scale + AVG_EXTRA_PLACES
        scaled = to_decimal(total).scaleb(places)  # an integer: the sum has `scale` places
        return format(Decimal(_round_half_even(int(scaled), int(count))).scaleb(-places), "f")
    if isinstance(col_type, sa.Integer):
        return int(total) / int(count)  # int / int is correctly rounded
    return float(total) / int(count)


def _round_half_even(num: int, den: int) -> int:
    quotient, rest = divmod(num, den)  # floor division: 0 <= rest < den
    if 2 * rest > den or (2 * rest == den and quotient % 2):
        quotient += 1
    return quotient
