"""Filter values: variables, relative dates and coercion by value kind."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from deskbase.data.filters.values import MAX_ITEMS, ValueContext, substitute
from deskbase.kernel.errors import ValidationFailed
from deskbase.kernel.types import JSONValue, ValueKind

NOW = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)
SHANGHAI = ZoneInfo("Asia/Shanghai")  # NOW is 2024-04-01 06:30 there
UTC_ZONE = ZoneInfo("UTC")


def ctx(kind: ValueKind, tz: ZoneInfo = UTC_ZONE) -> ValueContext:
    return ValueContext(kind, NOW, tz, "filter.x")


def test_substitute_keeps_the_type() -> None:
    variables: dict[str, JSONValue] = {"currentUser": {"id": 7, "email": "a@b.c"}, "now": "N"}
    assert substitute("{{ currentUser.id }}", variables, "w") == 7
    assert substitute("{{currentUser.email}}", variables, "w") == "a@b.c"
    assert substitute(["{{now}}", 1, {"id": "{{currentUser.id}}"}], variables, "w") == [
        "N",
        1,
        {"id": 7},
    ]
    assert substitute("hello {{now}}!", variables, "w") == "hello {{now}}!"


@pytest.mark.parametrize("value", ["{{ missing }}", "{{currentUser.name}}", "{{now.x}}", "{{ 1+1 }}"])
def test_unknown_variables(value: str) -> None:
    variables: dict[str, JSONValue] = {"currentUser": {"id": 7}, "now": "N"}
    with pytest.raises(ValidationFailed) as info:
        substitute(value, variables, "filter.assignee")
    [error] = info.value.errors
    assert (error.field, error.code) == ("filter.assignee", "unknown_variable")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", datetime(2024, 3, 31, 22, 30)),
        ("today", datetime(2024, 3, 31)),
        ("yesterday", datetime(2024, 3, 30)),
        ("tomorrow", datetime(2024, 4, 1)),
        ("-7d", datetime(2024, 3, 24, 22, 30)),
        ("+2h", datetime(2024, 4, 1, 0, 30)),
        ("-1w", datetime(2024, 3, 24, 22, 30)),
        ("-1m", datetime(2024, 2, 29, 22, 30)),  # the day is clamped to the month's end
        ("+1m", datetime(2024, 4, 30, 22, 30)),
        ("-13m", datetime(2023, 2, 28, 22, 30)),
        ("+1y", datetime(2025, 3, 31, 22, 30)),
        ("3d", datetime(2024, 4, 3, 22, 30)),
    ],
)
def test_relative_dates_in_utc(text: str, expected: datetime) -> None:
    moment = ctx("datetime").relative(text)
    assert moment is not None
    assert moment == expected.replace(tzinfo=UTC)


def test_relative_dates_follow_the_time_zone() -> None:
    today = ctx("datetime", SHANGHAI).relative("today")
    assert today == datetime(2024, 4, 1, tzinfo=SHANGHAI)
    assert ctx("date", SHANGHAI).scalar("today") == date(2024, 4, 1)
    assert ctx("date").scalar("today") == date(2024, 3, 31)
    assert ctx("datetime", SHANGHAI).scalar("today") == datetime(2024, 3, 31, 16, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("text", "abc", "abc"),
        ("text", 12, "12"),
        ("number", 3, 3),
        ("number", 3.0, 3),
        ("number", "42", 42),
        ("number", 2.5, Decimal("2.5")),
        ("number", " 0.10 ", Decimal("0.10")),
        ("number", 2**70, Decimal(2**70)),
        ("bool", True, True),
        ("date", "2024-05-01", date(2024, 5, 1)),
        ("date", "2024-05-01T20:00:00-08:00", date(2024, 5, 2)),
        ("date", "-1d", date(2024, 3, 30)),
        ("datetime", "2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("datetime", "2024-05-01T10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("datetime", "2024-05-01T10:00:00+02:00", datetime(2024, 5, 1, 8, tzinfo=UTC)),
        ("datetime", "2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("time", "09:30", time(9, 30)),
        ("ref", 5, 5),
        ("ref", "5", 5),
        ("ref", {"id": 5}, 5),
        ("refs", {"id": 6}, 6),
        ("array", "hw", "hw"),
    ],
)
def test_coercion(kind: ValueKind, value: JSONValue, expected: object) -> None:
    coerced = ctx(kind).scalar(value)
    assert coerced == expected
    assert type(coerced) is type(expected)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("text", True),
        ("text", {"a": 1}),
        ("number", True),
        ("number", "abc"),
        ("number", "NaN"),
        ("number", float("inf")),
        ("number", "1e999999999999"),
        ("number", [1]),
        ("bool", "true"),
        ("bool", 1),
        ("date", "2024-02-30"),
        ("date", 20240501),
        ("date", "+999999y"),
        ("datetime", "soon"),
        ("datetime", "0001-01-01T00:00:00+05:00"),
        ("time", "25:00"),
        ("ref", True),
        ("ref", "x1"),
        ("ref", 2**64),
        ("ref", {"id": 1, "x": 2}),
        ("array", 1),
        ("json", {}),
        ("file", 1),
        ("text", None),
    ],
)
def test_bad_values(kind: ValueKind, value: JSONValue) -> None:
    with pytest.raises(ValidationFailed) as info:
        ctx(kind).scalar(value)
    [error] = info.value.errors
    assert (error.field, error.code) == ("filter.x", "invalid_value")


def test_items() -> None:
    assert ctx("number").items([1, "1", 2]) == [1, 2]
    too_many: JSONValue = list(range(MAX_ITEMS + 1))
    bads: list[JSONValue] = [[], 1, too_many, [1, None]]
    for bad in bads:
        with pytest.raises(ValidationFailed):
            ctx("number").items(bad)


def test_pair_and_day() -> None:
    assert ctx("number").pair([1, "2"]) == (1, 2)
    with pytest.raises(ValidationFailed):
        ctx("number").pair([1])
    assert ctx("datetime").day("yesterday") == date(2024, 3, 30)
    assert ctx("datetime", SHANGHAI).day("now") == date(2024, 4, 1)
    with pytest.raises(ValidationFailed):
        ctx("datetime").day(5)
