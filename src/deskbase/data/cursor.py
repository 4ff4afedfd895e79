"""Opaque keyset cursors: the last row's sort values, tied to the sort they came from, and
how far the next row was tied with it (so that a page need not look for ties that were not
there)."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, time
from decimal import Decimal

import orjson

from deskbase.kernel.errors import InvalidCursor

__all__ = ["CursorValues", "decode_cursor", "encode_cursor"]


class CursorValues(list[object]):
    """A decoded cursor's sort values. `depth`: the first sort key on which the row after
    the cursor's differed from it when the page was read (None: not known)."""

    depth: int | None = None


def _sig(sort_key: str) -> str:
    return hashlib.sha1(sort_key.encode()).hexdigest()[:10]


def _tag(value: object) -> object:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, time):
        return {"t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    return value


def _untag(value: object) -> object:
    if isinstance(value, dict) and len(value) == 1:
        ((kind, raw),) = value.items()
        if not isinstance(raw, str):
            raise InvalidCursor("The cursor is malformed")
        parse = {
            "dt": datetime.fromisoformat,
            "d": date.fromisoformat,
            "t": time.fromisoformat,
            "n": Decimal,
        }
        if kind in parse:
            return parse[kind](raw)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise InvalidCursor("The cursor is malformed")


def encode_cursor(sort_key: str, values: list[object], following: list[object] | None = None) -> str:
    """The cursor after a row with sort values `values`; `following` are those of the row
    read after it, if any."""
    body: dict[str, object] = {"s": _sig(sort_key), "v": [_tag(v) for v in values]}
    if following is not None:
        body["d"] = next((i for i, (a, b) in enumerate(zip(values, following, strict=True)) if a != b), None)
    payload = orjson.dumps(body)
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(sort_key: str, cursor: str) -> CursorValues:
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        sig, values = raw["s"], raw["v"]
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidCursor("The cursor is malformed") from exc
    if sig != _sig(sort_key):
        raise InvalidCursor("The cursor belongs to another sort order; start again without it")
    depth = raw.get("d")
    if not isinstance(values, list) or not (
        depth is None or (type(depth) is int and 0 <= depth < len(values))
    ):
        raise InvalidCursor("The cursor is malformed")
    try:
        out = CursorValues(_untag(v) for v in values)
    except ValueError as exc:
        raise InvalidCursor("The cursor is malformed") from exc
    out.depth = depth
    return out
