"""The users list's parameters and the lookup's ids: checked before any query, every problem
named by its parameter."""

from __future__ import annotations

import pytest

from deskbase.identity.user_search import MAX_IDS, UserQuery, check_query, parse_ids
from deskbase.kernel.errors import ValidationFailed


def _problems(query: UserQuery) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in check_query(query)}


def test_a_plain_query_is_fine() -> None:
    assert check_query(UserQuery()) == []
    assert check_query(UserQuery(q="张 伟", sort="name,-created_at, email", counts="role,department")) == []
    assert check_query(UserQuery(sort="+name,-id", page=3, page_size=200)) == []


def test_every_problem_is_named_by_its_parameter() -> None:
    query = UserQuery(
        q=" ".join(f"w{i}" for i in range(11)),
        sort="name,secret,-password_hash",
        page=0,
        page_size=201,
        counts="role,email",
    )
    assert _problems(query) == {
        ("q", "invalid_value"),
        ("sort", "unknown_sort"),
        ("page", "out_of_range"),
        ("page_size", "out_of_range"),
        ("counts", "invalid_value"),
    }
    assert next(e.message for e in check_query(query) if e.field == "sort").startswith(
        "unknown sort key 'secret'"
    )
    assert _problems(UserQuery(q="a" * 201)) == {("q", "invalid_value")}
    assert _problems(UserQuery(page_size=0)) == {("page_size", "out_of_range")}


def test_ids_are_positive_integers_without_repeats() -> None:
    assert parse_ids("3, 1,3,,2 ") == [3, 1, 2]
    assert parse_ids("") == []
    for raw in ("1,x", "0", "-1", "1.5", "\uff11", "\u00b2", "2147483648"):  # full-width 1, ², > 32 bits
        with pytest.raises(ValidationFailed) as info:
            parse_ids(raw)
        assert [(e.field, e.code) for e in info.value.errors] == [("ids", "invalid_value")], raw
    assert len(parse_ids(",".join(["7"] * 500))) == 1
    with pytest.raises(ValidationFailed) as info:
        parse_ids(",".join(str(i) for i in range(1, MAX_IDS + 2)))
    assert [(e.field, e.code) for e in info.value.errors] == [("ids", "too_many")]
