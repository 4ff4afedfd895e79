"""The signed-in user's inbox: notifications from workflows, unread count, mark read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse

__all__ = ["router"]

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("")
async def inbox(
    app: AppDep, ctx: Ctx, unread: bool = False, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> JSONResponse:
    """Newest first; `meta.unread` is the unread count."""
    return JSONResponse(await app.inbox.list(ctx, unread=unread, limit=limit))


@router.post("/{item_id}/read")
async def mark_read(item_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": {"marked": await app.inbox.mark_read(ctx, item_id)}})


@router.post("/read")
async def mark_all_read(app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": {"marked": await app.inbox.mark_read(ctx)}})
