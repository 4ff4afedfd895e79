"""Field paths of an aggregation to columns: many-to-one and extension hops become LEFT JOINs.

A join never multiplies rows (each hop reaches at most one record), so counts and sums stay
right; to-many hops are refused.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from deskbase.data.filters import Restrict, resolve_path
from deskbase.kernel.errors import FieldError, ValidationFailed

if TYPE_CHECKING:
    from deskbase.schema.catalog import Catalog
    from deskbase.schema.model import Collection, Field

__all__ = ["GROUPABLE", "Source", "field_error"]

# Value kinds with one comparable value per record; arrays, JSON, files and to-many
# relations hold several (or none comparable) and are refused.
GROUPABLE = frozenset({"text", "number", "bool", "date", "datetime", "time", "ref"})


def field_error(where: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError(where, message, code)])


class Source:
    """The FROM clause of one aggregation: the collection's table and the joins its paths need."""

    def __init__(self, coll: Collection, catalog: Catalog, restrict: Restrict | None = None) -> None:
        self.coll = coll
        self.catalog = catalog
        self.restrict = restrict  # a role's scope on related records: others join as empty
        self.joined: sa.FromClause = coll.table
        self._aliases: dict[str, sa.FromClause] = {}

    def column(self, path: str, where: str) -> tuple[sa.ColumnElement[Any], Field]:
        """The column of `path` (joined in as needed) and its field; raises ValidationFailed."""
        hops, fld = resolve_path(self.coll, self.catalog, path, where=where)
        for hop in hops:
            if hop.kind not in ("many_to_one", "extension"):
                message = f"{path!r} goes through a {hop.kind} relation: a record has several values"
                raise field_error(where, message, "not_groupable")
        kind = fld.value_kind
        if kind not in GROUPABLE or fld.column is None:
            what = fld.type.key
            message = f"{fld.name!r} is a {what} field: a record holds several values or none comparable"
            raise field_error(where, message, "not_groupable")
        source: sa.FromClause = self.coll.table
        prefix = ""
        for hop in hops:
            prefix += f"{hop.field.name if hop.field else hop.target.name}."
            if prefix not in self._aliases:
                alias = hop.target.table.alias(f"j_{len(self._aliases)}")
                if hop.field is not None:
                    on = alias.c.id == source.c[hop.field.name]
                    scope = self.restrict(hop.target) if self.restrict is not None else None
                    if scope is not None:
                        visible = sa.select(hop.target.id_column).where(scope).correlate(None)
                        on = sa.and_(on, alias.c.id.in_(visible))
                else:
                    ext = hop.target.extends
                    if ext is None:  # resolve_path only makes extension hops to extensions
                        raise field_error(where, f"{hop.target.name!r} is not an extension", "invalid")
                    on = sa.and_(alias.c.id == source.c.id, source.c[ext.discriminator] == ext.value)
                self.joined = self.joined.outerjoin(alias, on)
                self._aliases[prefix] = alias
            source = self._aliases[prefix]
        return source.c[fld.name], fld
