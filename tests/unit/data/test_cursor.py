"""Cursors round-trip typed values and refuse tampering or a changed sort."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

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
