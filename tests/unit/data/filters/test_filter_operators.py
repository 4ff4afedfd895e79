"""The built-in operators: their keys, the value kinds each accepts, and that every pair
compiles on both dialects."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from deskbase.data.filters import builtin_operators
from deskbase.kernel.errors import DuplicateKey
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue

if TYPE_CHECKING:
    from .conftest import Schema

# The persisted keys and the kinds they apply to, as the filter language documents them.
KINDS = {
    "text": "$eq $ne $gt $gte $lt $lte $in $notIn $includes $notIncludes $startsWith $endsWith",
    "number": "$eq $ne $gt $gte $lt $lte $in $notIn $between",
    "time": "$eq $ne $gt $gte $lt $lte $in $notIn $between",
    "date": "$eq $ne $gt $gte $lt $lte $in $notIn $between $dateOn $dateBefore $dateAfter",
    "datetime": "$eq $ne $gt $gte $lt $lte $in $notIn $between $dateOn $dateBefore $dateAfter",
    "bool": "$eq $ne",
    "ref": "$eq $ne $in $notIn",
    "refs": "$anyOf $allOf $noneOf",
    "array": "$anyOf $allOf $noneOf",
    "json": "",
    "file": "",
}
# One field of each kind in the test catalog, and a value each operator accepts.
FIELDS = {
    "text": "title", "number": "priority", "time": "start_time", "date": "due",
    "datetime": "created_at", "bool": "done", "ref": "customer", "refs": "tags",
    "array": "labels", "json": "data", "file": "files",
}  # fmt: skip
SAMPLES: dict[str, dict[str, JSONValue]] = {
    "text": {"": "x"},
    "number": {"": 1, "$between": [1, 2]},
    "time": {"": "10:00", "$between": ["10:00", "11:00"]},
    "date": {"": "today", "$between": ["-7d", "today"]},
    "datetime": {"": "now", "$between": ["-7d", "now"]},
    "bool": {"": True},
    "ref": {"": 1},
    "refs": {"": 1},
    "array": {"": "a"},
}
LISTS = {"$in", "$notIn", "$anyOf", "$allOf", "$noneOf"}


def test_keys_and_kinds() -> None:
    operators = {op.key: op for op in builtin_operators()}
    assert len(operators) == 21
    for kind, keys in KINDS.items():
        expected = {*keys.split(), "$empty", "$notEmpty"}
        assert {key for key, op in operators.items() if kind in op.kinds} == expected, kind


def test_registry_refuses_a_second_registration() -> None:
    registry: Registry[object] = Registry("filter operator")  # type: ignore[type-var]
    for operator in builtin_operators():
        registry.register(operator)
    with pytest.raises(DuplicateKey):
        registry.register(builtin_operators()[0])


def _cases() -> list[tuple[str, str]]:
    return [(op.key, kind) for op in builtin_operators() for kind in sorted(op.kinds)]


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
@pytest.mark.parametrize(("key", "kind"), _cases())
def test_every_operator_compiles_for_every_kind(schema: Schema, dialect: str, key: str, kind: str) -> None:
    samples = SAMPLES.get(kind, {})
    value: JSONValue = samples.get(key, samples.get("", True))
    if key in LISTS:
        value = [value]
    sql = schema.sql({FIELDS[kind]: {key: value}}, dialect)
    assert "WHERE" in sql
