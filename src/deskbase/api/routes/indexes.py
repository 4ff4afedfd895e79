"""Index routes: a collection's composite indexes, and its list-query statistics."""

from __future__ import annotations

from fastapi import APIRouter, Response

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.data.stats import analyze_shapes, load_stats
from deskbase.kernel.context import require_admin
from deskbase.schema.indexes import IndexIn

__all__ = ["router"]

router = APIRouter(prefix="/collections", tags=["schema"])


@router.get("/{name}/indexes")
async def list_indexes(name: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": [r.to_json() for r in app.indexes.list_indexes(name)]})


@router.post("/{name}/indexes", status_code=201)
async def create_index(name: str, body: IndexIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Anyone who may list the collection may ask for an index on fields they can read (a
    saved view asks for the one its filter and sort need)."""
    grant = app.guard.grant(ctx, app.catalog.get(name), "list")
    grant.forbidden([f.lstrip("-+") for f in body.fields], "fields")
    row = await app.indexes.create_index(name, body, ctx.now)
    return JSONResponse({"data": row.to_json()}, status_code=201)


@router.delete("/{name}/indexes/{index}", status_code=204)
async def drop_index(name: str, index: str, app: AppDep, ctx: Ctx) -> Response:
    require_admin(ctx, "drop indexes")
    await app.indexes.drop_index(name, index)
    return Response(status_code=204)


@router.get("/{name}/query-stats")
async def query_stats(name: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    """List-query shapes by total time, with the index that would serve each and the one that does."""
    require_admin(ctx, "read query statistics")
    coll = app.catalog.get(name)
    shapes = await load_stats(app.db, app.records.stats, name)
    composite = [(r.name, list(r.fields)) for r in app.indexes.list_indexes(name)]
    return JSONResponse({"data": analyze_shapes(coll, shapes, composite)})
