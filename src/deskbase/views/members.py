"""Checks of the plain members of view and dashboard bodies, every problem kept with its path."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any, TypeGuard, TypeVar

from deskbase.kernel.errors import AppError, FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = [
    "MAX_NAME",
    "MAX_POSITION",
    "Problems",
    "is_int",
    "moved",
    "read_body",
    "read_flag",
    "read_name",
    "read_position",
]

MAX_NAME = 200
MAX_POSITION = 1_000_000

E = TypeVar("E", bound=AppError)


class Problems:
    """The problems of one request body, reported together as one 422."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field: str, message: str, code: str) -> None:
        self.errors.append(FieldError(field, message, code))

    def extend(self, errors: Iterable[FieldError]) -> None:
        self.errors.extend(errors)

    def raise_any(self, what: str) -> None:
        if self.errors:
            listed = "; ".join(f"{e.field}: {e.message}" for e in self.errors[:10])
            raise ValidationFailed(f"Invalid {what}: {listed}", errors=self.errors)


def moved(exc: E, prefix: str) -> E:
    """`exc` with its error paths put under `prefix` (`filter.status` → `config.filter.status`)."""
    exc.errors = [replace(e, field=f"{prefix}.{e.field}") for e in exc.errors]
    return exc


def is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def read_body(
    raw: JSONValue,
    problems: Problems,
    *,
    allowed: Iterable[str],
    read_only: Iterable[str] = (),
    required: Iterable[str] = (),
) -> dict[str, Any]:
    """The body as an object; members that cannot be sent, or are missing, are problems."""
    if not isinstance(raw, dict):
        raise ValidationFailed(
            "The body must be a JSON object", errors=[FieldError("body", "an object", "invalid_type")]
        )
    allowed, read_only = set(allowed), set(read_only)
    for key in raw:
        if key in read_only:
            problems.add(key, "cannot be changed", "read_only")
        elif key not in allowed:
            problems.add(key, f"unknown member {key!r}", "unknown_key")
    for key in required:
        if key not in raw:
            problems.add(key, "this member is required", "required")
    return raw


def read_name(value: JSONValue, problems: Problems, where: str = "name") -> str | None:
    if not isinstance(value, str):
        problems.add(where, "a string", "invalid_type")
        return None
    name = value.strip()
    if not name:
        problems.add(where, "may not be empty", "required")
    elif len(name) > MAX_NAME:
        problems.add(where, f"at most {MAX_NAME} characters", "too_long")
    else:
        return name
    return None


def read_flag(value: JSONValue, problems: Problems, where: str) -> bool | None:
    if not isinstance(value, bool):
        problems.add(where, "true or false", "invalid_type")
        return None
    return value


def read_position(value: JSONValue, problems: Problems, where: str = "position") -> int | None:
    if not isinstance(value, int) or isinstance(value, bool):
        problems.add(where, "an integer", "invalid_type")
        return None
    if not -MAX_POSITION <= value <= MAX_POSITION:
        problems.add(where, f"from {-MAX_POSITION} to {MAX_POSITION}", "out_of_range")
        return None
    return value
