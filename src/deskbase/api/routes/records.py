"""Record routes: list, get, create (one or many), update and delete (one or by filter)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.data.query import ListQuery, parse_filter_param, parse_list, parse_sort
from deskbase.kernel.errors import EmptyFilter
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(prefix="/data", tags=["records"])
Body = Annotated[JSONValue, Depends(json_body)]
FilterParam = Annotated[str | None, Query(description='JSON filter, e.g. {"status": "open"}')]


@router.get("/{collection}")
async def list_records(
    collection: str,
    app: AppDep,
    ctx: Ctx,
    filter: FilterParam = None,
    q: Annotated[
        str | None, Query(description="full-text search: every word must appear in a text field")
    ] = None,
    sort: Annotated[str | None, Query(description="e.g. -created_at,priority")] = None,
    fields: Annotated[str | None, Query(description="comma-separated field names")] = None,
    appends: Annotated[str | None, Query(description="relations to embed, e.g. customer,tags")] = None,
    page: int = 1,
    page_size: int = 20,
    cursor: str | None = None,
    count: bool = False,
) -> JSONResponse:
    query = ListQuery(
        filter=parse_filter_param(filter),
        sort=parse_sort(sort),
        fields=parse_list(fields) or None,
        appends=parse_list(appends),
        page=page,
        page_size=page_size,
        cursor=cursor or None,
        count=count,
        q=q or None,
    )
    return JSONResponse(await app.records.list_records(ctx, collection, query))


@router.post("/{collection}", status_code=201)
async def create_records(collection: str, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    if isinstance(body, list):
        created = await app.records.create_records(ctx, collection, body)
        return JSONResponse({"data": created}, status_code=201)
    return JSONResponse({"data": await app.records.create_record(ctx, collection, body)}, status_code=201)


@router.patch("/{collection}")
async def update_by_filter(
    collection: str, app: AppDep, ctx: Ctx, body: Body, filter: FilterParam = None
) -> JSONResponse:
    raw = parse_filter_param(filter)
    if raw is None:
        raise EmptyFilter("PATCH on a collection updates by filter: give a non-empty ?filter=")
    updated = await app.records.update_by_filter(ctx, collection, raw, body)
    return JSONResponse({"data": {"updated": updated}})


@router.delete("/{collection}")
async def delete_by_filter(
    collection: str, app: AppDep, ctx: Ctx, filter: FilterParam = None
) -> JSONResponse:
    raw = parse_filter_param(filter)
    if raw is None:
        raise EmptyFilter("DELETE on a collection deletes by filter: give a non-empty ?filter=")
    return JSONResponse({"data": {"deleted": await app.records.delete_by_filter(ctx, collection, raw)}})


@router.get("/{collection}/{record_id:int}")
async def get_record(
    collection: str,
    record_id: int,
    app: AppDep,
    ctx: Ctx,
    fields: str | None = None,
    appends: str | None = None,
) -> JSONResponse:
    record = await app.records.get_record(
        ctx, collection, record_id, parse_list(fields) or None, parse_list(appends)
    )
    return JSONResponse({"data": record})


@router.patch("/{collection}/{record_id:int}")
async def update_record(collection: str, record_id: int, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    return JSONResponse({"data": await app.records.update_record(ctx, collection, record_id, body)})


@router.delete("/{collection}/{record_id:int}", status_code=204)
async def delete_record(collection: str, record_id: int, app: AppDep, ctx: Ctx) -> Response:
    await app.records.delete_record(ctx, collection, record_id)
    return Response(status_code=204)
