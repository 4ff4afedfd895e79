"""The audit log (admins) and one record's history (its readers). Read-only: no route
changes or deletes an entry."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.data.audit_log import MAX_LIMIT, AuditQuery

__all__ = ["router"]

router = APIRouter(tags=["audit"])


@router.get("/audit")
async def audit(
    app: AppDep,
    ctx: Ctx,
    actor_id: int | None = None,
    collection: str | None = None,
    record_id: int | None = None,
    action: Annotated[
        str | None, Query(description="e.g. record.update, or a prefix ending in '.': record.")
    ] = None,
    source: Annotated[str | None, Query(description="ui, api, api_key, workflow, system, cli")] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: Annotated[int | None, Query(description="meta.next_before of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
) -> JSONResponse:
    """Every write, newest first: who, when, from where, what, and the values before and after."""
    query = AuditQuery(actor_id, collection, record_id, action, source, since, until, before, limit)
    return JSONResponse(await app.audit.search(ctx, query))


@router.get("/data/{collection}/{record_id:int}/history")
async def history(collection: str, record_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    """The record's changes, oldest first, limited to the fields the caller may read."""
    return JSONResponse({"data": await app.audit.history(ctx, collection, record_id)})
