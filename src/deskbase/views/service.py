"""ViewService: a collection's saved views, shared ones (administrators') and personal ones.

A caller sees the shared views of a collection they may list, and their own. Names are unique
among the views one user sees: a personal view's among the shared ones and the owner's, a
shared view's among every view of the collection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.access import Grant
from deskbase.data.records import RecordService
from deskbase.kernel import tables as t
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AppError, Conflict, FieldError
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.views.config import VIEW_KINDS, Checking, check_config, left_out, prune_config
from deskbase.views.members import Problems, read_body, read_flag, read_name, read_position
from deskbase.views.store import (
    MAX_ID,
    ViewNotFound,
    changed,
    check_owner,
    check_sharing,
    lock,
    next_position,
    stamps,
    visible,
)

__all__ = ["ViewService"]

_V = t.views.c
_PATCHED = ("name", "shared", "config", "position")
_READ_ONLY = ("id", "collection", "owner_id", "created_at", "updated_at")


class ViewService:
    def __init__(self, db: Database, catalog: Catalog, records: RecordService) -> None:
        self.db = db
        self.catalog = catalog
        self.records = records

    def _grant(self, ctx: RequestContext, collection: str) -> Grant:
        """The caller's `list` grant: views are for those who may list the collection (404/403)."""
        return self.records.guard.grant(ctx, self.catalog.get(collection), "list")

    def _readable(self, ctx: RequestContext, grant: Grant) -> Callable[[str], bool]:
        """Whether the reader may read a path (a field, or through a relation), as lists check it."""
        if grant.unrestricted:
            return lambda _path: True

        def readable(path: str) -> bool:
            try:
                self.records.guard.check_path(ctx, grant, path, "filter")
            except AppError:
                return False
            return True

        return readable

    def _json(self, row: Any, readable: Callable[[str], bool] = lambda _path: True) -> dict[str, JSONValue]:
        coll = self.catalog.find(row.collection)
        stored = dict(row.config or {})
        config = prune_config(stored, coll, self.catalog, readable) if coll is not None else stored
        return {
            "id": row.id,
            "collection": row.collection,
            "name": row.name,
            "kind": row.kind,
            "shared": bool(row.shared),
            "owner_id": row.owner_id,
            "position": row.position,
            "config": config,
            "left_out": left_out(stored, config),
            **stamps(row),
        }

    async def list_views(self, ctx: RequestContext, collection: str) -> list[JSONValue]:
        """The shared views and the caller's own, by position."""
        grant = self._grant(ctx, collection)
        query = (
            sa.select(t.views)
            .where(_V.collection == grant.coll.name, visible(t.views, ctx))
            .order_by(_V.position, _V.id)
        )
        readable = self._readable(ctx, grant)
        async with self.db.read() as conn:
            return [self._json(r, readable) for r in await conn.execute(query)]

    async def get_view(self, ctx: RequestContext, view_id: int) -> dict[str, JSONValue]:
        async with self.db.read() as conn:
            row = await _row(conn, view_id)
        check_owner(row, ctx, _missing(view_id))
        grant = self._grant(ctx, row.collection)
        return self._json(row, self._readable(ctx, grant))

    async def create_view(self, ctx: RequestContext, collection: str, raw: JSONValue) -> dict[str, JSONValue]:
        grant = self._grant(ctx, collection)
        problems = Problems()
        body = read_body(
            raw, problems, allowed=("kind", *_PATCHED), read_only=_READ_ONLY, required=("name", "kind")
        )
        shared = read_flag(body.get("shared", False), problems, "shared")
        check_sharing(ctx, "views", shared=bool(shared))
        name = read_name(body["name"], problems) if "name" in body else None
        kind = _kind(body["kind"], problems) if "kind" in body else None
        position = read_position(body["position"], problems) if "position" in body else None
        config = check_config(body.get("config"), Checking(ctx, grant, self.records), problems)
        problems.raise_any("view")
        assert name is not None  # else a problem was raised
        assert kind is not None
        coll = grant.coll.name
        owner = None if shared else ctx.actor.id
        async with self.db.write() as conn:
            await lock(conn, self.db)
            await _clash(conn, coll, name, shared=bool(shared), owner_id=owner, exclude=None)
            if position is None:
                position = await next_position(
                    conn, t.views, sa.and_(_V.collection == coll, visible(t.views, ctx))
                )
            values: dict[str, Any] = {
                "collection": coll,
                "name": name,
                "kind": kind,
                "shared": bool(shared),
                "owner_id": owner,
                "position": position,
                "config": config,
            }
            new_id = (
                await conn.execute(
                    t.views.insert().values(**values, created_at=ctx.now, updated_at=ctx.now).returning(_V.id)
                )
            ).scalar_one()
            if shared:
                detail: dict[str, JSONValue] = {"id": new_id, "name": name, "kind": kind, "config": config}
                await record(conn, ctx, Entry("view.create", coll, detail=detail))
            row = await _row(conn, new_id)
        return self._json(row)

    async def update_view(self, ctx: RequestContext, view_id: int, raw: JSONValue) -> dict[str, JSONValue]:
        """Any of `name`, `shared`, `config` (replaced whole), `position`."""
        problems = Problems()
        body = read_body(raw, problems, allowed=_PATCHED, read_only=(*_READ_ONLY, "kind"))
        async with self.db.write() as conn:
            await lock(conn, self.db)
            row = await _row(conn, view_id)
            check_owner(row, ctx, _missing(view_id))
            grant = self._grant(ctx, row.collection)
            shared = bool(row.shared)
            if "shared" in body:
                flag = read_flag(body["shared"], problems, "shared")
                shared = shared if flag is None else flag
            if row.shared or shared:
                check_sharing(ctx, "views", shared=True)
            values: dict[str, Any] = {}
            if "name" in body:
                values["name"] = read_name(body["name"], problems)
            if "position" in body:
                values["position"] = read_position(body["position"], problems)
            if "config" in body:
                values["config"] = check_config(body["config"], Checking(ctx, grant, self.records), problems)
            problems.raise_any("view")
            if shared != row.shared:  # a shared view is no one's; one made personal is the caller's
                values.update(shared=shared, owner_id=None if shared else ctx.actor.id)
            if "name" in values or "shared" in values:
                await _clash(
                    conn,
                    row.collection,
                    values.get("name", row.name),
                    shared=shared,
                    owner_id=values.get("owner_id", row.owner_id),
                    exclude=view_id,
                )
            if values:
                await conn.execute(
                    t.views.update().where(_V.id == view_id).values(**values, updated_at=ctx.now)
                )
            before = {k: getattr(row, k) for k in _PATCHED}
            changes = changed(before, {k: v for k, v in values.items() if k in _PATCHED})
            if (row.shared or shared) and changes:
                detail: dict[str, JSONValue] = {"id": view_id, "name": values.get("name", row.name)}
                await record(conn, ctx, Entry("view.update", row.collection, changes=changes, detail=detail))
            row = await _row(conn, view_id)
        return self._json(row)

    async def delete_view(self, ctx: RequestContext, view_id: int) -> None:
        """One's own personal view, or (administrators) a shared one."""
        async with self.db.write() as conn:
            row = await _row(conn, view_id)
            check_owner(row, ctx, _missing(view_id))
            if row.shared:
                check_sharing(ctx, "views", shared=True)
            await conn.execute(t.views.delete().where(_V.id == view_id))
            if row.shared:
                detail: dict[str, JSONValue] = {
                    "id": view_id,
                    "name": row.name,
                    "kind": row.kind,
                    "config": row.config,
                }
                await record(conn, ctx, Entry("view.delete", row.collection, detail=detail))


def _missing(view_id: int) -> ViewNotFound:
    return ViewNotFound(f"View {view_id} does not exist")


async def _row(conn: AsyncConnection, view_id: int) -> Any:
    if not 0 < view_id <= MAX_ID:
        raise _missing(view_id)
    row = (await conn.execute(sa.select(t.views).where(_V.id == view_id))).first()
    if row is None:
        raise _missing(view_id)
    return row


def _kind(value: JSONValue, problems: Problems) -> str | None:
    if isinstance(value, str) and value in VIEW_KINDS:
        return value
    problems.add("kind", f"one of {', '.join(VIEW_KINDS)}", "invalid_value")
    return None


async def _clash(
    conn: AsyncConnection,
    collection: str,
    name: str,
    *,
    shared: bool,
    owner_id: int | None,
    exclude: int | None,
) -> None:
    """409 if a view that someone would see beside this one has its name."""
    where = [_V.collection == collection, _V.name == name]
    if exclude is not None:
        where.append(_V.id != exclude)
    if not shared:
        where.append(sa.or_(_V.shared.is_(True), _V.owner_id == owner_id))
    found = (await conn.execute(sa.select(_V.shared).where(*where).limit(1))).first()
    if found is not None:
        whose = "a shared view" if found.shared else "a personal view"
        raise Conflict(
            f"{collection} already has {whose} named {name!r}",
            errors=[FieldError("name", f"already taken by {whose}", "duplicate")],
        )
