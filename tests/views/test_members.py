"""The plain members of view and dashboard bodies."""

from __future__ import annotations

import pytest

from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.views.members import Problems, moved, read_body, read_flag, read_name, read_position


def test_body_members() -> None:
    problems = Problems()
    body = read_body(
        {"name": "x", "id": 1, "zoom": 2},
        problems,
        allowed=("name",),
        read_only=("id",),
        required=("name", "kind"),
    )
    assert body["name"] == "x"
    assert {(e.field, e.code) for e in problems.errors} == {
        ("id", "read_only"),
        ("zoom", "unknown_key"),
        ("kind", "required"),
    }
    with pytest.raises(ValidationFailed) as caught:
        read_body([1], Problems(), allowed=())
    assert caught.value.errors[0].field == "body"


@pytest.mark.parametrize(
    ("value", "expected", "code"),
    [
        (" Open ", "Open", None),
        ("", None, "required"),
        ("x" * 201, None, "too_long"),
        (None, None, "invalid_type"),
    ],
)
def test_names(value: object, expected: str | None, code: str | None) -> None:
    problems = Problems()
    assert read_name(value, problems) == expected  # type: ignore[arg-type]
    assert [e.code for e in problems.errors] == ([code] if code else [])


def test_flags_and_positions() -> None:
    problems = Problems()
    assert read_flag(True, problems, "shared") is True
    assert read_flag(1, problems, "shared") is None
    assert read_position(-3, problems) == -3
    assert read_position(True, problems) is None
    assert read_position(2_000_000, problems) is None
    assert [(e.field, e.code) for e in problems.errors] == [
        ("shared", "invalid_type"),
        ("position", "invalid_type"),
        ("position", "out_of_range"),
    ]
    with pytest.raises(ValidationFailed):
        problems.raise_any("view")
    Problems().raise_any("view")


def test_moved_puts_paths_under_a_prefix() -> None:
    exc = moved(ValidationFailed("x", errors=[]), "config")
    assert exc.errors == []
    exc = moved(ValidationFailed("x", errors=[FieldError("filter.a", "bad", "invalid_value")]), "config")
    assert [e.field for e in exc.errors] == ["config.filter.a"]
