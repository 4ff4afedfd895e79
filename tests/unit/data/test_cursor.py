"""Cursors round-trip typed values and refuse tampering or a changed sort."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime
from decimal import Decimal

import orjson
import pytest

from deskbase.data.cursor import decode_cursor, encode_cursor
from deskbase.kernel.errors import InvalidCursor


def test_round_trip() -> None:
    values: list[object] = [
        datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        date(2026, 1, 2),
        Decimal("1.50"),
        None,
        7,
        "x",
    ]
    assert decode_cursor("sort", encode_cursor("sort", values)) == values


def test_refuses_other_sort_and_garbage() -> None:
    cursor = encode_cursor("a", [1])
    with pytest.raises(InvalidCursor):
        decode_cursor("b", cursor)
    for bad in ("", "!!!", "eyJ4IjoxfQ", cursor[:-3]):
        with pytest.raises(InvalidCursor):
            decode_cursor("a", bad)


def test_depth_is_the_first_key_the_next_row_differs_on() -> None:
    cursor = encode_cursor("s", ["a", 1, 7], ["a", 2, 5])
    values = decode_cursor("s", cursor)
    assert values == ["a", 1, 7]
    assert values.depth == 1
    assert decode_cursor("s", encode_cursor("s", [None, 7], [None, 5])).depth == 1
    assert decode_cursor("s", encode_cursor("s", [None, 7], ["b", 5])).depth == 0
    assert decode_cursor("s", encode_cursor("s", ["a", 7])).depth is None  # not known


def test_refuses_a_bad_depth() -> None:
    good = orjson.loads(base64.urlsafe_b64decode(encode_cursor("s", [1, 2]) + "=="))
    for depth in (-1, 2, "0", 1.0, True):
        raw = orjson.dumps({**good, "d": depth})
        with pytest.raises(InvalidCursor):
            decode_cursor("s", base64.urlsafe_b64encode(raw).decode().rstrip("="))
