"""The permission store: roles' rules in `ds_permissions`, and the Guard kept in step with them."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from deskbase.data.access.guard import Grant, Guard
from deskbase.data.access.rules import Permissions, Rule, parse_permissions, permissions_to_json
from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.changes import PERMISSIONS
from deskbase.kernel.context import ADMIN_ROLE, Actor, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AppError, Conflict, FieldError, RoleNotFound, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog

__all__ = ["PermissionStore"]

# A stand-in user for checking that scope filters compile when they are saved.
_PROBE = RequestContext(Actor(id=0, email="probe@example.com", roles=("probe",), department_ids=(0,)))


class PermissionStore:
    def __init__(self, db: Database, catalog: Catalog, guard: Guard) -> None:
        self.db = db
        self.catalog = catalog
        self.guard = guard

    async def load(self) -> None:
        """Read every role's rules into the Guard (at start, and after a schema change)."""
        roles: dict[str, Permissions] = defaultdict(lambda: defaultdict(dict))
        async with self.db.read() as conn:
            for row in await conn.execute(sa.select(t.permissions)):
                if row.collection not in self.catalog:
                    continue
                scope = row.scope
                rule = Rule(
                    "filter" if isinstance(scope, dict) else scope,
                    scope if isinstance(scope, dict) else None,
                    frozenset(row.fields) | {"id"} if row.fields is not None else None,  # as parsed
                )
                roles[row.role][row.collection][row.action] = rule
        self.guard.replace({role: dict(perms) for role, perms in roles.items()})

    async def get(self, role: str) -> dict[str, JSONValue]:
        await self._role(role)
        return permissions_to_json(self.guard.role(role))

    async def put(self, ctx: RequestContext, role: str, raw: JSONValue) -> dict[str, JSONValue]:
        """Replace a role's rules as a whole (other roles are untouched); audited."""
        await self._role(role)
        if role == ADMIN_ROLE:
            raise Conflict(
                "The admin role may do everything; its permissions cannot be set",
                errors=[FieldError("role", "admin bypasses every check", "admin_role")],
            )
        perms = parse_permissions(raw, self.catalog)
        self._check_scopes(perms)
        before = permissions_to_json(self.guard.role(role))
        rows = [
            {
                "role": role,
                "collection": coll,
                "action": action,
                "scope": rule.filter if rule.scope == "filter" else rule.scope,
                "fields": sorted(rule.fields - {"id"}) if rule.fields is not None else None,
            }
            for coll, actions in perms.items()
            for action, rule in actions.items()
        ]
        after = permissions_to_json(perms)
        async with self.db.write() as conn:
            await conn.execute(t.permissions.delete().where(t.permissions.c.role == role))
            if rows:
                await conn.execute(t.permissions.insert(), rows)
            await conn.execute(t.roles.update().where(t.roles.c.name == role).values(updated_at=ctx.now))
            await record(
                conn,
                ctx,
                Entry("role.permissions", detail={"role": role}, changes={"permissions": (before, after)}),
            )
            await self.db.changes.publish(conn, PERMISSIONS)
        self.guard.set_role(role, perms)
        return after

    def _check_scopes(self, perms: Permissions) -> None:
        errors: list[FieldError] = []
        for coll_name, actions in perms.items():
            coll = self.catalog.get(coll_name)
            for action, rule in actions.items():
                if rule.scope != "filter":
                    continue
                probe = Guard(
                    self.catalog,
                    self.guard.operators,
                    dialect=self.guard.dialect,
                    timezone=self.guard.timezone,
                )
                try:
                    probe.compile_scope(_PROBE, coll, rule)
                except AppError as exc:
                    errors += [
                        FieldError(f"{coll_name}.{action}.scope", e.message, e.code) for e in exc.errors
                    ] or [FieldError(f"{coll_name}.{action}.scope", exc.detail, exc.code)]
        if errors:
            raise ValidationFailed("Invalid permissions", errors=errors)

    async def _role(self, role: str) -> None:
        async with self.db.read() as conn:
            found = (await conn.execute(sa.select(t.roles.c.name).where(t.roles.c.name == role))).first()
        if found is None:
            raise RoleNotFound(
                f"No role {role!r}", errors=[FieldError("role", "unknown role", "role_not_found")]
            )

    def describe(self, ctx: RequestContext) -> dict[str, JSONValue]:
        """The actor's effective permissions, per collection and action (for `GET /api/me`)."""
        out: dict[str, JSONValue] = {}
        for coll in self.catalog:
            actions: dict[str, JSONValue] = {}
            names: set[str] = set()
            for role in ctx.actor.roles:
                names.update(self.guard.role(role).get(coll.name, {}))
            if ctx.actor.is_admin:
                names.update(("list", "get", "create", "update", "delete", "import", "export"))
            for action in sorted(names):
                if ctx.actor.is_admin:
                    actions[action] = {"scope": "all"}
                    continue
                grant = Grant(coll, action, self.guard.rules(ctx, coll, action))
                scopes: list[JSONValue] = [r.filter if r.scope == "filter" else r.scope for r in grant.rules]
                entry: dict[str, JSONValue] = {"scope": "all" if grant.all_records else scopes}
                if grant.fields is not None:
                    entry["fields"] = list[JSONValue](sorted(grant.fields))
                actions[action] = entry
            if actions:
                out[coll.name] = actions
        return out
