"""Opaque keyset cursors: the last row's sort values, tied to the sort they came from."""

from __future__ import annotations

import base64
import hashlib
from datetime import date, datetime, time
from decimal import Decimal

import orjson

from deskbase.kernel.errors import InvalidCursor

__all__ = ["decode_cursor", "encode_cursor"]


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


def encode_cursor(sort_key: str, values: list[object]) -> str:
    payload = orjson.dumps({"s": _sig(sort_key), "v": [_tag(v) for v in values]})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(sort_key: str, cursor: str) -> list[object]:
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        sig, values = raw["s"], raw["v"]
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidCursor("The cursor is malformed") from exc
    if sig != _sig(sort_key):
        raise InvalidCursor("The cursor belongs to another sort order; start again without it")
    if not isinstance(values, list):
        raise InvalidCursor("The cursor is malformed")
    try:
        return [_untag(v) for v in values]
    except ValueError as exc:
        raise InvalidCursor("The cursor is malformed") from exc
