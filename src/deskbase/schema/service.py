"""SchemaService: create, change and drop collections and fields, with their DDL.

Each change builds the whole candidate catalog in memory first (so every check sees the
result), then writes the system rows and runs the DDL in one transaction, and only then
swaps the in-memory catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.changes import SCHEMA
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import (
    AlreadyExists,
    Conflict,
    FieldError,
    FieldNotFound,
    FieldValueError,
    InvalidName,
    ValidationFailed,
)
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.schema import ddl
from deskbase.schema.backfill import backfill_field
from deskbase.schema.build import CollectionRow, FieldRow, build_collections, pydantic_errors
from deskbase.schema.catalog import Catalog
from deskbase.schema.checks import check_catalog
from deskbase.schema.field_types.base import FieldType
from deskbase.schema.indexes import IndexRow
from deskbase.schema.model import Collection
from deskbase.schema.names import SYSTEM_FIELDS, check_name
from deskbase.schema.payloads import CollectionIn, CollectionPatch, FieldIn, FieldPatch
from deskbase.schema.search import (
    check_search_names,
    drop_search_index,
    search_signature,
    sync_search_index,
)

__all__ = ["SchemaService"]

_SYSTEM_SPECS: dict[str, tuple[str, str]] = {
    "id": ("integer", "ID"),
    "created_at": ("created_at", "Created at"),
    "updated_at": ("updated_at", "Updated at"),
    "created_by": ("created_by", "Created by"),
    "updated_by": ("updated_by", "Updated by"),
}


class SchemaService:
    def __init__(self, db: Database, field_types: Registry[FieldType[Any]], catalog: Catalog) -> None:
        self.db = db
        self.field_types = field_types
        self.catalog = catalog
        self._rows: tuple[list[CollectionRow], list[FieldRow]] = ([], [])
        self._indexes: list[IndexRow] = []  # composite indexes (schema/indexes.py)

    # -- loading -------------------------------------------------------------------------

    async def load(self) -> None:
        async with self.db.read() as conn:
            crow_result = await conn.execute(sa.select(t.collections).order_by(t.collections.c.position))
            frow_result = await conn.execute(
                sa.select(t.fields).order_by(t.fields.c.collection, t.fields.c.position)
            )
            crows = [CollectionRow(r.name, r.title, r.description, r.extends) for r in crow_result]
            frows = [FieldRow(r.collection, r.name, r.type, r.spec) for r in frow_result]
            irow_result = await conn.execute(sa.select(t.indexes).order_by(t.indexes.c.created_at))
            self._indexes = [IndexRow(r.collection, r.name, tuple(r.fields)) for r in irow_result]
        self._install(crows, frows)

    def _build(
        self, crows: list[CollectionRow], frows: list[FieldRow], indexes: list[IndexRow] | None = None
    ) -> dict[str, Collection]:
        index_rows = self._indexes if indexes is None else indexes
        built = build_collections(crows, frows, self.field_types, self.db.dialect, index_rows)
        check_catalog(built)
        check_search_names(built)
        return built

    # -- hooks for the index service (schema/indexes.py) ----------------------------------

    @property
    def index_rows(self) -> list[IndexRow]:
        return list(self._indexes)

    def candidate_catalog(self, indexes: list[IndexRow]) -> dict[str, Collection]:
        """The catalog as it would be with these composite indexes; raises ValidationFailed."""
        return self._build(*self._rows, indexes)

    def change(self, *, publish: bool = True) -> _Change:
        """A schema-changing transaction (serialized across processes on PostgreSQL)."""
        return _Change(self.db, publish=publish)

    def _install(self, crows: list[CollectionRow], frows: list[FieldRow]) -> None:
        self.catalog.replace(self._build(crows, frows))
        self._rows = (crows, frows)

    # -- collections ---------------------------------------------------------------------

    async def create_collection(self, ctx: RequestContext, payload: CollectionIn) -> Collection:
        name = check_name(payload.name, "collection")
        if name in self.catalog:
            raise AlreadyExists(f"Collection {name!r} already exists")
        crows, frows = self._rows
        extends = payload.extends.model_dump() if payload.extends else None
        crow = CollectionRow(name, payload.title or name, payload.description, extends)
        system = self._system_rows(name, extends is not None)
        new_frows = system[:1]  # id first, the other system fields last
        seen = {r.name for r in system}
        for i, fin in enumerate(payload.fields):
            if fin.name in seen:
                raise ValidationFailed(
                    f"Field {fin.name!r} is given twice",
                    errors=[FieldError(f"fields.{i}.name", "duplicate field name", "duplicate")],
                )
            seen.add(fin.name)
            new_frows.append(self._field_row(name, fin, f"fields.{i}"))
        new_frows += system[1:]
        built = self._build([*crows, crow], [*frows, *new_frows])
        coll = built[name]
        async with self._change() as conn:
            await conn.execute(
                t.collections.insert().values(
                    name=name,
                    title=crow.title,
                    description=crow.description,
                    extends=extends,
                    position=len(crows),
                    created_at=ctx.now,
                )
            )
            await self._insert_fields(conn, new_frows)
            await ddl.create_collection(conn, coll)
            if search_signature(coll):
                await sync_search_index(conn, coll)
            await record(conn, ctx, Entry("schema.collection.create", name, detail=_spec(coll)))
        self._install([*crows, crow], [*frows, *new_frows])
        return self.catalog.get(name)

    async def update_collection(self, ctx: RequestContext, name: str, patch: CollectionPatch) -> Collection:
        coll = self.catalog.get(name)
        values = patch.model_dump(exclude_unset=True)
        if values.get("title") is None:
            values.pop("title", None)
        if values:
            before: dict[str, JSONValue] = {"title": coll.title, "description": coll.description}
            changes = {k: (before.get(k), v) for k, v in values.items() if before.get(k) != v}
            async with self._change() as conn:
                await conn.execute(
                    t.collections.update().where(t.collections.c.name == name).values(**values)
                )
                await record(conn, ctx, Entry("schema.collection.update", name, changes=changes))
        await self.load()
        return self.catalog.get(coll.name)

    async def drop_collection(self, ctx: RequestContext, name: str) -> None:
        coll = self.catalog.get(name)
        users = [
            f"{other.name}.{fld.name}"
            for other in self.catalog
            if other.name != name
            for fld in other.fields.values()
            if fld.relation and fld.relation.target == name
        ]
        users += [f"{ext} (extension)" for ext in coll.extensions]
        if users:
            raise Conflict(
                f"Collection {name!r} is used by {', '.join(sorted(users))}; drop those first",
                used_by=list[JSONValue](sorted(users)),
            )
        async with self._change() as conn:
            await drop_search_index(conn, coll)
            await ddl.drop_collection(conn, coll)
            await conn.execute(t.indexes.delete().where(t.indexes.c.collection == name))
            await conn.execute(t.fields.delete().where(t.fields.c.collection == name))
            await conn.execute(t.sequences.delete().where(t.sequences.c.collection == name))
            await conn.execute(t.collections.delete().where(t.collections.c.name == name))
            await record(conn, ctx, Entry("schema.collection.delete", name, detail=_spec(coll)))
        crows, frows = self._rows
        self._indexes = [i for i in self._indexes if i.collection != name]
        self._install([c for c in crows if c.name != name], [f for f in frows if f.collection != name])

    # -- fields --------------------------------------------------------------------------

    async def add_field(self, ctx: RequestContext, collection: str, fin: FieldIn) -> Collection:
        coll = self.catalog.get(collection)
        if fin.name in coll.fields:
            raise AlreadyExists(f"Field {fin.name!r} already exists in {collection!r}")
        crows, frows = self._rows
        frow = self._field_row(collection, fin, "")
        built = self._build(crows, [*frows, frow])
        new_coll = built[collection]
        fld = new_coll.fields[fin.name]
        async with self._change() as conn:
            await self._insert_fields(conn, [frow], start=len(coll.fields))
            await ddl.add_field(conn, new_coll, fld)
            await backfill_field(conn, new_coll, fld, ctx)
            if search_signature(new_coll) != search_signature(coll):
                await sync_search_index(conn, new_coll)
            await record(conn, ctx, Entry("schema.field.create", collection, detail=fld.to_json()))
        self._install(crows, [*frows, frow])
        return self.catalog.get(collection)

    def check_field(self, collection: str, fin: FieldIn) -> None:
        """Raises what `add_field` would for this field, without saving anything."""
        self.catalog.get(collection)
        crows, frows = self._rows
        self._build(crows, [*frows, self._field_row(collection, fin, "")])

    async def update_field(
        self, ctx: RequestContext, collection: str, name: str, patch: FieldPatch
    ) -> Collection:
        coll = self.catalog.get(collection)
        old = coll.fields.get(name)
        if old is None:
            raise FieldNotFound(f"Field {name!r} does not exist in {collection!r}")
        if old.system:
            raise ValidationFailed(f"System field {name!r} cannot be changed")
        crows, frows = self._rows
        old_row = next(f for f in frows if f.collection == collection and f.name == name)
        changes = patch.model_dump(exclude_unset=True)
        spec = dict(old_row.spec)
        for key, value in changes.items():
            if key == "options" and value is not None:
                spec["options"] = {**spec.get("options", {}), **value}
            elif value is not None or key in ("default", "description"):
                spec[key] = value
        fin = FieldIn(name=name, type=old_row.type, **{k: v for k, v in spec.items() if k != "system"})
        new_row = self._field_row(collection, fin, "")
        new_frows = [new_row if f is old_row else f for f in frows]
        built = self._build(crows, new_frows)
        new_coll, new = built[collection], built[collection].fields[name]
        old_type = old.column.type if old.column is not None else None
        new_type = new.column.type if new.column is not None else None
        async with self._change() as conn:
            await conn.execute(
                t.fields.update()
                .where(t.fields.c.collection == collection, t.fields.c.name == name)
                .values(spec=new_row.spec)
            )
            if old_type is not None and new_type is not None and _type_sql(old_type) != _type_sql(new_type):
                if type(old_type) is not type(new_type):
                    raise ValidationFailed(
                        "These options would change how values are stored",
                        errors=[FieldError("options", "the stored type cannot change", "type_change")],
                    )
                await ddl.alter_field_type(conn, new_coll, name, new_type)
            if (old.unique, old.indexed) != (new.unique, new.indexed):
                await ddl.set_index(
                    conn, new_coll, new, unique=new.unique, indexed=new.indexed or old.is_relation
                )
            if old.options != new.options:
                await backfill_field(conn, new_coll, new, None)
            if search_signature(new_coll) != search_signature(coll):
                await sync_search_index(conn, new_coll)
            before, after = old.to_json(), new.to_json()
            diff = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            await record(
                conn, ctx, Entry("schema.field.update", collection, changes=diff, detail={"field": name})
            )
        self._install(crows, new_frows)
        return self.catalog.get(collection)

    async def drop_field(self, ctx: RequestContext, collection: str, name: str) -> Collection:
        coll = self.catalog.get(collection)
        fld = coll.fields.get(name)
        if fld is None:
            raise FieldNotFound(f"Field {name!r} does not exist in {collection!r}")
        if fld.system:
            raise ValidationFailed(f"System field {name!r} cannot be dropped")
        crows, frows = self._rows
        remaining = [f for f in frows if not (f.collection == collection and f.name == name)]
        try:
            new_coll = self._build(crows, remaining)[collection]
        except ValidationFailed as exc:
            raise Conflict(f"Field {name!r} is still used: {exc.detail}", errors=exc.errors) from None
        searched = search_signature(new_coll) != search_signature(coll)
        async with self._change() as conn:
            if searched:  # SQLite refuses to drop a column that the search triggers name
                await drop_search_index(conn, coll)
            await ddl.drop_field(conn, coll, fld)
            if searched:
                await sync_search_index(conn, new_coll)
            await conn.execute(
                t.fields.delete().where(t.fields.c.collection == collection, t.fields.c.name == name)
            )
            await conn.execute(
                t.sequences.delete().where(
                    t.sequences.c.collection == collection, t.sequences.c.field == name
                )
            )
            await record(conn, ctx, Entry("schema.field.delete", collection, detail=fld.to_json()))
        self._install(crows, remaining)
        return self.catalog.get(collection)

    # -- helpers -------------------------------------------------------------------------

    def _system_rows(self, collection: str, is_extension: bool) -> list[FieldRow]:
        names = ("id",) if is_extension else SYSTEM_FIELDS
        return [
            FieldRow(
                collection,
                n,
                _SYSTEM_SPECS[n][0],
                {"title": _SYSTEM_SPECS[n][1], "system": True, "options": {}},
            )
            for n in names
        ]

    def _field_row(self, collection: str, fin: FieldIn, path: str) -> FieldRow:
        prefix = f"{path}." if path else ""
        try:
            check_name(fin.name, "field")
        except InvalidName as exc:
            raise InvalidName(
                exc.detail, errors=[replace(e, field=f"{prefix}name") for e in exc.errors]
            ) from None
        if fin.name in SYSTEM_FIELDS:
            raise ValidationFailed(
                f"{fin.name!r} is a system field",
                errors=[FieldError(f"{prefix}name", "this name is taken by a system field", "invalid_name")],
            )
        ftype = self.field_types.get(fin.type, f"{prefix}type")
        try:
            options = ftype.parse_options(fin.options)
        except ValidationError as exc:
            raise ValidationFailed(
                f"Invalid options for field {fin.name!r}",
                errors=pydantic_errors(exc, f"{prefix}options"),
            ) from None
        if fin.unique and not ftype.can_be_unique:
            raise ValidationFailed(
                f"A {fin.type} field cannot be unique",
                errors=[
                    FieldError(f"{prefix}unique", f"{fin.type} fields cannot be unique", "not_supported")
                ],
            )
        if fin.default is not None:
            try:
                ftype.to_db(fin.default, options)
            except FieldValueError as exc:
                raise ValidationFailed(
                    f"Invalid default for field {fin.name!r}",
                    errors=[FieldError(f"{prefix}default", exc.message, exc.code)],
                ) from None
        spec = {
            "title": fin.title or fin.name,
            "description": fin.description,
            "required": fin.required,
            "unique": fin.unique,
            "indexed": fin.indexed,
            "default": fin.default,
            "options": options.model_dump(mode="json"),
        }
        return FieldRow(collection, fin.name, fin.type, spec)

    async def _insert_fields(self, conn: AsyncConnection, rows: Sequence[FieldRow], start: int = 0) -> None:
        await conn.execute(
            t.fields.insert(),
            [
                {
                    "collection": r.collection,
                    "name": r.name,
                    "type": r.type,
                    "spec": dict(r.spec),
                    "position": start + i,
                }
                for i, r in enumerate(rows)
            ],
        )

    def _change(self) -> _Change:
        return _Change(self.db)


class _Change:
    """A schema-changing transaction: serialized, and integrity errors become conflicts."""

    def __init__(self, db: Database, *, publish: bool = True) -> None:
        self.db = db
        self.publish = publish  # the other processes reload their catalog at commit
        self._cm = db.write()

    async def __aenter__(self) -> AsyncConnection:
        conn = await self._cm.__aenter__()
        if self.db.is_postgres:
            await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(0x6465736B)))
        if self.publish:
            await self.db.changes.publish(conn, SCHEMA)
        return conn

    async def __aexit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            await self._cm.__aexit__(exc_type, exc, tb)
        except IntegrityError as err:
            raise Conflict(
                "Existing records conflict with this change (duplicate or missing values)"
            ) from err
        if isinstance(exc, IntegrityError):
            raise Conflict(
                "Existing records conflict with this change (duplicate or missing values)"
            ) from exc


def _type_sql(type_: sa.types.TypeEngine[Any]) -> str:
    return repr(type_)


def _spec(coll: Collection) -> dict[str, JSONValue]:
    """A collection as the audit log keeps it: its wire format."""
    return coll.to_json()
