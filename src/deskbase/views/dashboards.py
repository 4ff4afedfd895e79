"""DashboardService: dashboards of chart blocks, shared ones (administrators') and personal ones.

Reading a dashboard does not check its blocks' collections: the aggregate API checks each
reader's rights when a block is drawn.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.types import JSONValue
from deskbase.views.blocks import BlockChecker
from deskbase.views.members import Problems, read_body, read_flag, read_name, read_position
from deskbase.views.store import (
    MAX_ID,
    DashboardNotFound,
    changed,
    check_owner,
    check_sharing,
    lock,
    next_position,
    stamps,
    visible,
)

__all__ = ["DashboardService"]

_D = t.dashboards.c
_PATCHED = ("name", "shared", "blocks", "position")
_READ_ONLY = ("id", "owner_id", "created_at", "updated_at")


class DashboardService:
    def __init__(self, db: Database, blocks: BlockChecker) -> None:
        self.db = db
        self.blocks = blocks

    async def list_dashboards(self, ctx: RequestContext) -> list[JSONValue]:
        """The shared dashboards and the caller's own, by position."""
        query = sa.select(t.dashboards).where(visible(t.dashboards, ctx)).order_by(_D.position, _D.id)
        async with self.db.read() as conn:
            return [_json(r) for r in await conn.execute(query)]

    async def get_dashboard(self, ctx: RequestContext, dashboard_id: int) -> dict[str, JSONValue]:
        async with self.db.read() as conn:
            row = await _row(conn, dashboard_id)
        check_owner(row, ctx, _missing(dashboard_id))
        return _json(row)

    async def create_dashboard(self, ctx: RequestContext, raw: JSONValue) -> dict[str, JSONValue]:
        problems = Problems()
        body = read_body(raw, problems, allowed=_PATCHED, read_only=_READ_ONLY, required=("name",))
        shared = read_flag(body.get("shared", False), problems, "shared")
        check_sharing(ctx, "dashboards", shared=bool(shared))
        name = read_name(body["name"], problems) if "name" in body else None
        position = read_position(body["position"], problems) if "position" in body else None
        blocks = self.blocks.check(body.get("blocks"), ctx, problems)
        problems.raise_any("dashboard")
        owner = None if shared else ctx.actor.id
        async with self.db.write() as conn:
            await lock(conn, self.db)
            if position is None:
                position = await next_position(conn, t.dashboards, visible(t.dashboards, ctx))
            values: dict[str, Any] = {
                "name": name,
                "shared": bool(shared),
                "owner_id": owner,
                "position": position,
                "blocks": blocks,
            }
            new_id = (
                await conn.execute(
                    t.dashboards.insert()
                    .values(**values, created_at=ctx.now, updated_at=ctx.now)
                    .returning(_D.id)
                )
            ).scalar_one()
            if shared:
                detail: dict[str, JSONValue] = {"id": new_id, "name": name, "blocks": blocks}
                await record(conn, ctx, Entry("dashboard.create", detail=detail))
            row = await _row(conn, new_id)
        return _json(row)

    async def update_dashboard(
        self, ctx: RequestContext, dashboard_id: int, raw: JSONValue
    ) -> dict[str, JSONValue]:
        """Any of `name`, `shared`, `blocks` (replaced whole), `position`."""
        problems = Problems()
        body = read_body(raw, problems, allowed=_PATCHED, read_only=_READ_ONLY)
        async with self.db.write() as conn:
            await lock(conn, self.db)
            row = await _row(conn, dashboard_id)
            check_owner(row, ctx, _missing(dashboard_id))
            shared = bool(row.shared)
            if "shared" in body:
                flag = read_flag(body["shared"], problems, "shared")
                shared = shared if flag is None else flag
            if row.shared or shared:
                check_sharing(ctx, "dashboards", shared=True)
            values: dict[str, Any] = {}
            if "name" in body:
                values["name"] = read_name(body["name"], problems)
            if "position" in body:
                values["position"] = read_position(body["position"], problems)
            if "blocks" in body:
                values["blocks"] = self.blocks.check(body["blocks"], ctx, problems)
            problems.raise_any("dashboard")
            if shared != row.shared:  # a shared dashboard is no one's; one made personal is the caller's
                values.update(shared=shared, owner_id=None if shared else ctx.actor.id)
            if values:
                await conn.execute(
                    t.dashboards.update().where(_D.id == dashboard_id).values(**values, updated_at=ctx.now)
                )
            before = {k: getattr(row, k) for k in _PATCHED}
            changes = changed(before, {k: v for k, v in values.items() if k in _PATCHED})
            if (row.shared or shared) and changes:
                detail: dict[str, JSONValue] = {"id": dashboard_id, "name": values.get("name", row.name)}
                await record(conn, ctx, Entry("dashboard.update", changes=changes, detail=detail))
            row = await _row(conn, dashboard_id)
        return _json(row)

    async def delete_dashboard(self, ctx: RequestContext, dashboard_id: int) -> None:
        async with self.db.write() as conn:
            row = await _row(conn, dashboard_id)
            check_owner(row, ctx, _missing(dashboard_id))
            if row.shared:
                check_sharing(ctx, "dashboards", shared=True)
            await conn.execute(t.dashboards.delete().where(_D.id == dashboard_id))
            if row.shared:
                detail: dict[str, JSONValue] = {"id": dashboard_id, "name": row.name, "blocks": row.blocks}
                await record(conn, ctx, Entry("dashboard.delete", detail=detail))


def _json(row: Any) -> dict[str, JSONValue]:
    return {
        "id": row.id,
        "name": row.name,
        "shared": bool(row.shared),
        "owner_id": row.owner_id,
        "position": row.position,
        "blocks": list(row.blocks or []),
        **stamps(row),
    }


def _missing(dashboard_id: int) -> DashboardNotFound:
    return DashboardNotFound(f"Dashboard {dashboard_id} does not exist")


async def _row(conn: AsyncConnection, dashboard_id: int) -> Any:
    if not 0 < dashboard_id <= MAX_ID:
        raise _missing(dashboard_id)
    row = (await conn.execute(sa.select(t.dashboards).where(_D.id == dashboard_id))).first()
    if row is None:
        raise _missing(dashboard_id)
    return row
