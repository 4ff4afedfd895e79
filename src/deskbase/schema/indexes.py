"""Composite indexes: definitions (`["status", "-created_at"]`), their declaration on a
collection's table, the service that creates and drops them, and which one serves a query.

A composite index ends with the record id (in the last field's direction), as every list
sorts by id last: then the index serves the list's order and its cursor completely.

An entry `opened_at:month` (a date or datetime field and a date bucket) indexes the field's
UTC bucket on SQLite, the expression an aggregation by that bucket groups on: SQLite then
reads the groups in index order instead of sorting every row (1M rows: 0.9 s to 0.2 s).
PostgreSQL aggregates by hashing and needs no such index: there the entry indexes the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from deskbase.kernel import tables as t
from deskbase.kernel.errors import (
    AlreadyExists,
    FieldError,
    IndexNotFound,
    InvalidName,
    ValidationFailed,
)
from deskbase.kernel.types import JSONValue
from deskbase.schema.model import Collection
from deskbase.schema.names import check_name, sql_name

if TYPE_CHECKING:
    from deskbase.schema.service import SchemaService

__all__ = [
    "BUCKET_UNITS",
    "MAX_INDEX_FIELDS",
    "IndexIn",
    "IndexRow",
    "IndexService",
    "declare_index",
    "index_columns",
    "indexable",
    "serving_index",
    "sqlite_bucket",
    "suggest_index",
]

MAX_INDEX_FIELDS = 5
BUCKET_UNITS = ("day", "week", "month", "quarter", "year")
# Cheap prefixes of SQLite's stored ISO text when no offset applies: (characters kept, suffix).
_PREFIX = {"day": (10, ""), "month": (7, "-01"), "year": (4, "-01-01")}


def _const(value: object) -> sa.ColumnElement[Any]:
    """A constant written into the SQL text: an expression index matches only literals."""
    return sa.literal(value, literal_execute=True)


def sqlite_bucket(
    col: sa.ColumnElement[Any], unit: str, modifier: sa.ColumnElement[Any] | None = None
) -> sa.ColumnElement[Any]:
    """The first day of `col`'s bucket as ISO text on SQLite; `modifier` shifts UTC to local
    time (`'+28800 seconds'`). Without one, the expression an index can hold."""
    text = sa.String()
    mods = [modifier] if modifier is not None else []
    if not mods and unit in _PREFIX:
        keep, suffix = _PREFIX[unit]
        cut = sa.func.substr(col, _const(1), _const(keep), type_=text)
        return cut.concat(_const(suffix)) if suffix else cut
    # date() with modifiers costs half of what strftime() does (measured at 1M rows).
    if unit == "day":
        return sa.func.date(col, *mods, type_=text)
    if unit == "week":  # back to the Monday on or before the day (ISO weeks)
        return sa.func.date(col, *mods, _const("-6 days"), _const("weekday 1"), type_=text)
    if unit == "month":
        return sa.func.date(col, *mods, _const("start of month"), type_=text)
    if unit == "year":
        return sa.func.date(col, *mods, _const("start of year"), type_=text)
    month = sa.cast(sa.func.substr(sa.func.date(col, *mods, type_=text), _const(6), _const(2)), sa.Integer())
    back = _const("-").concat(sa.cast((month + _const(2)) % _const(3), sa.String())).concat(_const(" months"))
    return sa.func.date(col, *mods, _const("start of month"), back, type_=text)


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One composite index as stored in ds_indexes: `fields` like ("status", "-created_at")."""

    collection: str
    name: str
    fields: tuple[str, ...]

    @property
    def sql_name(self) -> str:
        return sql_name("cx", self.collection, self.name)

    def to_json(self) -> dict[str, JSONValue]:
        return {"name": self.name, "fields": list(self.fields)}


class IndexIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fields: list[str] = Field(min_length=1, max_length=MAX_INDEX_FIELDS)
    name: str | None = None


def _split(spec: str) -> tuple[str, bool]:
    return spec.lstrip("-+"), spec.startswith("-")


def _bucket(name: str) -> tuple[str, str | None]:
    """`opened_at:month` → ("opened_at", "month"); a plain field has no unit."""
    field, _, unit = name.partition(":")
    return field, unit or None


def index_columns(fields: Sequence[str]) -> list[tuple[str, bool]]:
    """(field, descending) of every column of the index, the trailing id included."""
    cols = [_split(f) for f in fields]
    if cols and cols[-1][0] != "id":
        cols.append(("id", cols[-1][1]))
    return cols


def check_index_fields(coll: Collection, fields: Sequence[str], where: str = "fields") -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, spec in enumerate(fields):
        name, _ = _split(spec)
        field, unit = _bucket(name)
        fld = coll.fields.get(field)
        path = f"{where}.{i}"
        if fld is None:
            errors.append(FieldError(path, f"{coll.name} has no field {field!r}", "unknown_field"))
        elif fld.column is None or not fld.type.sortable:
            errors.append(FieldError(path, f"{fld.type.key} fields cannot be indexed", "not_indexable"))
        elif unit is not None and (unit not in BUCKET_UNITS or fld.value_kind not in ("date", "datetime")):
            message = f"a date bucket ({', '.join(BUCKET_UNITS)}) of a date or datetime field"
            errors.append(FieldError(path, message, "not_indexable"))
        elif name in seen:
            errors.append(FieldError(path, f"{name!r} is given twice", "duplicate"))
        elif name == "id" and i != len(fields) - 1:
            errors.append(FieldError(path, "id can only be the last field", "invalid_value"))
        seen.add(name)
    return errors


def declare_index(coll: Collection, row: IndexRow, dialect: str) -> sa.Index:
    """Declare the index on the collection's table; a field it needs that is gone is a 422."""
    errors = check_index_fields(coll, row.fields, f"indexes.{row.name}")
    if errors:
        raise ValidationFailed(
            f"Index {row.name!r} of {coll.name!r} uses {', '.join(row.fields)}; drop the index first",
            errors=errors,
        )
    exprs: list[Any] = []
    for name, desc in index_columns(row.fields):
        field, unit = _bucket(name)
        fld = coll.fields[field]
        col: Any = coll.table.c[field]
        if unit is not None and dialect == "sqlite":
            col = sqlite_bucket(col, unit)
        expr = col.desc() if desc else col.asc()
        # PostgreSQL sorts nullable keys with NULLs smallest (data/sorting.py); the index must
        # say the same to serve the ORDER BY. SQLite's NULLs are smallest anyway.
        if dialect == "postgresql" and not (field == "id" or (fld.system and fld.value_kind == "datetime")):
            expr = expr.nulls_last() if desc else expr.nulls_first()
        exprs.append(expr)
    return sa.Index(row.sql_name, *exprs)


# -- which index serves a query shape --------------------------------------------------


def serving_index(
    candidates: Sequence[tuple[str, Sequence[str]]],
    equality: Sequence[str],
    sort: Sequence[str],
    ranges: Sequence[str],
) -> str | None:
    """The name of the first candidate `(name, fields)` that serves the shape: its leading
    columns are the equality fields (any order), then the sort keys in order (all in the
    same or all in the opposite direction), or a range field when there is no sort."""
    wanted_sort = [_split(s) for s in sort if _split(s)[0] != "id"]
    for name, fields in candidates:
        cols = [_split(f) for f in fields]
        head, rest = cols[: len(equality)], cols[len(equality) :]
        if {c for c, _ in head} != set(equality):
            continue
        if wanted_sort:
            got = rest[: len(wanted_sort)]
            if [c for c, _ in got] != [c for c, _ in wanted_sort]:
                continue
            flips = {d1 != d2 for (_, d1), (_, d2) in zip(got, wanted_sort, strict=True)}
            if len(flips) == 1:
                return name
        elif not ranges or (rest and rest[0][0] in ranges):
            return name
    return None


def indexable(
    coll: Collection, equality: Sequence[str], sort: Sequence[str], ranges: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    """The part of a query shape that a B-tree index can serve: the collection's own stored,
    sortable fields; the sort only if every key sorts by its stored value (a select sorts by
    the order of its choices, which an index on the column does not hold)."""

    def usable(name: str) -> bool:
        fld = coll.fields.get(name)
        return fld is not None and fld.column is not None and fld.type.sortable

    def stored_order(name: str) -> bool:
        fld = coll.fields.get(name)
        return (
            fld is not None
            and fld.column is not None
            and fld.type.sort_key(fld.column, fld.options) is fld.column
        )

    keys = [s for s in sort if _split(s)[0] != "id"]
    ok_sort = all(usable(_split(s)[0]) and stored_order(_split(s)[0]) for s in keys)
    return (
        sorted(f for f in equality if usable(f)),
        keys if ok_sort else [],
        sorted(r for r in ranges if usable(r)),
    )


def suggest_index(
    coll: Collection, equality: Sequence[str], sort: Sequence[str], ranges: Sequence[str]
) -> list[str]:
    """Equality fields, then the sort keys, then a range field: the index that would serve."""
    eq, keys, rng = indexable(coll, equality, sort, ranges)
    out = [*eq, *(s for s in keys if _split(s)[0] not in eq)]
    names = {_split(s)[0] for s in out}
    out += [r for r in rng if r not in names][:1]
    return out[:MAX_INDEX_FIELDS]


def field_indexes(coll: Collection) -> list[tuple[str, list[str]]]:
    """The one-field indexes (indexed, unique and relation fields) as `(name, fields)`."""
    out: list[tuple[str, list[str]]] = [("id", ["id"])]
    for fld in coll.fields.values():
        if fld.column is not None and (fld.unique or fld.indexed or fld.is_relation):
            out.append((f"{fld.name} (field)", [fld.name]))
    return out


# -- the service -----------------------------------------------------------------------


class IndexService:
    """Creates and drops composite indexes: a ds_indexes row and the DDL, in one transaction."""

    def __init__(self, schema: SchemaService) -> None:
        self.schema = schema

    def list_indexes(self, collection: str) -> list[IndexRow]:
        self.schema.catalog.get(collection)
        return [r for r in self.schema.index_rows if r.collection == collection]

    async def create_index(self, collection: str, payload: IndexIn, now: datetime | None = None) -> IndexRow:
        coll = self.schema.catalog.get(collection)
        errors = check_index_fields(coll, payload.fields)
        if errors:
            raise ValidationFailed("Invalid index", errors=errors)
        name = payload.name or _default_name(payload.fields)
        try:
            check_name(name, "index")
        except InvalidName as exc:
            raise ValidationFailed(exc.detail, errors=exc.errors) from None
        wanted = index_columns(payload.fields)
        flipped = [(c, not d) for c, d in wanted]
        for other in self.list_indexes(collection):
            if other.name == name:
                raise AlreadyExists(f"Index {name!r} already exists on {collection!r}")
            if index_columns(other.fields) in (wanted, flipped):
                raise AlreadyExists(f"Index {other.name!r} already serves these fields")
        row = IndexRow(collection, name, tuple(payload.fields))
        built = self.schema.candidate_catalog([*self.schema.index_rows, row])
        index = next(i for i in built[collection].table.indexes if i.name == row.sql_name)
        async with self.schema.change() as conn:
            await conn.execute(
                t.indexes.insert().values(
                    collection=collection,
                    name=name,
                    fields=list(row.fields),
                    created_at=now or datetime.now(UTC),
                )
            )
            await conn.run_sync(lambda c: index.create(c))
        await self.schema.load()
        return row

    async def drop_index(self, collection: str, name: str) -> None:
        coll = self.schema.catalog.get(collection)
        row = next((r for r in self.list_indexes(collection) if r.name == name), None)
        index = next((i for i in coll.table.indexes if i.name == (row.sql_name if row else None)), None)
        if row is None or index is None:
            raise IndexNotFound(f"Index {name!r} does not exist on {collection!r}")
        async with self.schema.change() as conn:
            await conn.execute(
                t.indexes.delete().where(t.indexes.c.collection == collection, t.indexes.c.name == name)
            )
            await conn.run_sync(lambda c: index.drop(c))
        await self.schema.load()


def _default_name(fields: Sequence[str]) -> str:
    """`status_created_at_desc` for ["status", "-created_at"], or a hash when that is no name."""
    name = "_".join(f"{n}_desc" if desc else n for n, desc in map(_split, fields)).replace(":", "_")
    try:
        return check_name(name, "index")
    except InvalidName:
        return "ix_" + hashlib.sha1(",".join(fields).encode()).hexdigest()[:10]
