"""Dashboard blocks: checked whole against a real catalog, block types from a registry."""

from __future__ import annotations

import copy
from typing import Any, ClassVar

from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import FieldError
from deskbase.schema.catalog import Catalog
from deskbase.views import BlockQuery, BlockType
from deskbase.views.members import Problems
from tests.views.conftest import block_checker

PIE: dict[str, Any] = {
    "id": "p",
    "type": "pie",
    "title": "By status",
    "collection": "tickets",
    "query": {"group_by": ["status"], "measures": ["count", "avg:priority"], "order": ["-count"]},
    "layout": {"x": 0, "y": 0, "w": 4, "h": 3},
}


def _problems(checker: Any, blocks: Any, ctx: RequestContext) -> tuple[list[Any], set[tuple[str, str]]]:
    problems = Problems()
    out = checker.check(blocks, ctx, problems)
    return out, {(e.field, e.code) for e in problems.errors}


def test_a_block_is_stored_with_every_query_member(catalog: Catalog, ctx: RequestContext) -> None:
    out, problems = _problems(block_checker(catalog), [PIE], ctx)
    assert problems == set()
    assert out == [
        {
            **PIE,
            "query": {
                "group_by": ["status"],
                "measures": ["count", "avg:priority"],
                "filter": None,
                "order": ["-count"],
                "limit": None,
                "tz": None,
            },
        }
    ]
    assert _problems(block_checker(catalog), None, ctx) == ([], set())


def test_group_keys_follow_the_block_type(catalog: Catalog, ctx: RequestContext) -> None:
    checker = block_checker(catalog)
    number = {**PIE, "type": "number", "query": {"group_by": ["status"]}}
    sankey = {**PIE, "type": "sankey", "query": {"group_by": ["status", "customer.name", "due:week"]}}
    _, problems = _problems(checker, [number, {**sankey, "id": "s"}], ctx)
    assert problems == {
        ("blocks.0.query.group_by", "invalid_value"),
        ("blocks.1.query.group_by", "invalid_value"),
    }
    ok = {**sankey, "query": {"group_by": ["status", "ticket_repair.fault_code"]}}
    assert _problems(checker, [ok], ctx)[1] == set()


def test_paths_are_checked_against_the_collection(catalog: Catalog, ctx: RequestContext) -> None:
    block = copy.deepcopy(PIE)
    block["query"] = {
        "group_by": ["customer.nope"],
        "measures": ["sum:ticket_repair.nope", "count"],
        "filter": {"$or": [{"nope": 1}]},
    }
    _, problems = _problems(block_checker(catalog), [block], ctx)
    assert problems == {
        ("blocks.0.query.group_by.0", "unknown_field"),
        ("blocks.0.query.measures.0", "unknown_field"),
        ("blocks.0.query.filter.nope", "unknown_field"),
    }


class HeatmapBlockType(BlockType):
    """A plugin's chart: two group keys, and a limit it needs."""

    key = "heatmap"
    min_groups = max_groups = 2
    groups_message: ClassVar[str] = ""

    def check(self, query: BlockQuery, where: str) -> list[FieldError]:
        if query.limit is None:
            return [FieldError(f"{where}.limit", "a heatmap needs a limit", "required")]
        return []


def test_plugins_add_block_types(catalog: Catalog, ctx: RequestContext) -> None:
    checker = block_checker(catalog, HeatmapBlockType())
    heat = {**PIE, "type": "heatmap", "query": {"group_by": ["status"]}}
    _, problems = _problems(checker, [heat], ctx)
    assert problems == {("blocks.0.query.group_by", "invalid_value"), ("blocks.0.query.limit", "required")}
    heat["query"] = {"group_by": ["status", "due:month"], "limit": 100}
    out, problems = _problems(checker, [heat], ctx)
    assert problems == set()
    assert out[0]["type"] == "heatmap"
    # Without the plugin the type is unknown.
    assert ("blocks.0.type", "unknown_key") in _problems(block_checker(catalog), [heat], ctx)[1]
