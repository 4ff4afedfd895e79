"""A view's config: checked against a real catalog on save, pruned of removed fields on read."""

from __future__ import annotations

from typing import Any

import pytest

from deskbase.data.access import parse_permissions
from deskbase.data.records import RecordService
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.errors import FieldForbidden, ValidationFailed
from deskbase.schema.catalog import Catalog
from deskbase.views.config import Checking, check_config, prune_config, prune_filter
from deskbase.views.members import Problems
from tests.views.conftest import FIELDS, make_catalog


def _check(
    raw: Any, ctx: RequestContext, records: RecordService
) -> tuple[dict[str, Any], set[tuple[str, str]]]:
    grant = records.guard.grant(ctx, records.catalog.get("tickets"), "list")
    problems = Problems()
    config = check_config(raw, Checking(ctx, grant, records), problems)
    return config, {(e.field, e.code) for e in problems.errors}


def test_a_valid_config_is_kept_as_sent(ctx: RequestContext, records: RecordService) -> None:
    raw = {
        "filter": {"customer.name": {"$includes": "acme"}, "due": {"$dateBefore": "today"}},
        "sort": " -opened_at,customer.name ",
        "q": "jam",
        "fields": ["title", "ticket_repair.fault_code", "id"],
        "widths": {"ticket_repair.fault_code": 40, "title": 1000},
        "group_by": "customer",
        "kanban_field": "status",
        "date_field": "opened_at",
        "start_field": "due",
        "end_field": "opened_at",
        "title_field": "ticket_repair.fault_code",
        "cover_field": "photo",
        "q_unused": None,
    }
    config, problems = _check({k: v for k, v in raw.items() if k != "q_unused"}, ctx, records)
    assert problems == set()
    assert config == {**{k: v for k, v in raw.items() if k != "q_unused"}, "sort": "-opened_at,customer.name"}
    assert _check(None, ctx, records) == ({}, set())
    assert _check({"filter": None, "fields": None}, ctx, records) == ({}, set())


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ([], ("config", "invalid_type")),
        ({"zoom": 2}, ("config.zoom", "unknown_key")),
        ({"filter": {"customer.nope": 1}}, ("config.filter.customer.nope", "unknown_field")),
        ({"filter": {"priority": {"$gte": "high"}}}, ("config.filter.priority", "invalid_value")),
        ({"sort": "tags"}, ("config.sort.tags", "not_sortable")),
        ({"sort": "-"}, ("config.sort", "invalid_value")),
        ({"q": "x" * 201}, ("config.q", "invalid_value")),
        ({"fields": ["ticket_repair"]}, ("config.fields.0", "unknown_field")),
        ({"fields": ["customer.name"]}, ("config.fields.0", "unknown_field")),  # not an extension
        ({"widths": {"title": True}}, ("config.widths.title", "invalid_type")),
        ({"group_by": "photo"}, ("config.group_by", "invalid_value")),
        ({"kanban_field": "biz_type.x"}, ("config.kanban_field", "unknown_field")),
        ({"kanban_field": "priority"}, ("config.kanban_field", "invalid_value")),
        ({"date_field": "due.x"}, ("config.date_field", "unknown_field")),
        ({"end_field": "status"}, ("config.end_field", "invalid_value")),
        ({"cover_field": "photo.x"}, ("config.cover_field", "unknown_field")),
        ({"cover_field": "customer"}, ("config.cover_field", "invalid_value")),
    ],
)
def test_each_problem_has_its_path_and_code(
    raw: Any, problem: tuple[str, str], ctx: RequestContext, records: RecordService
) -> None:
    config, problems = _check(raw, ctx, records)
    assert problem in problems
    assert config == {}


def test_every_problem_at_once(ctx: RequestContext, records: RecordService) -> None:
    raw = {"fields": ["nope", "title", "title"], "sort": "nope", "widths": {"a": 1}, "kanban_field": "due"}
    config, problems = _check(raw, ctx, records)
    assert problems == {
        ("config.fields.0", "unknown_field"),
        ("config.fields.2", "duplicate"),
        ("config.sort.nope", "unknown_field"),
        ("config.widths.a", "unknown_field"),
        ("config.kanban_field", "invalid_value"),
    }
    assert config == {}


def test_fields_a_role_may_not_read_are_refused(catalog: Catalog, records: RecordService) -> None:
    perms = parse_permissions({"tickets": {"list": {"scope": "all", "fields": ["title", "status"]}}}, catalog)
    records.guard.set_role("agent", perms)
    agent = RequestContext(Actor(id=2, roles=("agent",)))
    assert _check({"fields": ["title"], "filter": {"status": "new"}}, agent, records)[1] == set()
    for raw, field in [
        ({"fields": ["title", "priority"]}, "config.fields.1"),
        ({"filter": {"priority": 1}}, "config.filter.priority"),
        ({"sort": "due"}, "config.sort.due"),
        ({"date_field": "due"}, "config.date_field"),
    ]:
        with pytest.raises(FieldForbidden) as caught:
            _check(raw, agent, records)
        assert field in {e.field for e in caught.value.errors}


def test_removed_fields_are_pruned_on_read() -> None:
    fields = {name: [f for f in specs if f[0] not in ("priority", "due")] for name, specs in FIELDS.items()}
    before, after = make_catalog(), make_catalog(fields)
    config: dict[str, Any] = {
        "fields": ["title", "priority", "ticket_repair.fault_code"],
        "widths": {"priority": 90, "title": 200},
        "sort": "-priority,due,customer.name",
        "filter": {
            "$or": [{"priority": 1}, {"status": "new"}],
            "$not": {"due": {"$empty": True}},
            "title": "x",
        },
        "date_field": "due",
        "kanban_field": "status",
        "q": "jam",
    }
    assert prune_config(config, before.get("tickets"), before) == config
    assert prune_config(config, after.get("tickets"), after) == {
        "fields": ["title", "ticket_repair.fault_code"],
        "widths": {"title": 200},
        "sort": "customer.name",
        "filter": {"$or": [{"status": "new"}], "title": "x"},
        "kanban_field": "status",
        "q": "jam",
    }
    assert "sort" not in prune_config({"sort": "-priority"}, after.get("tickets"), after)


def test_prune_filter_keeps_the_shape() -> None:
    def reaches(path: str) -> bool:
        return not path.startswith("gone")

    assert prune_filter(None, reaches) is None
    assert prune_filter({"gone": 1}, reaches) == {}
    assert prune_filter({"$and": [{"gone": 1}]}, reaches) == {"$and": []}
    assert prune_filter({"$not": {"$or": [{"gone.x": 1}, {"a": 2}]}}, reaches) == {
        "$not": {"$or": [{"a": 2}]}
    }
    assert prune_filter({"a": {"$in": [1]}, "gone": 2}, reaches) == {"a": {"$in": [1]}}


def test_config_errors_are_a_single_422(ctx: RequestContext, records: RecordService) -> None:
    grant = records.guard.grant(ctx, records.catalog.get("tickets"), "list")
    problems = Problems()
    check_config({"fields": [1]}, Checking(ctx, grant, records), problems)
    with pytest.raises(ValidationFailed) as caught:
        problems.raise_any("view")
    assert caught.value.status == 422
    assert "config.fields.0" in caught.value.detail
