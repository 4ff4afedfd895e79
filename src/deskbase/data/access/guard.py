"""The Guard: what an actor may do to a collection, as SQL conditions and field sets.

Every read and write path of the data layer asks the Guard first: `grant()` refuses an
action that none of the actor's roles has (403); the Grant's `where()` is the record scope,
ANDed into the path's own SQL; `check_*` refuse names of fields the roles may not use
(403 `field_forbidden`), so that no filter, sort, group or search becomes a side channel.
Admins and the system get an unrestricted Grant and pay nothing.

Several roles combine as a union: an action is allowed if any role allows it, the scopes
are ORed, and the field sets are merged (a role without `fields` opens every field).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from deskbase.data.access.rules import Permissions, Rule
from deskbase.data.filters import (
    And,
    Condition,
    FilterNode,
    Not,
    Or,
    compile_filter,
    parse_filter,
    resolve_path,
)
from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import AppError, FieldError, FieldForbidden, PermissionDenied
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

if TYPE_CHECKING:
    from deskbase.data.filters import Operator
    from deskbase.kernel.registry import Registry

__all__ = ["Grant", "Guard", "Reading"]


@dataclass(frozen=True, slots=True)
class Grant:
    """The union of the actor's roles' rules for one action on one collection."""

    coll: Collection
    action: str
    rules: tuple[Rule, ...] = ()
    unrestricted: bool = False

    @property
    def fields(self) -> frozenset[str] | None:
        """The fields allowed (reading or writing, by action); None: all of them."""
        if self.unrestricted or any(r.fields is None for r in self.rules):
            return None
        return frozenset().union(*(r.fields or frozenset() for r in self.rules))

    @property
    def all_records(self) -> bool:
        return self.unrestricted or any(r.scope == "all" for r in self.rules)

    def allows(self, name: str) -> bool:
        """Whether field `name` (or `extension.field`) may be used."""
        allowed = self.fields
        if allowed is None or name == "id" or name in allowed:
            return True
        head, dot, _ = name.partition(".")
        return bool(dot) and head in allowed and head in self.coll.extensions

    def readable(self) -> list[str] | None:
        """Field names for a projection (extensions by name or `ext.field`); None: all."""
        allowed = self.fields
        if allowed is None:
            return None
        return [n for n in (*self.coll.fields, *self.coll.extensions) if n in allowed] + sorted(
            n for n in allowed if "." in n and n.partition(".")[0] not in allowed
        )

    def forbidden(self, names: Iterable[str], where: str) -> None:
        """Refuse (403 `field_forbidden`) any of `names` this grant does not allow."""
        bad = sorted({n for n in names if not self.allows(n)})
        if bad:
            raise FieldForbidden(
                f"Your role may not {_verb(self.action)} {', '.join(bad)} of {self.coll.name}",
                errors=[
                    FieldError(f"{where}.{n}" if where else n, "not allowed for your role", "field_forbidden")
                    for n in bad
                ],
            )


def _verb(action: str) -> str:
    return {"create": "write", "update": "write", "import": "write"}.get(action, "read")


class Guard:
    """Holds every role's permissions in memory (loaded at start, replaced on each change)."""

    def __init__(
        self, catalog: Catalog, operators: Registry[Operator], *, dialect: str, timezone: str
    ) -> None:
        self.catalog = catalog
        self.operators = operators
        self.dialect = dialect
        self.timezone = timezone
        self._roles: dict[str, Permissions] = {}

    def replace(self, roles: dict[str, Permissions]) -> None:
        self._roles = roles

    def set_role(self, role: str, perms: Permissions) -> None:
        self._roles = {**self._roles, role: perms}

    def role(self, role: str) -> Permissions:
        return self._roles.get(role, {})

    # -- grants ----------------------------------------------------------------------------

    def rules(self, ctx: RequestContext, coll: Collection, action: str) -> tuple[Rule, ...]:
        found = []
        for role in ctx.actor.roles:
            rule = self._roles.get(role, {}).get(coll.name, {}).get(action)
            if rule is not None:
                found.append(rule)
        return tuple(found)

    def allows(self, ctx: RequestContext, coll: Collection, action: str) -> bool:
        return ctx.actor.is_admin or bool(self.rules(ctx, coll, action))

    def grant(self, ctx: RequestContext, coll: Collection, action: str) -> Grant:
        """The Grant for `action`, or 403 if none of the actor's roles has it."""
        if ctx.actor.is_admin:
            return Grant(coll, action, unrestricted=True)
        rules = self.rules(ctx, coll, action)
        if not rules:
            raise PermissionDenied(
                f"Your role may not {action} {coll.name}",
                errors=[FieldError(coll.name, f"{action} is not allowed for your role", "action_forbidden")],
            )
        return Grant(coll, action, rules)

    def usable_fields(self, ctx: RequestContext, coll: Collection) -> set[str] | None:
        """Fields any of the actor's actions on `coll` may read or write (None: all); an empty
        set when no action is allowed at all (the collection is not shown)."""
        if ctx.actor.is_admin:
            return None
        names: set[str] = set()
        for role in ctx.actor.roles:
            for rule in self._roles.get(role, {}).get(coll.name, {}).values():
                if rule.fields is None:
                    return None
                names |= {f.partition(".")[0] for f in rule.fields}
        return names

    # -- scopes ----------------------------------------------------------------------------

    def where(self, ctx: RequestContext, grant: Grant) -> sa.ColumnElement[bool] | None:
        """The grant's record scope as a condition on its table; None when it is every record."""
        if grant.all_records:
            return None
        return sa.or_(*(self._scope(ctx, grant.coll, rule) for rule in grant.rules))

    def _scope(self, ctx: RequestContext, coll: Collection, rule: Rule) -> sa.ColumnElement[bool]:
        actor = ctx.actor
        if rule.scope == "own":
            return coll.table.c.created_by == actor.id if actor.id is not None else sa.false()
        if rule.scope == "department":
            if not actor.department_scope_ids:
                return sa.false()
            members = sa.select(t.user_departments.c.user_id).where(
                t.user_departments.c.department_id.in_(actor.department_scope_ids)
            )
            return coll.table.c.created_by.in_(members)
        try:
            return self.compile_scope(ctx, coll, rule)
        except AppError:
            # A scope that no longer compiles (a field was dropped, a variable is empty for
            # this user) opens nothing rather than failing every request.
            return sa.false()

    def compile_scope(self, ctx: RequestContext, coll: Collection, rule: Rule) -> sa.ColumnElement[bool]:
        """A filter scope as SQL; raises ValidationFailed if it does not compile."""
        return compile_filter(
            parse_filter(rule.filter),
            coll,
            self.catalog,
            self.operators,
            dialect=self.dialect,
            variables=ctx.variables(),
            now=ctx.now,
            timezone=self.timezone,
        )

    def restrict(self, ctx: RequestContext) -> _Restrict:
        """For filter paths through relations: the related records the actor may list."""
        return _Restrict(self, ctx)

    # -- field checks ----------------------------------------------------------------------

    def check_filter(
        self, ctx: RequestContext, grant: Grant, node: FilterNode, where: str = "filter"
    ) -> None:
        """Every path of a filter must be readable, hop by hop (403 otherwise)."""
        if grant.unrestricted:
            return
        for path in _paths(node):
            self.check_path(ctx, grant, path, where)

    def check_path(self, ctx: RequestContext, grant: Grant, path: str, where: str) -> None:
        if grant.unrestricted:
            return
        hops, _ = resolve_path(grant.coll, self.catalog, path, where=f"{where}.{path}")
        steps = path.split(".")
        current, prefix = grant, ""
        for step, hop in zip(steps, hops, strict=False):
            if hop.field is None:  # an extension: its fields are `ext.field` on the master's rules
                prefix = f"{step}."
                continue
            current.forbidden([prefix + step], where)
            current, prefix = self.grant(ctx, hop.target, "list"), ""
        current.forbidden([prefix + steps[-1]], where)


@dataclass(frozen=True, slots=True)
class _Restrict:
    guard: Guard
    ctx: RequestContext

    def __call__(self, coll: Collection) -> sa.ColumnElement[bool] | None:
        if self.ctx.actor.is_admin:
            return None
        rules = self.guard.rules(self.ctx, coll, "list")
        if not rules:
            return sa.false()
        return self.guard.where(self.ctx, Grant(coll, "list", rules))


def _paths(node: FilterNode) -> Iterable[str]:
    match node:
        case Condition(path=path):
            yield path
        case Not(child):
            yield from _paths(child)
        case And(children) | Or(children):
            for child in children:
                yield from _paths(child)


@dataclass(slots=True)
class Reading:
    """The read rules of one request: the main collection's Grant, and `list` for the rest."""

    guard: Guard
    ctx: RequestContext
    top: Grant

    def grant(self, coll: Collection) -> Grant:
        if coll is self.top.coll:
            return self.top
        return self.guard.grant(self.ctx, coll, "list")

    def where(self, coll: Collection) -> sa.ColumnElement[bool] | None:
        return self.guard.where(self.ctx, self.grant(coll))
