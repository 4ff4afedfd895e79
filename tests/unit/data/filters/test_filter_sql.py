"""compile_filter → SQL text on SQLite and PostgreSQL: NULL guards, subqueries, errors."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from deskbase.data.filters import MATCH_ALL, compile_filter, resolve_path
from deskbase.kernel.errors import ValidationFailed
from deskbase.kernel.types import JSONValue

if TYPE_CHECKING:
    from .conftest import Schema

DIALECTS = ["sqlite", "postgresql"]


def test_eq_is_guarded(schema: Schema) -> None:
    sql = schema.sql({"status": "open"})
    assert "WHERE tickets.status IS NOT NULL AND tickets.status = ?" in sql


def test_ne_is_guarded(schema: Schema) -> None:
    sql = schema.sql({"status": {"$ne": "open"}})
    assert "WHERE tickets.status IS NULL OR tickets.status != ?" in sql


def test_not_null_column_needs_no_guard(schema: Schema) -> None:
    assert "WHERE tickets.id IN (__[POSTCOMPILE_id_1])" in schema.sql({"id": {"$in": [1, 2]}})


def test_empty_filter_is_true(schema: Schema) -> None:
    assert schema.sql({}).endswith("WHERE 1 = 1")
    condition = compile_filter(
        MATCH_ALL,
        schema.tickets,
        schema.catalog,
        schema.operators,
        dialect="postgresql",
        variables={},
        now=schema.now,
    )
    assert str(sa.select(schema.tickets.table.c.id).where(condition)).endswith("WHERE true")


@pytest.mark.parametrize(
    ("dialect", "fragment"),
    [
        ("sqlite", "lower(tickets.title) LIKE '%' || lower(?) || '%' ESCAPE '/'"),
        ("postgresql", "tickets.title ILIKE '%%' || %(title_1)s::VARCHAR || '%%' ESCAPE '/'"),
    ],
)
def test_includes_is_case_insensitive_and_escaped(schema: Schema, dialect: str, fragment: str) -> None:
    sql = schema.sql({"title": {"$includes": "50%"}}, dialect)
    assert "tickets.title IS NOT NULL AND" in sql
    assert fragment in sql


def test_many_to_one_path_is_a_subquery(schema: Schema) -> None:
    sql = schema.sql({"customer.name": {"$includes": "acme"}})
    assert "tickets.customer IS NOT NULL AND tickets.customer IN (SELECT customers.id" in sql
    assert "FROM customers \nWHERE customers.name IS NOT NULL AND (lower(customers.name) LIKE" in sql
    assert "JOIN" not in sql


def test_one_to_many_path(schema: Schema) -> None:
    sql = schema.sql({"comments.body": "hi"})
    assert "tickets.id IN (SELECT comments.ticket \nFROM comments \nWHERE comments.ticket IS NOT NULL" in sql


def test_many_to_many_path(schema: Schema) -> None:
    sql = schema.sql({"tags.name": "red"})
    assert "tickets.id IN (SELECT tickets_tags.source_id \nFROM tickets_tags JOIN tags" in sql
    assert "JOIN tags ON tickets_tags.target_id = tags.id \nWHERE tags.name IS NOT NULL" in sql


def test_extension_path_checks_the_discriminator(schema: Schema) -> None:
    sql = schema.sql({"ticket_repair.serial_no": "SN-1"})
    assert "tickets.biz_type IS NOT NULL AND tickets.biz_type = ?" in sql
    assert "tickets.id IN (SELECT ticket_repair.id \nFROM ticket_repair" in sql


def test_self_relation_keeps_its_own_from(schema: Schema) -> None:
    sql = schema.sql({"parent.parent.title": "x"})
    assert sql.count("FROM tickets") == 3


def test_refs_operators(schema: Schema) -> None:
    any_of = schema.sql({"tags": {"$anyOf": [1, 2]}})
    assert (
        "tickets.id IN (SELECT tickets_tags.source_id \nFROM tickets_tags \nWHERE tickets_tags.target_id IN"
        in any_of
    )
    all_of = schema.sql({"tags": {"$allOf": [1, 2]}})
    assert "GROUP BY tickets_tags.source_id \nHAVING count(DISTINCT tickets_tags.target_id) = ?" in all_of
    assert "tickets.id NOT IN (SELECT" in schema.sql({"tags": {"$noneOf": [1]}})
    assert "tickets.id NOT IN (SELECT" in schema.sql({"comments": {"$empty": True}})
    one_to_many = schema.sql({"comments": {"$anyOf": [1]}})
    assert "comments.ticket IS NOT NULL AND comments.id IN" in one_to_many


def test_array_operators_per_dialect(schema: Schema) -> None:
    assert "EXISTS (SELECT * \nFROM json_each(tickets.labels)" in schema.sql({"labels": {"$anyOf": ["a"]}})
    assert "SELECT count(DISTINCT anon_1.value)" in schema.sql({"labels": {"$allOf": ["a"]}})
    assert "coalesce(json_array_length(tickets.labels), ?) = ?" in schema.sql({"labels": {"$empty": 1}})
    pg = "postgresql"
    assert "CAST(tickets.labels AS JSONB) ?| ARRAY[" in schema.sql({"labels": {"$anyOf": ["a"]}}, pg)
    assert "CAST(tickets.labels AS JSONB) ?& ARRAY[" in schema.sql({"labels": {"$allOf": ["a"]}}, pg)
    assert "jsonb_array_length" in schema.sql({"labels": {"$empty": True}}, pg)


def test_date_on_uses_day_bounds(schema: Schema) -> None:
    sql = schema.sql({"created_at": {"$dateOn": "today"}})
    assert "tickets.created_at >= ? AND tickets.created_at < ?" in sql
    assert "tickets.due = ?" in schema.sql({"due": {"$dateOn": "today"}})


@pytest.mark.parametrize("dialect", DIALECTS)
def test_not_wraps_the_whole_condition(schema: Schema, dialect: str) -> None:
    sql = schema.sql({"$not": {"status": "open", "priority": 1}}, dialect)
    assert "WHERE NOT (tickets.status IS NOT NULL AND tickets.status = " in sql


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"nope": 1}, "filter.nope", "unknown_field"),
        ({"customer.nope": 1}, "filter.customer.nope", "unknown_field"),
        ({"title.name": 1}, "filter.title.name", "unknown_field"),
        ({"ticket_repair": 1}, "filter.ticket_repair", "unknown_field"),
        (
            {"parent.parent.parent.parent.title": 1},
            "filter.parent.parent.parent.parent.title",
            "path_too_deep",
        ),
        ({"status": {"$like": "x"}}, "filter.status", "unknown_operator"),
        ({"status": {"$anyOf": ["x"]}}, "filter.status", "operator_not_supported"),
        ({"done": {"$gt": True}}, "filter.done", "operator_not_supported"),
        ({"data": {"$eq": 1}}, "filter.data", "operator_not_supported"),
        ({"files": {"$anyOf": [1]}}, "filter.files", "operator_not_supported"),
        ({"tags": 1}, "filter.tags", "operator_not_supported"),
        ({"labels": {"$includes": "a"}}, "filter.labels", "operator_not_supported"),
        ({"priority": "high"}, "filter.priority", "invalid_value"),
        ({"priority": None}, "filter.priority", "invalid_value"),
        ({"priority": [1, 2]}, "filter.priority", "invalid_value"),
        ({"priority": {"$in": []}}, "filter.priority", "invalid_value"),
        ({"priority": {"$between": [1]}}, "filter.priority", "invalid_value"),
        ({"customer": True}, "filter.customer", "invalid_value"),
        ({"due": {"$dateOn": "someday"}}, "filter.due", "invalid_value"),
        ({"due": {"$dateOn": "9999-12-31"}}, "filter.due", "invalid_value"),
        ({"customer.vip": "yes"}, "filter.customer.vip", "invalid_value"),
        ({"assignee": "{{currentUser.phone}}"}, "filter.assignee", "unknown_variable"),
    ],
)
def test_errors(schema: Schema, raw: JSONValue, field: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        schema.where(raw)
    [error] = info.value.errors
    assert (error.field, error.code) == (field, code)
    assert info.value.status == 422


def test_bad_time_zone(schema: Schema) -> None:
    with pytest.raises(ValidationFailed) as info:
        schema.where({"status": "open"}, timezone="Mars/Olympus")
    assert info.value.errors[0].field == "timezone"


def test_unknown_dialect(schema: Schema) -> None:
    with pytest.raises(ValueError, match="dialect"):
        schema.where({"status": "open"}, dialect="oracle")


def test_naive_now_means_utc(schema: Schema) -> None:
    naive = schema.where({"created_at": {"$lt": "now"}}, now=datetime(2024, 5, 2, 12))
    aware = schema.where({"created_at": {"$lt": "now"}})
    assert str(naive.compile(compile_kwargs={"literal_binds": True})) == str(
        aware.compile(compile_kwargs={"literal_binds": True})
    )


def test_resolve_path(schema: Schema) -> None:
    hops, field = resolve_path(schema.tickets, schema.catalog, "parent.customer.name")
    assert [(h.source.name, h.kind, h.target.name) for h in hops] == [
        ("tickets", "many_to_one", "tickets"),
        ("tickets", "many_to_one", "customers"),
    ]
    assert field.name == "name"
    hops, field = resolve_path(schema.tickets, schema.catalog, "ticket_repair.serial_no")
    assert [h.kind for h in hops] == ["extension"]
    with pytest.raises(ValidationFailed) as info:
        resolve_path(schema.tickets, schema.catalog, "nope", where="sort.nope")
    assert info.value.errors[0].field == "sort.nope"
