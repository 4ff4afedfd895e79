"""parse_filter: the shape of filter JSON, before any field or operator is looked up."""

from __future__ import annotations

import pytest

from deskbase.data.filters import MATCH_ALL, And, Condition, Not, Or, parse_filter
from deskbase.data.filters.parse import MAX_DEPTH
from deskbase.kernel.errors import ValidationFailed
from deskbase.kernel.types import JSONValue


def test_shorthand_is_eq() -> None:
    assert parse_filter({"status": "open"}) == Condition("status", "$eq", "open")


def test_object_value_without_operators_is_eq() -> None:
    assert parse_filter({"customer": {"id": 5}}) == Condition("customer", "$eq", {"id": 5})


def test_several_fields_are_an_implicit_and() -> None:
    node = parse_filter({"status": "open", "priority": {"$gte": 3}})
    assert node == And((Condition("status", "$eq", "open"), Condition("priority", "$gte", 3)))


def test_several_operators_on_one_field_are_an_implicit_and() -> None:
    node = parse_filter({"priority": {"$gte": 1, "$lte": 3}})
    assert node == And((Condition("priority", "$gte", 1), Condition("priority", "$lte", 3)))


def test_logic() -> None:
    raw: JSONValue = {
        "$and": [{"status": {"$eq": "open"}}, {"priority": {"$gte": 3}}],
        "$or": [{"a": 1}, {"$not": {"b": 2}}],
    }
    assert parse_filter(raw) == And(
        (
            And((Condition("status", "$eq", "open"), Condition("priority", "$gte", 3))),
            Or((Condition("a", "$eq", 1), Not(Condition("b", "$eq", 2)))),
        )
    )


def test_dotted_path_is_kept_whole() -> None:
    raw: JSONValue = {"customer.name": {"$includes": "acme"}}
    assert parse_filter(raw) == Condition("customer.name", "$includes", "acme")


@pytest.mark.parametrize(
    "raw",
    [None, {}, {"$and": []}, {"$or": []}, {"$not": {}}, {"$and": [{}, {"$or": [{}]}]}],
)
def test_empty_filters_match_all(raw: JSONValue) -> None:
    assert parse_filter(raw) == MATCH_ALL


def test_empty_groups_are_dropped() -> None:
    assert parse_filter({"$or": [{}, {"a": 1}]}) == Condition("a", "$eq", 1)


@pytest.mark.parametrize(
    "raw",
    [
        [],
        "status",
        3,
        {"$and": {"a": 1}},
        {"$or": "x"},
        {"$and": [1]},
        {"$not": [{"a": 1}]},
        {"$nor": []},
        {"$eq": 1},
        {"status": {}},
        {"status": {"$eq": 1, "x": 2}},
        {"": 1},
        {"a..b": 1},
        {"a.": 1},
    ],
)
def test_malformed_shapes(raw: JSONValue) -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_filter(raw)
    [error] = info.value.errors
    assert (error.field, error.code) == ("filter", "invalid_filter")


def test_nesting_is_limited() -> None:
    raw: JSONValue = {"a": 1}
    for _ in range(MAX_DEPTH + 1):
        raw = {"$not": raw}
    with pytest.raises(ValidationFailed, match="Invalid filter") as info:
        parse_filter(raw)
    assert "nest" in info.value.errors[0].message


def test_error_message_locates_the_problem() -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_filter({"$or": [{"a": 1}, {"$and": 5}]})
    assert info.value.errors[0].message.startswith("filter.$or.1.$and:")
