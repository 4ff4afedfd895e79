"""The aggregation request: group keys, measures, order and limit, parsed from query strings.

Parsing is syntax only; the service checks names and kinds against the collection.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from deskbase.kernel.errors import FieldError
from deskbase.kernel.types import JSONValue

__all__ = [
    "DEFAULT_LIMIT",
    "MAX_GROUPS",
    "MAX_LIMIT",
    "AggregateQuery",
    "GroupSpec",
    "MeasureSpec",
    "OrderSpec",
    "Unit",
    "parse_groups",
    "parse_measures",
    "parse_order",
]

MAX_GROUPS = 3
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000

Unit = Literal["day", "week", "month", "quarter", "year"]
Func = Literal["count", "count_distinct", "sum", "avg", "min", "max"]
UNITS: tuple[str, ...] = get_args(Unit)
FUNCS: tuple[str, ...] = get_args(Func)


@dataclass(frozen=True, slots=True)
class AggregateQuery:
    """`GET /api/data/{c}/aggregate` as the service takes it; lists are already split."""

    group_by: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    filter: JSONValue = None
    order: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    tz: str | None = None


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """`created_at:month`: `key` is the spec as sent (and the row's key in the answer)."""

    key: str
    path: str
    unit: Unit | None
    where: str  # `group_by.0`, for errors


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """`sum:amount`; `path` is None for a plain `count`."""

    key: str
    func: Func
    path: str | None
    where: str  # `measures.1`


@dataclass(frozen=True, slots=True)
class OrderSpec:
    key: str  # a group key or a measure key
    descending: bool
    where: str  # `order.0`


def parse_groups(raw: tuple[str, ...], errors: list[FieldError]) -> list[GroupSpec]:
    if len(raw) > MAX_GROUPS:
        errors.append(FieldError("group_by", f"at most {MAX_GROUPS} group keys", "too_many"))
    out: list[GroupSpec] = []
    for i, key in enumerate(raw[:MAX_GROUPS]):
        where = f"group_by.{i}"
        path, _, unit = key.partition(":")
        if unit and unit not in UNITS:
            message = f"unknown date bucket {unit!r}; use one of {', '.join(UNITS)}"
            errors.append(FieldError(where, message, "invalid_value"))
            continue
        out.append(GroupSpec(key, path, unit or None, where))  # type: ignore[arg-type]
    return out


def parse_measures(raw: tuple[str, ...], errors: list[FieldError]) -> list[MeasureSpec]:
    out: list[MeasureSpec] = []
    for i, key in enumerate(raw or ("count",)):
        where = f"measures.{i}"
        func, sep, path = key.partition(":")
        if func not in FUNCS:
            message = f"unknown measure {func!r}; use one of {', '.join(FUNCS)}"
            errors.append(FieldError(where, message, "invalid_value"))
        elif func != "count" and not path:
            errors.append(FieldError(where, f"{func} needs a field: {func}:<field>", "invalid_value"))
        elif sep and not path:
            errors.append(FieldError(where, "empty field name", "invalid_value"))
        else:
            out.append(MeasureSpec(key, func, path or None, where))  # type: ignore[arg-type]
    return out


def parse_order(raw: tuple[str, ...], known: set[str], errors: list[FieldError]) -> list[OrderSpec]:
    """Order keys must name a group key or a measure of the same request."""
    out: list[OrderSpec] = []
    for i, item in enumerate(raw):
        where = f"order.{i}"
        descending = item.startswith("-")
        key = item.lstrip("-+")
        if key not in known:
            message = f"{key!r} is neither a group key nor a measure of this request"
            errors.append(FieldError(where, message, "invalid_value"))
            continue
        if any(o.key == key for o in out):
            errors.append(FieldError(where, f"{key!r} is ordered on twice", "duplicate"))
            continue
        out.append(OrderSpec(key, descending, where))
    return out
