"""Sort keys to ORDER BY, joins for many-to-one and extension paths, and keyset predicates.

NULLs sort as the smallest value on both databases (SQLite's own rule; PostgreSQL is told
so for nullable keys), so that a cursor means the same thing on either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from deskbase.data.filters import resolve_path
from deskbase.data.query import SortKey
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = ["SortPlan", "plan_sort"]


@dataclass(slots=True)
class SortPlan:
    columns: list[sa.ColumnElement[Any]]
    descending: list[bool]
    nullable: list[bool]
    joins: list[tuple[sa.FromClause, sa.ColumnElement[bool]]]
    signature: str

    def order_by(self, dialect: str) -> list[sa.ColumnElement[Any]]:
        out: list[sa.ColumnElement[Any]] = []
        for col, desc, nullable in zip(self.columns, self.descending, self.nullable, strict=True):
            clause = col.desc() if desc else col.asc()
            if nullable and dialect == "postgresql":
                clause = clause.nulls_last() if desc else clause.nulls_first()
            out.append(clause)
        return out

    def after(self, values: list[object]) -> sa.ColumnElement[bool]:
        """Rows that come after the row whose sort values are `values`."""
        if len(values) != len(self.columns):
            raise ValidationFailed("The cursor does not fit this sort")
        if not any(self.nullable) and len(set(self.descending)) == 1:
            left, right = (
                sa.tuple_(*self.columns),
                sa.tuple_(*[sa.literal(v, c.type) for v, c in zip(values, self.columns, strict=True)]),
            )
            return left < right if self.descending[0] else left > right
        terms = []
        for i, (col, desc, value) in enumerate(zip(self.columns, self.descending, values, strict=True)):
            equal = [_equal(c, v) for c, v in zip(self.columns[:i], values[:i], strict=True)]
            terms.append(sa.and_(*equal, _beyond(col, desc, value)))
        return sa.or_(*terms)


def _equal(col: sa.ColumnElement[Any], value: object) -> sa.ColumnElement[bool]:
    return col.is_(None) if value is None else col == sa.literal(value, col.type)


def _beyond(col: sa.ColumnElement[Any], desc: bool, value: object) -> sa.ColumnElement[bool]:
    if value is None:
        return sa.false() if desc else col.is_not(None)
    bound = sa.literal(value, col.type)  # typed, so booleans compare like any other value
    if desc:
        return sa.or_(col < bound, col.is_(None))
    return col > bound


def plan_sort(coll: Collection, catalog: Catalog, keys: tuple[SortKey, ...]) -> SortPlan:
    plan = SortPlan([], [], [], [], "")
    aliases: dict[str, sa.FromClause] = {}
    seen_id = False
    for key in keys:
        col, nullable = _resolve(coll, catalog, key.path, plan, aliases)
        plan.columns.append(col)
        plan.descending.append(key.descending)
        plan.nullable.append(nullable)
        seen_id = seen_id or key.path == "id"
        if key.path == "id":
            break
    if not seen_id:
        plan.columns.append(coll.table.c.id)
        plan.descending.append(keys[-1].descending if keys else False)
        plan.nullable.append(False)
    plan.signature = ",".join(
        ("-" if d else "") + str(c) for c, d in zip(plan.columns, plan.descending, strict=True)
    )
    return plan


def _resolve(
    coll: Collection, catalog: Catalog, path: str, plan: SortPlan, aliases: dict[str, sa.FromClause]
) -> tuple[sa.ColumnElement[Any], bool]:
    hops, fld = resolve_path(coll, catalog, path, where=f"sort.{path}")
    source: sa.FromClause = coll.table
    prefix = ""
    for hop in hops:
        if hop.kind not in ("many_to_one", "extension"):
            raise _bad(path, f"{hop.kind} relations cannot be sorted on", "not_sortable")
        step = hop.field.name if hop.field else hop.target.name
        prefix = f"{prefix}{step}."
        if prefix not in aliases:
            alias = hop.target.table.alias(f"s_{len(aliases)}")
            if hop.field is not None:
                on = alias.c.id == source.c[hop.field.name]
            else:
                ext = hop.target.extends
                assert ext is not None
                on = sa.and_(alias.c.id == source.c.id, source.c[ext.discriminator] == ext.value)
            plan.joins.append((alias, on))
            aliases[prefix] = alias
        source = aliases[prefix]
    if fld.column is None or not fld.type.sortable:
        raise _bad(path, f"{fld.type.key} fields cannot be sorted on", "not_sortable")
    nullable = bool(hops) or not (fld.name == "id" or (fld.system and fld.value_kind == "datetime"))
    return fld.type.sort_key(source.c[fld.name], fld.options), nullable


def _bad(path: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(
        f"Cannot sort on {path!r}: {message}", errors=[FieldError(f"sort.{path}", message, code)]
    )
