"""DepartmentService: the department tree (users belong to several departments)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.cache import ActorCache
from deskbase.identity.checks import require_admin
from deskbase.identity.models import Department
from deskbase.identity.payloads import DepartmentIn, DepartmentPatch
from deskbase.kernel import audit
from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AlreadyExists, Conflict, FieldError, NotFound, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["DepartmentService", "department_subtree", "unknown_departments"]

_D = t.departments


async def unknown_departments(conn: AsyncConnection, ids: Iterable[int]) -> list[int]:
    """Those of `ids` that are not departments, in the order given."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = set((await conn.execute(sa.select(_D.c.id).where(_D.c.id.in_(wanted)))).scalars())
    return [i for i in wanted if i not in found]


async def _all(conn: AsyncConnection) -> dict[int, Department]:
    rows = await conn.execute(sa.select(_D).order_by(_D.c.position, _D.c.name, _D.c.id))
    return {r.id: Department(r.id, r.name, r.parent_id, r.position) for r in rows}


def _below(nodes: dict[int, Department], root: int) -> set[int]:
    """`root` and every department under it."""
    children: dict[int | None, list[int]] = {}
    for d in nodes.values():
        children.setdefault(d.parent_id, []).append(d.id)
    out, todo = set(), [root]
    while todo:
        node = todo.pop()
        if node not in out:
            out.add(node)
            todo.extend(children.get(node, ()))
    return out


async def department_subtree(conn: AsyncConnection, root: int) -> set[int]:
    """`root` and every department below it; empty if `root` is not a department."""
    nodes = await _all(conn)
    return _below(nodes, root) if root in nodes else set()


class DepartmentService:
    def __init__(self, db: Database, cache: ActorCache) -> None:
        self.db = db
        self.cache = cache

    async def tree(self, ctx: RequestContext) -> list[Department]:
        """The root departments, each with its `children`, ordered by position and name."""
        require_admin(ctx, "manage departments")
        async with self.db.read() as conn:
            nodes = await _all(conn)
        roots: list[Department] = []
        for d in nodes.values():
            parent = nodes.get(d.parent_id) if d.parent_id is not None else None
            (parent.children if parent else roots).append(d)
        return roots

    async def get_department(self, ctx: RequestContext, department_id: int) -> Department:
        require_admin(ctx, "manage departments")
        async with self.db.read() as conn:
            return await self._get(conn, department_id)

    async def create_department(self, ctx: RequestContext, body: DepartmentIn) -> Department:
        require_admin(ctx, "manage departments")
        name = body.name.strip()
        async with self.db.write() as conn:
            await self._check_parent(conn, body.parent_id)
            await self._check_unique(conn, name, body.parent_id, None)
            new_id = (
                await conn.execute(
                    _D.insert()
                    .values(
                        name=name,
                        parent_id=body.parent_id,
                        position=body.position,
                        created_at=datetime.now(UTC),
                    )
                    .returning(_D.c.id)
                )
            ).scalar_one()
            detail: dict[str, JSONValue] = {"name": name, "parent_id": body.parent_id}
            await audit.record(conn, ctx, audit.Entry("department.create", record_id=new_id, detail=detail))
        if body.parent_id is not None:
            self.cache.clear()  # the scope of the users above it grows
        return Department(new_id, name, body.parent_id, body.position)

    async def update_department(
        self, ctx: RequestContext, department_id: int, body: DepartmentPatch
    ) -> Department:
        """Rename, reorder or move a department; moving it under itself or a department
        below it is refused (422)."""
        require_admin(ctx, "manage departments")
        async with self.db.write() as conn:
            nodes = await _all(conn)
            old = nodes.get(department_id)
            if old is None:
                raise NotFound(f"Department {department_id} does not exist")
            new: dict[str, JSONValue] = {}
            if body.name is not None and body.name.strip() != old.name:
                new["name"] = body.name.strip()
            if body.position is not None and body.position != old.position:
                new["position"] = body.position
            if "parent_id" in body.model_fields_set and body.parent_id != old.parent_id:
                parent = body.parent_id
                if parent is not None and parent not in nodes:
                    raise _bad_parent(parent)
                if parent is not None and parent in _below(nodes, department_id):
                    raise ValidationFailed(
                        "A department cannot move under itself or a department below it",
                        errors=[FieldError("parent_id", "would make a cycle", "cycle")],
                    )
                new["parent_id"] = parent
            if "name" in new or "parent_id" in new:
                parent_id = new.get("parent_id", old.parent_id)
                assert parent_id is None or isinstance(parent_id, int)
                await self._check_unique(conn, str(new.get("name", old.name)), parent_id, department_id)
            if new:
                await conn.execute(_D.update().where(_D.c.id == department_id).values(**new))
                changes = {k: (getattr(old, k), v) for k, v in new.items()}
                await audit.record(
                    conn, ctx, audit.Entry("department.update", record_id=department_id, changes=changes)
                )
            updated = await self._get(conn, department_id)
        if "parent_id" in new:
            self.cache.clear()  # the scope of everyone above the old and the new place changes
        return updated

    async def delete_department(self, ctx: RequestContext, department_id: int) -> None:
        """Delete a department without sub-departments (409 otherwise); its members leave it."""
        require_admin(ctx, "manage departments")
        async with self.db.write() as conn:
            old = await self._get(conn, department_id)
            children = (
                await conn.execute(sa.select(sa.func.count()).where(_D.c.parent_id == department_id))
            ).scalar_one()
            if children:
                raise Conflict(
                    f"Department {old.name!r} has {children} sub-departments; move or delete them first"
                )
            await conn.execute(_D.delete().where(_D.c.id == department_id))
            await audit.record(
                conn,
                ctx,
                audit.Entry("department.delete", record_id=department_id, detail={"name": old.name}),
            )
        self.cache.clear()

    async def _get(self, conn: AsyncConnection, department_id: int) -> Department:
        row = (await conn.execute(sa.select(_D).where(_D.c.id == department_id))).first()
        if row is None:
            raise NotFound(f"Department {department_id} does not exist")
        return Department(row.id, row.name, row.parent_id, row.position)

    async def _check_parent(self, conn: AsyncConnection, parent_id: int | None) -> None:
        if parent_id is not None and await unknown_departments(conn, [parent_id]):
            raise _bad_parent(parent_id)

    async def _check_unique(
        self, conn: AsyncConnection, name: str, parent_id: int | None, own_id: int | None
    ) -> None:
        """Sibling departments have different names."""
        query = sa.select(_D.c.id).where(
            _D.c.name == name, _D.c.parent_id.is_(None) if parent_id is None else _D.c.parent_id == parent_id
        )
        if own_id is not None:
            query = query.where(_D.c.id != own_id)
        if (await conn.execute(query.limit(1))).first() is not None:
            raise AlreadyExists(
                f"A department named {name!r} exists there",
                errors=[FieldError("name", "already taken by a sibling", "duplicate")],
            )


def _bad_parent(parent_id: int) -> ValidationFailed:
    return ValidationFailed(
        f"Department {parent_id} does not exist",
        errors=[FieldError("parent_id", f"unknown department {parent_id}", "unknown_department")],
    )
