"""RoleService: the roles users hold (their permissions are managed by deskbase.data.access)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.cache import ActorCache
from deskbase.identity.checks import check_role_name, require_admin
from deskbase.identity.models import BUILTIN_ROLES, MEMBER_ROLE, Role
from deskbase.identity.payloads import RoleIn, RolePatch
from deskbase.kernel import audit
from deskbase.kernel import tables as t
from deskbase.kernel.changes import PERMISSIONS
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AlreadyExists, Conflict, FieldError, RoleNotFound
from deskbase.kernel.types import JSONValue

__all__ = ["RoleService", "unknown_roles"]

_R, _UR = t.roles, t.user_roles


def _role(row: Any) -> Role:
    return Role(row.name, row.title, row.description, row.created_at, row.updated_at)


async def unknown_roles(conn: AsyncConnection, names: Iterable[str]) -> list[str]:
    """Those of `names` that are not roles, in the order given."""
    wanted = list(dict.fromkeys(names))
    if not wanted:
        return []
    found = set((await conn.execute(sa.select(_R.c.name).where(_R.c.name.in_(wanted)))).scalars())
    return [n for n in wanted if n not in found]


async def _get(conn: AsyncConnection, name: str) -> Role:
    row = (await conn.execute(sa.select(_R).where(_R.c.name == name))).first()
    if row is None:
        raise RoleNotFound(f"Role {name!r} does not exist")
    return _role(row)


class RoleService:
    def __init__(self, db: Database, cache: ActorCache) -> None:
        self.db = db
        self.cache = cache
        # Called with the role's name after a role is deleted (its ds_permissions rows went
        # with it): for whoever keeps roles' rules in memory.
        self.on_deleted: list[Callable[[str], Awaitable[None]]] = []

    async def list_roles(self, ctx: RequestContext) -> list[Role]:
        require_admin(ctx, "manage roles")
        async with self.db.read() as conn:
            return [_role(r) for r in await conn.execute(sa.select(_R).order_by(_R.c.name))]

    async def titles(self, names: Iterable[str]) -> dict[str, str]:
        """The titles of these roles (for anyone: `GET /api/me` shows the caller's own)."""
        wanted = list(dict.fromkeys(names))
        if not wanted:
            return {}
        async with self.db.read() as conn:
            rows = await conn.execute(sa.select(_R.c.name, _R.c.title).where(_R.c.name.in_(wanted)))
            found = {r.name: r.title for r in rows}
        return {n: found[n] for n in wanted if n in found}

    async def get_role(self, ctx: RequestContext, name: str) -> Role:
        require_admin(ctx, "manage roles")
        async with self.db.read() as conn:
            return await _get(conn, name)

    async def create_role(self, ctx: RequestContext, body: RoleIn) -> Role:
        require_admin(ctx, "manage roles")
        name = check_role_name(body.name)
        now = datetime.now(UTC)
        title = body.title or name.replace("_", " ").capitalize()
        async with self.db.write() as conn:
            if not await unknown_roles(conn, [name]):
                raise AlreadyExists(
                    f"Role {name!r} exists", errors=[FieldError("name", "already taken", "duplicate")]
                )
            values: dict[str, JSONValue] = {"name": name, "title": title, "description": body.description}
            await conn.execute(_R.insert().values(**values, created_at=now, updated_at=now))
            await audit.record(conn, ctx, audit.Entry("role.create", detail={"role": name, **values}))
        return Role(name, title, body.description, now, now)

    async def update_role(self, ctx: RequestContext, name: str, body: RolePatch) -> Role:
        require_admin(ctx, "manage roles")
        async with self.db.write() as conn:
            old = await _get(conn, name)
            new: dict[str, JSONValue] = {}
            if body.title is not None and body.title != old.title:
                new["title"] = body.title
            if "description" in body.model_fields_set and body.description != old.description:
                new["description"] = body.description
            if new:
                changes: dict[str, tuple[JSONValue, JSONValue]] = {
                    k: (getattr(old, k), v) for k, v in new.items()
                }
                await conn.execute(
                    _R.update().where(_R.c.name == name).values(**new, updated_at=datetime.now(UTC))
                )
                await audit.record(
                    conn, ctx, audit.Entry("role.update", changes=changes, detail={"role": name})
                )
            return await _get(conn, name)

    async def delete_role(self, ctx: RequestContext, name: str) -> None:
        """Delete a role: its holders keep their other roles (`member` if none is left), and
        the API keys bound to it stop working."""
        require_admin(ctx, "manage roles")
        if name in BUILTIN_ROLES:
            await self.get_role(ctx, name)  # 404 first for names that are not roles at all
            raise Conflict(f"The built-in role {name!r} cannot be deleted")
        async with self.db.write() as conn:
            await _get(conn, name)
            holders = list((await conn.execute(sa.select(_UR.c.user_id).where(_UR.c.role == name))).scalars())
            await conn.execute(_R.delete().where(_R.c.name == name))  # cascades to holders, keys, permissions
            await _repair_defaults(conn, holders)
            await audit.record(
                conn, ctx, audit.Entry("role.delete", detail={"role": name, "users": len(holders)})
            )
            await self.db.changes.publish(conn, PERMISSIONS)  # its rules went with it
        self.cache.drop_role(name)
        for listener in self.on_deleted:
            await listener(name)


async def _repair_defaults(conn: AsyncConnection, user_ids: list[int]) -> None:
    """Give each of these users a default role again: their first remaining role, or `member`."""
    for uid in user_ids:
        remaining = list(
            await conn.execute(
                sa.select(_UR.c.role, _UR.c.is_default).where(_UR.c.user_id == uid).order_by(_UR.c.role)
            )
        )
        if not remaining:
            await conn.execute(_UR.insert().values(user_id=uid, role=MEMBER_ROLE, is_default=True))
        elif not any(r.is_default for r in remaining):
            await conn.execute(
                _UR.update()
                .where(_UR.c.user_id == uid, _UR.c.role == remaining[0].role)
                .values(is_default=True)
            )
