"""Fixtures for the filter tests: a hand-built catalog (tickets, customers, comments, tags and
a `ticket_repair` extension), and the same rows loaded into SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from deskbase.data.filters import Operator, build_where, builtin_operators
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue, ValueKind
from deskbase.schema.catalog import Catalog
from deskbase.schema.field_types.base import FieldType, NoOptions
from deskbase.schema.model import Collection, Extends, Field, Relation

PG_URL = os.environ.get("DESKBASE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
DATABASES = os.environ.get("DESKBASE_TEST_DATABASES", "sqlite,postgresql").split(",")
NOW = datetime(2024, 5, 2, 12, 0, tzinfo=UTC)
VARIABLES: dict[str, JSONValue] = {
    "currentUser": {"id": 7, "email": "ann@example.com"},
    "now": NOW.isoformat(),
}
JSON = sa.JSON().with_variant(JSONB(), "postgresql")


class StubFieldType(FieldType[NoOptions]):
    """Test-only field type: any value kind on any column type."""

    key = "stub"
    value_kind = "text"
    Options = NoOptions

    def __init__(self, kind: ValueKind, column_type: sa.types.TypeEngine[Any] | None) -> None:
        self._kind = kind
        self._column_type = column_type

    def kind(self, options: NoOptions) -> ValueKind:
        return self._kind

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        assert self._column_type is not None
        return self._column_type

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        return value


Spec = (
    tuple[ValueKind, sa.types.TypeEngine[Any] | None]
    | tuple[ValueKind, sa.types.TypeEngine[Any] | None, Relation]
)


def make_collection(
    metadata: sa.MetaData, name: str, specs: dict[str, Spec], extends: Extends | None = None
) -> Collection:
    columns = [sa.Column("id", sa.Integer, primary_key=True, autoincrement=False)]
    columns += [sa.Column(n, s[1]) for n, s in specs.items() if s[1] is not None]
    table = sa.Table(name, metadata, *columns)
    fields = {"id": Field("id", StubFieldType("number", sa.Integer()), NoOptions(), "Id")}
    fields["id"].column = table.c.id
    for fname, spec in specs.items():
        relation = spec[2] if len(spec) == 3 else None
        fields[fname] = Field(
            fname,
            StubFieldType(spec[0], spec[1]),
            NoOptions(),
            fname.title(),
            relation=relation,
            column=table.c[fname] if spec[1] is not None else None,
        )
    return Collection(name, name.title(), table, extends=extends, fields=fields)


@dataclass
class Schema:
    catalog: Catalog
    tickets: Collection
    metadata: sa.MetaData
    now: datetime = NOW
    operators: Registry[Operator] = field(default_factory=lambda: Registry("filter operator"))

    def where(self, raw: JSONValue, dialect: str = "sqlite", **kw: Any) -> sa.ColumnElement[bool]:
        options: dict[str, Any] = {"variables": VARIABLES, "now": NOW, **kw}
        return build_where(raw, self.tickets, self.catalog, self.operators, dialect=dialect, **options)

    def sql(self, raw: JSONValue, dialect: str = "sqlite", **kw: Any) -> str:
        """The SQL text of `SELECT tickets.id … WHERE <filter>` on one dialect."""
        stmt = sa.select(self.tickets.table.c.id).where(self.where(raw, dialect, **kw))
        target: sa.Dialect = sqlite.dialect() if dialect == "sqlite" else postgresql.dialect()  # type: ignore[no-untyped-call]
        return str(stmt.compile(dialect=target))


@pytest.fixture(scope="module")
def schema() -> Schema:
    md = sa.MetaData()
    tags = make_collection(md, "tags", {"name": ("text", sa.String(50))})
    customers = make_collection(
        md, "customers", {"name": ("text", sa.String(100)), "vip": ("bool", sa.Boolean())}
    )
    junction = sa.Table(
        "tickets_tags",
        md,
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
    )
    tickets = make_collection(
        md,
        "tickets",
        {
            "title": ("text", sa.String(200)),
            "status": ("text", sa.String(20)),
            "priority": ("number", sa.Integer()),
            "amount": ("number", sa.Numeric(10, 2)),
            "due": ("date", sa.Date()),
            "created_at": ("datetime", sa.DateTime(timezone=True)),
            "start_time": ("time", sa.Time()),
            "done": ("bool", sa.Boolean()),
            "labels": ("array", JSON),
            "data": ("json", JSON),
            "files": ("file", JSON),
            "biz_type": ("text", sa.String(20)),
            "assignee": ("ref", sa.Integer()),
            "customer": ("ref", sa.Integer(), Relation("many_to_one", "customers")),
            "parent": ("ref", sa.Integer(), Relation("many_to_one", "tickets")),
            "tags": ("refs", None, Relation("many_to_many", "tags", junction=junction)),
            "comments": ("refs", None, Relation("one_to_many", "comments", inverse="ticket")),
            "children": ("refs", None, Relation("one_to_many", "tickets", inverse="parent")),
        },
    )
    comments = make_collection(
        md,
        "comments",
        {
            "body": ("text", sa.Text()),
            "ticket": ("ref", sa.Integer(), Relation("many_to_one", "tickets")),
        },
    )
    repair = make_collection(
        md,
        "ticket_repair",
        {"serial_no": ("text", sa.String(50))},
        extends=Extends("tickets", "biz_type", "repair"),
    )
    tickets.extensions["ticket_repair"] = repair
    catalog = Catalog({c.name: c for c in (tags, customers, tickets, comments, repair)})
    out = Schema(catalog, tickets, md)
    for operator in builtin_operators():
        out.operators.register(operator)
    return out


def _at(day: int, hour: int, minute: int = 0, month: int = 5) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


NULL = sa.null()  # SQL NULL in a JSON column (a Python None would store JSON null)
# fmt: off
ROWS: dict[str, list[dict[str, Any]]] = {
    "customers": [
        {"id": 1, "name": "ACME Corp", "vip": True},
        {"id": 2, "name": "Globex", "vip": False},
        {"id": 3, "name": "Initech", "vip": None},
    ],
    "tags": [{"id": 1, "name": "red"}, {"id": 2, "name": "blue"}, {"id": 3, "name": "green"}],
    "tickets": [
        {
            "id": 1, "title": "Printer jam", "status": "open", "priority": 3,
            "amount": Decimal("10.50"), "due": date(2024, 5, 1), "created_at": _at(1, 10),
            "start_time": time(9, 0), "done": False, "labels": ["hw", "urgent"],
            "data": {"a": 1}, "files": [1], "biz_type": "repair", "assignee": 7,
            "customer": 1, "parent": None,
        },
        {
            "id": 2, "title": "100% broken_screen", "status": "closed", "priority": 1,
            "amount": Decimal("99.99"), "due": date(2024, 5, 2), "created_at": _at(1, 23, 30),
            "start_time": time(14, 30), "done": True, "labels": ["sw"], "data": NULL,
            "files": [], "biz_type": "it", "assignee": 8, "customer": 2, "parent": 1,
        },
        {
            "id": 3, "title": "", "status": None, "priority": None, "amount": None,
            "due": None, "created_at": None, "start_time": None, "done": None, "labels": [],
            "data": None, "files": NULL, "biz_type": None, "assignee": None,
            "customer": None, "parent": 1,
        },
        {
            "id": 4, "title": None, "status": "open", "priority": 5, "amount": Decimal(0),
            "due": date(2024, 4, 30), "created_at": _at(30, 16, 30, month=4),
            "start_time": None, "done": False, "labels": NULL, "data": {"b": []},
            "files": None, "biz_type": "repair", "assignee": 7, "customer": 1, "parent": 2,
        },
    ],
    "tickets_tags": [
        {"source_id": 1, "target_id": 1},
        {"source_id": 1, "target_id": 2},
        {"source_id": 2, "target_id": 2},
        {"source_id": 4, "target_id": 3},
    ],
    "comments": [
        {"id": 1, "body": "first", "ticket": 1},
        {"id": 2, "body": "second, from ACME", "ticket": 1},
        {"id": 3, "body": "hello", "ticket": 2},
        {"id": 4, "body": "orphan", "ticket": None},
    ],
    # Row 2 is a stray extension row: ticket 2 is not a repair, so it never matches.
    "ticket_repair": [
        {"id": 1, "serial_no": "SN-1"},
        {"id": 2, "serial_no": "SN-2"},
        {"id": 4, "serial_no": None},
    ],
}
# fmt: on


@dataclass
class Database:
    dialect: str
    engine: AsyncEngine
    schema: Schema

    async def ids(self, raw: JSONValue, **kw: Any) -> list[int]:
        tickets = self.schema.tickets.table
        where = self.schema.where(raw, self.dialect, **kw)
        async with self.engine.connect() as conn:
            result = await conn.execute(sa.select(tickets.c.id).where(where).order_by(tickets.c.id))
            return [row[0] for row in result]


async def _load(engine: AsyncEngine, metadata: sa.MetaData) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda sync: metadata.create_all(sync, checkfirst=False))
        for name, rows in ROWS.items():
            for row in rows:
                await conn.execute(metadata.tables[name].insert().values(**row))


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=DATABASES)
async def db(
    request: pytest.FixtureRequest, schema: Schema, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("filters") / "filters.db"
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
        await _load(engine, schema.metadata)
        yield Database("sqlite", engine, schema)
        await engine.dispose()
        return
    name = f"test_filters_{uuid.uuid4().hex[:12]}"
    settings: Mapping[str, str] = {"search_path": name}
    url = make_url(PG_URL).set(drivername="postgresql+asyncpg")
    engine = create_async_engine(url, connect_args={"server_settings": settings})
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.schema.CreateSchema(name))
    except (OSError, sa.exc.DBAPIError) as exc:  # pragma: no cover - environment problem
        await engine.dispose()
        # PostgreSQL is part of the test bed: without it the suite fails, never skips.
        pytest.fail(f"PostgreSQL at {PG_URL} is not reachable: {exc}")
    try:
        await _load(engine, schema.metadata)
        yield Database("postgresql", engine, schema)
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.schema.DropSchema(name, cascade=True))
        await engine.dispose()
