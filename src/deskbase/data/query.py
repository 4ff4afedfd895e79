"""The list query: filter, search, sort, projection, appends and paging, parsed from request strings."""

from __future__ import annotations

from dataclasses import dataclass, field

import orjson

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["ListQuery", "SortKey", "parse_filter_param", "parse_list", "parse_sort"]


@dataclass(frozen=True, slots=True)
class SortKey:
    path: str
    descending: bool = False


@dataclass(frozen=True, slots=True)
class ListQuery:
    filter: JSONValue = None
    sort: tuple[SortKey, ...] = ()
    fields: tuple[str, ...] | None = None
    appends: tuple[str, ...] = ()
    page: int = 1
    page_size: int = 20
    cursor: str | None = None
    count: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    q: str | None = None  # full-text search (data/search.py)


def parse_filter_param(raw: str | None) -> JSONValue:
    if raw is None or not raw.strip():
        return None
    try:
        value: JSONValue = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed(
            "The filter is not valid JSON",
            errors=[FieldError("filter", f"invalid JSON: {exc}", "invalid_json")],
        ) from None
    return value


def parse_sort(raw: str | None) -> tuple[SortKey, ...]:
    keys = []
    for part in parse_list(raw):
        desc = part.startswith("-")
        path = part.lstrip("-+")
        if not path:
            raise ValidationFailed(
                "Empty sort key", errors=[FieldError("sort", "empty sort key", "invalid_value")]
            )
        keys.append(SortKey(path, desc))
    return tuple(keys)


def parse_list(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(p.strip() for p in raw.split(",") if p.strip())
