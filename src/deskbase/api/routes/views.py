"""Saved-view routes: a collection's shared views and the caller's own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(tags=["views"])
Body = Annotated[JSONValue, Depends(json_body)]


@router.get("/collections/{collection}/views")
async def list_views(collection: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    """The shared views and the caller's personal ones, by `position`, then `id`."""
    return JSONResponse({"data": await app.views.list_views(ctx, collection)})


@router.post("/collections/{collection}/views", status_code=201)
async def create_view(collection: str, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """`{"name", "kind", "shared"?, "config"?, "position"?}`; shared views are administrators'."""
    return JSONResponse({"data": await app.views.create_view(ctx, collection, body)}, status_code=201)


@router.get("/views/{view_id}")
async def get_view(view_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": await app.views.get_view(ctx, view_id)})


@router.patch("/views/{view_id}")
async def update_view(view_id: int, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """Any of `name`, `shared`, `config` (replaced whole), `position`."""
    return JSONResponse({"data": await app.views.update_view(ctx, view_id, body)})


@router.delete("/views/{view_id}", status_code=204)
async def delete_view(view_id: int, app: AppDep, ctx: Ctx) -> Response:
    await app.views.delete_view(ctx, view_id)
    return Response(status_code=204)
