"""Sort keys to ORDER BY, joins for many-to-one and extension paths, and keyset predicates.

NULLs sort as the smallest value on both databases (SQLite's own rule; PostgreSQL is told
so for nullable keys), so that a cursor means the same thing on either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from deskbase.data.cursor import CursorValues
from deskbase.data.filters import Restrict, resolve_path
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

    def after(self, values: list[object], dialect: str) -> list[sa.ColumnElement[bool]]:
        """The rows after the row whose sort values are `values`, as disjoint conditions in
        sort order: read them in turn until the page is full.

        Each condition is one index range: equalities, then a bound on the next key. An
        `OR col IS NULL` in the same condition would lose the range on both databases, so a
        nullable key's NULLs get their own condition (after its values when descending, before
        them when ascending). PostgreSQL seeks a row value `(a, id) < (?, ?)` exactly, so keys
        sorted the same way make one condition there; SQLite (3.40) seeks only on `a` and would
        walk every row tied on it, so it gets `a = ? AND id < ?`, then `a < ?`. For one
        nullable key and the id: one or two reads on PostgreSQL, two or three on SQLite, each
        served by an index on (equality fields, key, id) from the right place.

        A cursor that says on which key the row after it differed (`CursorValues.depth`)
        drops the parts tied with it on more keys: they were empty when its page was read (a
        row written since into such a tie is not read, as one written before the cursor's
        place is not). So SQLite reads `a = ? AND id < ?` only when the next row shared `a`.
        """
        if len(values) != len(self.columns):
            raise ValidationFailed("The cursor does not fit this sort")
        rows = dialect == "postgresql"
        parts: list[_Part] = []  # the rows after the cursor's among those tied with it so far
        keys = zip(self.columns, self.descending, self.nullable, values, strict=True)
        for level, (col, desc, nullable, value) in reversed(list(enumerate(keys))):
            parts = _level(level, col, desc, nullable, value, parts, rows=rows)
        depth = values.depth if isinstance(values, CursorValues) else None
        return [_sql(p) for level, p in parts if depth is None or level <= depth]


@dataclass(frozen=True, slots=True)
class _Range:
    """`(c1, c2, …) < (v1, v2, …)` (`>` ascending): the rows beyond a point of keys that sort
    one way. With one column, `c1 < v1`."""

    columns: tuple[sa.ColumnElement[Any], ...]
    values: tuple[object, ...]
    descending: bool

    def condition(self) -> sa.ColumnElement[bool]:
        # Typed literals, so that booleans and instants compare like the column's values.
        bounds = [sa.literal(v, c.type) for c, v in zip(self.columns, self.values, strict=True)]
        left: sa.ColumnElement[Any] = self.columns[0]
        right: sa.ColumnElement[Any] = bounds[0]
        if len(self.columns) > 1:
            left, right = sa.tuple_(*self.columns), sa.tuple_(*bounds)
        return left < right if self.descending else left > right


# (the key where the part's rows stop being tied with the cursor's, its condition)
_Part = tuple[int, _Range | sa.ColumnElement[bool]]


def _level(
    level: int,
    col: sa.ColumnElement[Any],
    desc: bool,
    nullable: bool,
    value: object,
    deeper: list[_Part],
    *,
    rows: bool,
) -> list[_Part]:
    """The parts after the cursor for the keys from `col` on, from `deeper`: the parts for
    the keys after `col` among the rows whose keys up to `col` equal the cursor's."""
    if value is None:  # the cursor row is among this key's NULLs
        tied: list[_Part] = [(at, sa.and_(col.is_(None), _sql(p))) for at, p in deeper]
        return tied if desc else [*tied, (level, col.is_not(None))]  # ascending: values follow
    out: list[_Part]
    nxt = deeper[0][1] if len(deeper) == 1 else None
    if rows and isinstance(nxt, _Range) and nxt.descending == desc:
        # A row value leaves out the rows whose `col` is NULL (their comparison is NULL).
        out = [(level, _Range((col, *nxt.columns), (value, *nxt.values), desc))]
    else:
        bound = sa.literal(value, col.type)
        out = [(at, sa.and_(col == bound, _sql(p))) for at, p in deeper]
        out.append((level, _Range((col,), (value,), desc)))
    if nullable and desc:
        out.append((level, col.is_(None)))  # NULLs sort smallest: after every value descending
    return out


def _sql(part: _Range | sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return part.condition() if isinstance(part, _Range) else part


def plan_sort(
    coll: Collection, catalog: Catalog, keys: tuple[SortKey, ...], restrict: Restrict | None = None
) -> SortPlan:
    """The ORDER BY of `keys`; with `restrict` (a role's list scopes), a related record outside
    it joins as empty, so that its values cannot be learned from the order."""
    plan = SortPlan([], [], [], [], "")
    aliases: dict[str, sa.FromClause] = {}
    seen_id = False
    for key in keys:
        col, nullable = _resolve(coll, catalog, key.path, plan, aliases, restrict)
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
    coll: Collection,
    catalog: Catalog,
    path: str,
    plan: SortPlan,
    aliases: dict[str, sa.FromClause],
    restrict: Restrict | None = None,
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
                scope = restrict(hop.target) if restrict is not None else None
                if scope is not None:
                    visible = sa.select(hop.target.id_column).where(scope).correlate(None)
                    on = sa.and_(on, alias.c.id.in_(visible))
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
