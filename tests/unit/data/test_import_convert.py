"""Import conversion without a database: cell parsers, column converters, column encoders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite
from sqlalchemy.dialects.postgresql import asyncpg

from deskbase.data.imports.cells import (
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_integer,
    parse_time,
)
from deskbase.data.imports.convert import column_converter, split_list
from deskbase.data.imports.encode import column_encoder, encode_column
from deskbase.data.imports.source import detect_encoding
from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.registry import Registry
from deskbase.schema.build import FieldRow, make_field
from deskbase.schema.field_types import builtin_field_types
from deskbase.schema.field_types.base import FieldType
from deskbase.schema.field_types.sqltypes import ExactDecimal, JSONValueType, UTCDateTime
from deskbase.schema.model import Field

TYPES: Registry[FieldType[Any]] = Registry("field type")
for _ftype in builtin_field_types():
    TYPES.register(_ftype)


def field(type_: str, **spec: Any) -> Field:
    return make_field(FieldRow("things", "f", type_, spec), TYPES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), (" -7 ", -7), ("1,234", 1234), ("12.0", 12), (5.0, 5), ("¥1,000", 1000), (3, 3)],
)
def test_integers(text: object, expected: int) -> None:
    assert parse_integer(text) == expected


@pytest.mark.parametrize("text", ["1.5", "abc", "", True])
def test_bad_integers(text: object) -> None:
    with pytest.raises(FieldValueError):
        parse_integer(text)


@pytest.mark.parametrize(
    ("text", "percent", "expected"),
    [
        ("1,234.50", False, "1234.50"),
        ("¥ 12", False, "12"),
        ("(1,000.25)", False, "-1000.25"),
        ("12%", True, "0.12"),
        ("12.5\uff05", True, "0.125"),
        ("0.5", True, "0.5"),
        (0.1, False, "0.1"),
        (7, False, "7"),
    ],
)
def test_decimals(text: object, percent: bool, expected: str) -> None:
    assert parse_decimal(text, percent) == Decimal(expected)


@pytest.mark.parametrize(("text", "percent"), [("12%", False), ("NaN", False), ("x", True), (True, False)])
def test_bad_decimals(text: object, percent: bool) -> None:
    with pytest.raises(FieldValueError):
        parse_decimal(text, percent)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23", date(2026, 11, 23)),
        ("2026/11/23", date(2026, 11, 23)),
        ("2026.1.2", date(2026, 1, 2)),
        ("2026年11月23日", date(2026, 11, 23)),
        ("2026 年 1 月 2 日", date(2026, 1, 2)),
        ("46349", date(2026, 11, 23)),
        (46349, date(2026, 11, 23)),
        (datetime(2026, 11, 23, 8, 0), date(2026, 11, 23)),
    ],
)
def test_dates(text: object, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["2026-02-30", "2026", "23/11/2026", "2026-11-23 08:00", "soon"])
def test_bad_dates(text: str) -> None:
    with pytest.raises(FieldValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23T08:30:00Z", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("2026-11-23 08:30", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("2026-11-23T08:30:00+08:00", datetime(2026, 11, 23, 0, 30, tzinfo=UTC)),
        ("2026/11/23 8:30:15", datetime(2026, 11, 23, 8, 30, 15, tzinfo=UTC)),
        ("2026年11月23日 8时30分", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("2026年11月23日", datetime(2026, 11, 23, tzinfo=UTC)),
        (46349.25, datetime(2026, 11, 23, 6, 0, tzinfo=UTC)),
        (datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
        (date(2026, 11, 23), datetime(2026, 11, 23, tzinfo=UTC)),
    ],
)
def test_datetimes(text: object, expected: datetime) -> None:
    got = parse_datetime(text)
    assert got == expected
    assert got.tzinfo is UTC


def test_datetimes_out_of_range_are_errors() -> None:
    with pytest.raises(FieldValueError):
        parse_datetime("0001-01-01T00:00:00+01:00")
    values, errors = _convert(field("datetime"), ["0001-01-01T00:00:00+01:00", "2026-01-01"])
    assert values == [None, datetime(2026, 1, 1, tzinfo=UTC)]
    assert [(i, code) for i, _, code in errors] == [(0, "out_of_range")]


def test_datetimes_without_offset_use_the_zone() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    assert parse_datetime("2026-11-23 08:00", shanghai) == datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
    assert parse_datetime("2026-11-23T08:00Z", shanghai) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    offset = timezone(timedelta(hours=-5))
    assert parse_datetime(datetime(2026, 1, 1, tzinfo=offset)) == datetime(2026, 1, 1, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08:30", time(8, 30)), ("8:05:09", time(8, 5, 9)), ("8时30分", time(8, 30)), (0.5, time(12, 0))],
)
def test_times(text: object, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("Yes", True), ("是", True), ("✓", True), ("1", True), (1, True),
     ("false", False), ("NO", False), ("否", False), ("0", False), (False, False)],
)  # fmt: skip
def test_booleans(text: object, expected: bool) -> None:
    assert parse_bool(text) is expected


def test_list_cells_split_on_ascii_and_full_width_separators() -> None:
    assert split_list("a, b\uff0cc;d\uff1b e\u3001f") == ["a", "b", "c", "d", "e", "f"]


def _convert(fld: Field, cells: list[object]) -> tuple[list[object], list[tuple[int, str, str]]]:
    return column_converter(fld, UTC)(cells)


def test_a_column_converts_what_it_can_and_names_each_bad_cell() -> None:
    values, errors = _convert(
        field("decimal", options={"precision": 6, "scale": 2}), ["1.005", "", None, "1e9", "x"]
    )
    assert values == [Decimal("1.00"), None, None, None, None]
    assert [(i, code) for i, _, code in errors] == [(3, "out_of_range"), (4, "invalid_format")]


def test_values_that_break_a_parser_are_cell_errors() -> None:
    values, errors = _convert(field("integer"), ["9" * 5000, "12"])  # int() refuses 5,000 digits
    assert values == [None, 12]
    assert [(i, code) for i, _, code in errors] == [(0, "invalid_format")]


def test_strings_keep_their_text_and_check_their_length() -> None:
    values, errors = _convert(
        field("string", options={"max_length": 3}), ["abc", "  ", "abcd", 12, 1.0, "a\x00"]
    )
    assert values == ["abc", None, None, "12", "1", None]
    assert [(i, code) for i, _, code in errors] == [(2, "too_long"), (5, "invalid_format")]


def test_select_by_value_label_or_case() -> None:
    options = {"choices": [{"value": "high", "label": "高"}, {"value": "low", "label": "Low"}]}
    values, errors = _convert(field("select", options=options), ["high", "高", "LOW", "low ", "medium"])
    assert values == ["high", "high", "low", "low", None]
    assert [(i, code) for i, _, code in errors] == [(4, "invalid_choice")]
    multi, _ = _convert(field("multi_select", options=options), ["Low, 高", "高\uff0chigh"])
    assert multi == [["high", "low"], ["high"]]


def test_other_types_go_through_to_db() -> None:
    values, errors = _convert(field("email"), ["A@Example.com", "nope"])
    assert values == ["A@example.com", None]
    assert errors[0][0] == 1
    json_values, _ = _convert(field("json"), ['{"a": [1, 2]}'])
    assert json_values == [{"a": [1, 2]}]


def _processed(ctype: sa.types.TypeEngine[Any], dialect: sa.Dialect, values: list[Any]) -> list[Any]:
    processor = ctype.dialect_impl(dialect).bind_processor(dialect)
    return [processor(v) for v in values] if processor else values


@pytest.mark.parametrize("dialect", [sqlite.dialect(), asyncpg.dialect()], ids=["sqlite", "postgresql"])
@pytest.mark.parametrize(
    ("ctype", "values"),
    [
        (
            UTCDateTime(),
            [datetime(2026, 11, 23, 8, 30, 1, 5, tzinfo=UTC), datetime(999, 1, 1, tzinfo=UTC), None],
        ),
        (ExactDecimal(12, 2), [Decimal("1234.50"), Decimal("-0.01"), Decimal("0.00"), None]),
        (sa.Date(), [date(2026, 11, 23), date(5, 1, 1), None]),
        (JSONValueType(), [["a", "b"], None]),
        (sa.Boolean(), [True, False, None]),
    ],
)
def test_encoders_give_what_sqlalchemy_gives(
    ctype: sa.types.TypeEngine[Any], values: list[Any], dialect: Any
) -> None:
    column = sa.Column("c", ctype)
    assert encode_column(values, column_encoder(column, dialect)) == _processed(ctype, dialect, values)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("标题\n".encode("utf-8-sig"), "utf-8-sig"),
        ("标题\n".encode(), "utf-8"),
        ("标题\n".encode("gb18030"), "gb18030"),
        ("标题\n".encode("utf-16"), "utf-16"),
        ("标题".encode()[:-1], "utf-8"),  # a sample cut inside a character is still UTF-8
    ],
)
def test_encoding_detection(sample: bytes, expected: str) -> None:
    assert detect_encoding(sample) == expected
