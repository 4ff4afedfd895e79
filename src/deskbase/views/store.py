"""What saved views and dashboards share: who sees a row, who may change it, its JSON, its audit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.kernel.clock import aware
from deskbase.kernel.context import RequestContext, require_admin
from deskbase.kernel.db import Database
from deskbase.kernel.errors import NotFound, PermissionDenied
from deskbase.kernel.types import JSONValue

__all__ = [
    "MAX_ID",
    "DashboardNotFound",
    "ViewNotFound",
    "changed",
    "check_owner",
    "check_sharing",
    "lock",
    "next_position",
    "stamps",
    "visible",
]

# Serializes view and dashboard writes on PostgreSQL, so a name checked free stays free
# until the write commits (SQLite's writers are serialized already).
_LOCK = 0x76696577
MAX_ID = 2**31 - 1  # ids are INTEGER columns: a larger one names nothing


class ViewNotFound(NotFound):
    code = "view_not_found"


class DashboardNotFound(NotFound):
    code = "dashboard_not_found"


def visible(table: sa.Table, ctx: RequestContext) -> sa.ColumnElement[bool]:
    """The shared rows and the caller's own."""
    mine = table.c.owner_id == ctx.actor.id if ctx.actor.id is not None else sa.false()
    return sa.or_(table.c.shared.is_(True), mine)


def check_owner(row: Any, ctx: RequestContext, missing: NotFound) -> None:
    """Someone else's personal row does not exist for the caller (404)."""
    if not row.shared and (ctx.actor.id is None or row.owner_id != ctx.actor.id):
        raise missing


def check_sharing(ctx: RequestContext, what: str, *, shared: bool) -> None:
    """Shared rows are administrators' (403); a personal one needs a user to own it."""
    if shared:
        require_admin(ctx, f"create, change or delete shared {what}")
    elif ctx.actor.id is None:
        raise PermissionDenied(f"Personal {what} belong to a signed-in user")


async def lock(conn: AsyncConnection, db: Database) -> None:
    if db.is_postgres:
        await conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK)))


async def next_position(conn: AsyncConnection, table: sa.Table, where: sa.ColumnElement[bool]) -> int:
    """After the last of the rows `where` selects."""
    last = (await conn.execute(sa.select(sa.func.max(table.c.position)).where(where))).scalar_one()
    return 0 if last is None else int(last) + 1


def stamps(row: Any) -> dict[str, JSONValue]:
    return {"created_at": aware(row.created_at).isoformat(), "updated_at": aware(row.updated_at).isoformat()}


def changed(
    before: dict[str, JSONValue], after: dict[str, JSONValue]
) -> dict[str, tuple[JSONValue, JSONValue]]:
    """The audit log's `changes`: each member that differs, before and after."""
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
