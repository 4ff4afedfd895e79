"""Fixtures for the views unit tests: a real catalog (tickets, customers and an extension)
built by the schema layer, and the data layer's services over it, with no database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from deskbase.data.access import Guard
from deskbase.data.filters import Operator, builtin_operators
from deskbase.data.records import RecordService
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.registry import Registry
from deskbase.schema.build import CollectionRow, FieldRow, build_collections
from deskbase.schema.catalog import Catalog
from deskbase.schema.field_types import builtin_field_types
from deskbase.schema.field_types.base import FieldType
from deskbase.views import BlockChecker, BlockType, builtin_block_types

CHOICES = {"choices": [{"value": "new"}, {"value": "open"}, {"value": "closed"}]}
FIELDS: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "customers": [("name", "string", {})],
    "tickets": [
        ("title", "string", {}),
        ("status", "select", CHOICES),
        ("tags", "multi_select", CHOICES),
        ("priority", "integer", {}),
        ("due", "date", {}),
        ("opened_at", "datetime", {}),
        ("photo", "attachment", {}),
        ("customer", "many_to_one", {"target": "customers"}),
        ("biz_type", "select", {"choices": [{"value": "repair"}]}),
    ],
    "ticket_repair": [("fault_code", "string", {})],
}


def make_catalog(fields: dict[str, list[tuple[str, str, dict[str, Any]]]] = FIELDS) -> Catalog:
    registry: Registry[FieldType[Any]] = Registry("field type")
    for ftype in builtin_field_types():
        registry.register(ftype)
    extends = {"ticket_repair": {"master": "tickets", "discriminator": "biz_type", "value": "repair"}}
    crows = [CollectionRow(name, name, None, extends.get(name)) for name in fields]
    frows = [FieldRow(name, "id", "integer", {"system": True, "options": {}}) for name in fields]
    frows += [
        FieldRow(name, fname, ftype, {"options": options})
        for name, specs in fields.items()
        for fname, ftype, options in specs
    ]
    return Catalog(build_collections(crows, frows, registry, "sqlite", []))


def operators() -> Registry[Operator]:
    registry: Registry[Operator] = Registry("operator")
    for op in builtin_operators():
        registry.register(op)
    return registry


@pytest.fixture
def catalog() -> Catalog:
    return make_catalog()


@pytest.fixture
def ctx() -> RequestContext:
    return RequestContext(Actor(id=1, email="ann@example.com", roles=("admin",)))


@pytest.fixture
async def records(catalog: Catalog) -> AsyncIterator[RecordService]:
    ops = operators()
    guard = Guard(catalog, ops, dialect="sqlite", timezone="UTC")
    db = Database("sqlite+aiosqlite:///:memory:")  # never connected: checks run no SQL
    yield RecordService(db, catalog, ops, guard, max_page_size=500, timezone="UTC")
    await db.dispose()


def block_checker(catalog: Catalog, *extra: BlockType) -> BlockChecker:
    types: Registry[BlockType] = Registry("block type")
    for block in (*builtin_block_types(), *extra):
        types.register(block)
    types.freeze()
    return BlockChecker(catalog, operators(), types, "sqlite", "UTC")
