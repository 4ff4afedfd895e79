"""Turn filter JSON into a FilterNode, checking its shape only."""

from __future__ import annotations

from deskbase.data.filters.ast import (
    MATCH_ALL,
    And,
    Condition,
    FilterNode,
    Not,
    Or,
    filter_error,
)
from deskbase.kernel.types import JSONValue

__all__ = ["MAX_DEPTH", "parse_filter"]

# Deeper nesting than any UI produces; the limit keeps recursion far from Python's own.
MAX_DEPTH = 16


def parse_filter(raw: JSONValue) -> FilterNode:
    """Parse `{"$and": [...], "status": "open", "priority": {"$gte": 3}}` into a tree.

    `None` and `{}` mean no condition (`MATCH_ALL`); so does an empty `$and`/`$or` group,
    wherever it appears. Several keys in one object, and several operators on one field,
    are an implicit `$and`. Malformed shapes raise ValidationFailed on the field `filter`.
    """
    if raw is None:
        return MATCH_ALL
    return _object(raw, "filter", 0)


def _bad(where: str, message: str) -> Exception:
    return filter_error("filter", f"{where}: {message}", "invalid_filter")


def _object(raw: JSONValue, where: str, depth: int) -> FilterNode:
    if depth > MAX_DEPTH:
        raise _bad(where, f"filters nest at most {MAX_DEPTH} levels deep")
    if not isinstance(raw, dict):
        raise _bad(where, "a filter must be a JSON object")
    nodes: list[FilterNode] = []
    for key, value in raw.items():
        if key in ("$and", "$or"):
            nodes.append(_group(key, value, f"{where}.{key}", depth))
        elif key == "$not":
            nodes.append(_not(_object(value, f"{where}.$not", depth + 1)))
        elif key.startswith("$"):
            raise _bad(where, f"unknown logic operator {key!r} (use $and, $or, $not)")
        else:
            nodes.extend(_field(key, value, f"{where}.{key}"))
    return _and(nodes)


def _group(key: str, value: JSONValue, where: str, depth: int) -> FilterNode:
    if not isinstance(value, list):
        raise _bad(where, f"{key} takes a list of filters")
    children = [_object(item, f"{where}.{i}", depth + 1) for i, item in enumerate(value)]
    children = [c for c in children if c != MATCH_ALL]  # an empty group is no condition
    if key == "$and" or len(children) < 2:
        return _and(children)
    return Or(tuple(children))


def _not(child: FilterNode) -> FilterNode:
    return MATCH_ALL if child == MATCH_ALL else Not(child)


def _and(nodes: list[FilterNode]) -> FilterNode:
    nodes = [n for n in nodes if n != MATCH_ALL]
    return nodes[0] if len(nodes) == 1 else And(tuple(nodes))


def _field(path: str, value: JSONValue, where: str) -> list[FilterNode]:
    if not path or any(not part for part in path.split(".")):
        raise _bad(where, "a field path is names joined by single dots")
    if not isinstance(value, dict):
        return [Condition(path, "$eq", value)]
    ops = [key for key in value if key.startswith("$")]
    if not ops:
        if not value:
            raise _bad(where, 'give an operator, such as {"$eq": ...}')
        return [Condition(path, "$eq", value)]  # an object value, like {"id": 5}
    if len(ops) != len(value):
        raise _bad(where, "an operator object holds only $ keys")
    return [Condition(path, op, operand) for op, operand in value.items()]
