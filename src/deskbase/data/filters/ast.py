"""The parsed filter tree (syntax only: paths and operator keys are checked at compile time)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["MATCH_ALL", "And", "Condition", "FilterNode", "Not", "Or", "filter_error"]


@dataclass(frozen=True, slots=True)
class Condition:
    """`{path: {op: value}}`: `path` is a field name or a dotted relation path."""

    path: str
    op: str
    value: JSONValue


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[FilterNode, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[FilterNode, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: FilterNode


FilterNode: TypeAlias = "And | Or | Not | Condition"

# The empty filter: no condition at all (`{}` or None).
MATCH_ALL = And(())


def filter_error(field: str, message: str, code: str) -> ValidationFailed:
    """The one shape of every filter error: a 422 naming `field` (`filter` or `filter.<path>`)."""
    return ValidationFailed("Invalid filter", errors=[FieldError(field, message, code)])
