"""Builds the in-memory collections, with their SQLAlchemy tables, from the system tables."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from deskbase.kernel.errors import FieldError, UnknownKey, ValidationFailed
from deskbase.kernel.registry import Registry
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, RelationFieldType
from deskbase.schema.indexes import IndexRow, declare_index
from deskbase.schema.model import Collection, Extends, Field, Relation
from deskbase.schema.names import sql_name

__all__ = [
    "CollectionRow",
    "FieldRow",
    "build_collections",
    "id_type",
    "junction_name",
    "make_field",
    "pydantic_errors",
]


@dataclass(frozen=True, slots=True)
class CollectionRow:
    name: str
    title: str
    description: str | None
    extends: Mapping[str, str] | None


@dataclass(frozen=True, slots=True)
class FieldRow:
    collection: str
    name: str
    type: str
    spec: Mapping[str, Any]


def id_type() -> sa.types.TypeEngine[int]:
    # BIGINT on PostgreSQL; INTEGER on SQLite, where only INTEGER PRIMARY KEY is the rowid.
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def junction_name(collection: str, field: str) -> str:
    return f"{collection}__{field}"


def pydantic_errors(exc: ValidationError, prefix: str) -> list[FieldError]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        out.append(FieldError(f"{prefix}.{loc}" if loc else prefix, err["msg"], "invalid_option"))
    return out


def make_field(row: FieldRow, field_types: Registry[FieldType[Any]]) -> Field:
    """A Field without its column (see `build_collections`); raises ValidationFailed."""
    ftype = field_types.get(row.type, "type")
    spec = row.spec
    try:
        options = ftype.parse_options(dict(spec.get("options") or {}))
    except ValidationError as exc:
        raise ValidationFailed(
            f"Invalid options for field {row.name!r}", errors=pydantic_errors(exc, "options")
        ) from None
    return Field(
        name=row.name,
        type=ftype,
        options=options,
        title=str(spec.get("title") or row.name),
        description=spec.get("description"),
        required=bool(spec.get("required", False)),
        unique=bool(spec.get("unique", False)),
        indexed=bool(spec.get("indexed", False)),
        default=spec.get("default"),
        system=bool(spec.get("system", False)),
    )


def build_collections(
    collection_rows: Iterable[CollectionRow],
    field_rows: Iterable[FieldRow],
    field_types: Registry[FieldType[Any]],
    dialect: str,
    index_rows: Iterable[IndexRow] = (),
) -> dict[str, Collection]:
    """Every collection with its table, indexes, junction tables and extensions wired up.

    A composite index whose fields are gone raises ValidationFailed naming it."""
    metadata = sa.MetaData()
    by_collection: dict[str, list[FieldRow]] = {}
    for frow in field_rows:
        by_collection.setdefault(frow.collection, []).append(frow)
    out: dict[str, Collection] = {}
    rows = list(collection_rows)
    for crow in rows:
        fields = {f.name: _known(f, field_types) for f in by_collection.get(crow.name, [])}
        extends = Extends(**crow.extends) if crow.extends else None
        table = _table(metadata, crow.name, fields, extends, dialect)
        out[crow.name] = Collection(
            name=crow.name,
            title=crow.title,
            table=table,
            description=crow.description,
            extends=extends,
            fields=fields,
        )
    for coll in out.values():
        for fld in coll.fields.values():
            fld.relation = _relation(metadata, coll, fld)
        if coll.extends and coll.extends.master in out:
            out[coll.extends.master].extensions[coll.name] = coll
    for irow in index_rows:
        if irow.collection in out:
            declare_index(out[irow.collection], irow, dialect)
    return out


def _known(row: FieldRow, field_types: Registry[FieldType[Any]]) -> Field:
    try:
        return make_field(row, field_types)
    except UnknownKey:
        # A plugin that defined this type is gone: keep the data reachable as JSON.
        fallback = FieldRow(row.collection, row.name, "json", {**row.spec, "options": {}})
        return make_field(fallback, field_types)


def _table(
    metadata: sa.MetaData,
    name: str,
    fields: dict[str, Field],
    extends: Extends | None,
    dialect: str,
) -> sa.Table:
    if extends:
        id_col = sa.Column(
            "id",
            id_type(),
            sa.ForeignKey(f"{extends.master}.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    else:
        id_col = sa.Column("id", id_type(), primary_key=True, autoincrement=True)
    table = sa.Table(name, metadata, id_col)
    for fld in fields.values():
        if fld.name == "id" or not fld.type.stored:
            continue
        args: list[Any] = []
        if isinstance(fld.type, RelationFieldType) and dialect == "postgresql":
            target = fld.type.target(fld.options)
            args.append(sa.ForeignKey(f"{target}.id", name=sql_name("fk", name, fld.name)))
        col = sa.Column(fld.name, fld.type.column_type(fld.options), *args, nullable=True)
        table.append_column(col)
        fld.column = col
        if fld.unique:
            sa.Index(sql_name("uq", name, fld.name), col, unique=True)
        elif fld.indexed or isinstance(fld.type, RelationFieldType):
            sa.Index(sql_name("ix", name, fld.name), col)
    if "id" in fields:
        fields["id"].column = table.c.id
    return table


def _relation(metadata: sa.MetaData, coll: Collection, fld: Field) -> Relation | None:
    ftype = fld.type
    if not isinstance(ftype, RelationFieldType):
        return None
    target = ftype.target(fld.options)
    if ftype.relation == "many_to_many":
        jname = junction_name(coll.name, fld.name)
        junction = metadata.tables.get(jname)
        if junction is None:
            junction = sa.Table(
                jname,
                metadata,
                sa.Column(
                    "source_id",
                    id_type(),
                    sa.ForeignKey(f"{coll.name}.id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Column(
                    "target_id",
                    id_type(),
                    sa.ForeignKey(f"{target}.id", ondelete="CASCADE"),
                    primary_key=True,
                ),
                sa.Index(sql_name("ix", jname, "target"), "target_id"),
            )
        return Relation("many_to_many", target, junction=junction)
    inverse: JSONValue = getattr(fld.options, "inverse", None)
    return Relation(ftype.relation, target, inverse=inverse if isinstance(inverse, str) else None)
