"""Dashboard routes: shared dashboards and the caller's own, with their chart blocks."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(prefix="/dashboards", tags=["dashboards"])
Body = Annotated[JSONValue, Depends(json_body)]


@router.get("")
async def list_dashboards(app: AppDep, ctx: Ctx) -> JSONResponse:
    """The shared dashboards and the caller's personal ones, by `position`, then `id`."""
    return JSONResponse({"data": await app.dashboards.list_dashboards(ctx)})


@router.post("", status_code=201)
async def create_dashboard(app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """`{"name", "shared"?, "blocks"?, "position"?}`; shared dashboards are administrators'."""
    return JSONResponse({"data": await app.dashboards.create_dashboard(ctx, body)}, status_code=201)


@router.get("/{dashboard_id}")
async def get_dashboard(dashboard_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": await app.dashboards.get_dashboard(ctx, dashboard_id)})


@router.patch("/{dashboard_id}")
async def update_dashboard(dashboard_id: int, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """Any of `name`, `shared`, `blocks` (replaced whole), `position`."""
    return JSONResponse({"data": await app.dashboards.update_dashboard(ctx, dashboard_id, body)})


@router.delete("/{dashboard_id}", status_code=204)
async def delete_dashboard(dashboard_id: int, app: AppDep, ctx: Ctx) -> Response:
    await app.dashboards.delete_dashboard(ctx, dashboard_id)
    return Response(status_code=204)
