"""Compile a FilterNode into one SQLAlchemy condition on a collection's table.

A dotted path (`customer.name`) walks relations and extensions; each hop becomes an
`IN (SELECT …)` subquery, so the outer query needs no join and "any related record
matches" is the semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from deskbase.data.filters.ast import And, Condition, FilterNode, Not, Or, filter_error
from deskbase.data.filters.operators.base import Operand, Operator, RelatedPairs, positive
from deskbase.data.filters.values import ValueContext, substitute
from deskbase.kernel.errors import AppError

if TYPE_CHECKING:
    from deskbase.kernel.registry import Registry
    from deskbase.kernel.types import JSONValue
    from deskbase.schema.catalog import Catalog
    from deskbase.schema.model import Collection, Field

__all__ = [
    "DIALECTS",
    "MAX_HOPS",
    "Hop",
    "Restrict",
    "compile_filter",
    "related_pairs",
    "resolve_path",
]

MAX_HOPS = 3
DIALECTS = frozenset({"sqlite", "postgresql"})

HopKind = Literal["many_to_one", "one_to_many", "many_to_many", "extension"]
# The condition on a related collection's rows that a path may reach; None: all of them.
Restrict = Callable[["Collection"], "sa.ColumnElement[bool] | None"]


@dataclass(frozen=True, slots=True, eq=False)
class Hop:
    """One step of a path: from `source` through relation `field` to `target`; `field` is
    None when `target` is an extension of `source` (joined 1:1 on id)."""

    source: Collection
    target: Collection
    field: Field | None = None

    @property
    def kind(self) -> HopKind:
        if self.field is None:
            return "extension"
        if self.field.relation is None:
            raise AppError(f"Field {self.field.name!r} lost its relation")
        return self.field.relation.kind


def resolve_path(
    collection: Collection, catalog: Catalog, path: str, *, where: str | None = None
) -> tuple[list[Hop], Field]:
    """The hops of `path` and its last field: `customer.name` → ([tickets→customers], name).

    Unknown names raise ValidationFailed (code `unknown_field`, on `where`, by default
    `filter.<path>`); more than MAX_HOPS hops raise `path_too_deep`.
    """
    where = where or f"filter.{path}"
    *steps, last = path.split(".")
    if len(steps) > MAX_HOPS:
        raise filter_error(where, f"a path has at most {MAX_HOPS} relation steps", "path_too_deep")
    hops: list[Hop] = []
    current = collection
    for step in steps:
        extension = current.extensions.get(step)
        if extension is not None:
            hops.append(Hop(current, extension))
            current = extension
            continue
        field = current.field(step)
        if field is None or field.relation is None:
            raise _unknown(where, f"{current.name} has no relation {step!r}")
        target = catalog.find(field.relation.target)
        if target is None:
            raise _unknown(where, f"collection {field.relation.target!r} does not exist")
        hops.append(Hop(current, target, field))
        current = target
    field = current.field(last)
    if field is None:
        raise _unknown(where, f"{current.name} has no field {last!r}")
    return hops, field


def related_pairs(field: Field, catalog: Catalog) -> RelatedPairs | None:
    """(owner id, related id) rows of a to-many relation field; None for other fields."""
    relation = field.relation
    if relation is None or relation.kind == "many_to_one":
        return None
    if relation.kind == "many_to_many":
        if relation.junction is None:
            raise AppError(f"Field {field.name!r} has no junction table")
        junction = relation.junction.c
        return RelatedPairs(junction.source_id, junction.target_id)
    target = catalog.find(relation.target)
    inverse = target.field(relation.inverse or "") if target else None
    if target is None or inverse is None or inverse.column is None:
        raise AppError(f"Field {field.name!r} has no inverse field on {relation.target!r}")
    return RelatedPairs(inverse.column, target.id_column)


def compile_filter(
    node: FilterNode,
    collection: Collection,
    catalog: Catalog,
    operators: Registry[Operator],
    *,
    dialect: str,
    variables: Mapping[str, JSONValue],
    now: datetime,
    timezone: str = "UTC",
    restrict: Restrict | None = None,
) -> sa.ColumnElement[bool]:
    """The condition for `node` on `collection`'s table, for a `select(...).where(...)`.

    `variables` feed `{{ currentUser.id }}`; `now` and `timezone` anchor relative dates and
    the day boundaries of `$dateOn`. The empty filter compiles to `true()`. Unknown fields,
    operators and bad values raise ValidationFailed, before any SQL runs. `restrict` gives
    the records of a related collection that a path may reach (a role's record scope).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unsupported dialect {dialect!r}")
    try:
        tz = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise filter_error("timezone", f"unknown time zone {timezone!r}", "invalid_value") from None
    aware_now = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    compiler = _Compiler(catalog, operators, dialect, variables, aware_now, tz, restrict)
    return compiler.node(node, collection)


def _unknown(where: str, message: str) -> Exception:
    return filter_error(where, message, "unknown_field")


@dataclass(frozen=True, slots=True)
class _Compiler:
    catalog: Catalog
    operators: Registry[Operator]
    dialect: str
    variables: Mapping[str, JSONValue]
    now: datetime
    tz: ZoneInfo
    restrict: Restrict | None = None

    def node(self, node: FilterNode, collection: Collection) -> sa.ColumnElement[bool]:
        match node:
            case Condition():
                return self.condition(node, collection)
            case Not(child):
                return sa.not_(self.node(child, collection))
            case And(children):
                return sa.and_(sa.true(), *(self.node(c, collection) for c in children))
            case Or(children):
                return sa.or_(sa.false(), *(self.node(c, collection) for c in children))

    def condition(self, node: Condition, collection: Collection) -> sa.ColumnElement[bool]:
        where = f"filter.{node.path}"
        hops, field = resolve_path(collection, self.catalog, node.path, where=where)
        if node.op not in self.operators:
            raise filter_error(where, f"unknown operator {node.op!r}", "unknown_operator")
        operator = self.operators.get(node.op)
        kind = field.value_kind
        if kind not in operator.kinds:
            message = f"{node.op} does not apply to {field.name!r} (a {kind} field)"
            raise filter_error(where, message, "operator_not_supported")
        pairs = related_pairs(field, self.catalog) if kind == "refs" else None
        if field.column is None and pairs is None:
            message = f"{field.name!r} is not stored, so it cannot be filtered on"
            raise filter_error(where, message, "operator_not_supported")
        operand = Operand(
            field=field,
            collection=hops[-1].target if hops else collection,
            column=field.column,
            dialect=self.dialect,
            values=ValueContext(kind, self.now, self.tz, where),
            pairs=pairs,
        )
        value = substitute(node.value, self.variables, where)
        condition = operator.compile(operand, operator.coerce(operand, value))
        for hop in reversed(hops):
            condition = self.through(hop, condition)
        return condition

    def through(self, hop: Hop, inner: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
        """`inner` holds on some record of `hop.target` related to the source record."""
        source, target = hop.source, hop.target
        if hop.field is not None and self.restrict is not None:
            scope = self.restrict(target)
            if scope is not None:
                inner = sa.and_(inner, scope)
        ids = sa.select(target.id_column).where(inner).correlate(None)
        if hop.field is None:
            extends = target.extends
            discriminator = source.field(extends.discriminator) if extends else None
            if extends is None or discriminator is None or discriminator.column is None:
                raise AppError(f"{target.name!r} is not an extension of {source.name!r}")
            column = discriminator.column
            is_type = positive(column, column == extends.value)
            return sa.and_(is_type, source.id_column.in_(ids))
        if hop.kind == "many_to_one":
            if hop.field.column is None:
                raise AppError(f"Field {hop.field.name!r} has no column")
            return positive(hop.field.column, hop.field.column.in_(ids))
        pairs = related_pairs(hop.field, self.catalog)
        relation = hop.field.relation
        if pairs is None or relation is None:
            raise AppError(f"Field {hop.field.name!r} is not a to-many relation")
        owners = pairs.owners(inner)
        if relation.junction is not None:  # many_to_many: reach the target through the junction
            joined = relation.junction.join(target.table, pairs.related == target.id_column)
            owners = owners.select_from(joined)
        return source.id_column.in_(owners)
