"""Record routes: list, get, create (one or many), update and delete (one or by filter)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.data.query import ListQuery, parse_filter_param, parse_list, parse_sort
from deskbase.kernel.errors import EmptyFilter, FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(prefix="/data", tags=["records"])
Body = Annotated[JSONValue, Depends(json_body)]
FilterParam = Annotated[str | None, Query(description='JSON filter, e.g. {"status": "open"}')]


_LIST_PARAMS: list[dict[str, Any]] = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in (
        ("filter", {"type": "string"}, 'JSON filter, e.g. {"status": "open"}'),
        ("q", {"type": "string"}, "full-text search: every word must appear in a text field"),
        ("sort", {"type": "string"}, "e.g. -created_at,priority"),
        ("fields", {"type": "string"}, "comma-separated field names"),
        ("appends", {"type": "string"}, "relations to embed, e.g. customer,tags"),
        ("page", {"type": "integer", "default": 1}, "page number (from 1); deep pages: the cursor"),
        ("page_size", {"type": "integer", "default": 20}, "records per page"),
        ("cursor", {"type": "string"}, "meta.next_cursor of the page before"),
        ("count", {"type": "boolean", "default": False}, "add meta.total (counts every match)"),
    )
]
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


async def list_query(request: Request) -> ListQuery:
    """The list parameters, read straight from the query string (ten declared parameters cost
    FastAPI a validation each, on the hottest route); documented through `_LIST_PARAMS`."""
    params = request.query_params
    errors: list[FieldError] = []

    def number(name: str, default: int) -> int:
        raw = (params.get(name) or "").strip()
        if not raw:
            return default
        if _INTEGER.fullmatch(raw):  # (int() alone would take "1_0" and non-ASCII digits)
            return int(raw)
        errors.append(FieldError(name, "Input should be a valid integer", "int_parsing"))
        return default

    raw_count = (params.get("count") or "false").strip().lower()
    if raw_count not in _TRUE | _FALSE:
        errors.append(FieldError("count", "Input should be a valid boolean", "bool_parsing"))
    page, page_size = number("page", 1), number("page_size", 20)
    if errors:
        raise ValidationFailed("Invalid list parameters", errors=errors)
    return ListQuery(
        filter=parse_filter_param(params.get("filter")),
        sort=parse_sort(params.get("sort")),
        fields=parse_list(params.get("fields")) or None,
        appends=parse_list(params.get("appends")),
        page=page,
        page_size=page_size,
        cursor=params.get("cursor") or None,
        count=raw_count in _TRUE,
        q=params.get("q") or None,
    )


@router.get("/{collection}", openapi_extra={"parameters": _LIST_PARAMS})
async def list_records(
    collection: str, app: AppDep, ctx: Ctx, query: Annotated[ListQuery, Depends(list_query)]
) -> JSONResponse:
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


@router.post("/{collection}/bulk-update")
async def bulk_update(collection: str, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """`{"filter": …, "values": …}`: as `PATCH ?filter=`, for a filter too long for a URL (a
    selection of thousands of ids); one transaction."""
    raw, values = _bulk_body(body, "values")
    updated = await app.records.update_by_filter(ctx, collection, raw, values)
    return JSONResponse({"data": {"updated": updated}})


@router.post("/{collection}/bulk-delete")
async def bulk_delete(collection: str, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """`{"filter": …}`: as `DELETE ?filter=`, for a filter too long for a URL; one transaction."""
    raw, _ = _bulk_body(body, None)
    return JSONResponse({"data": {"deleted": await app.records.delete_by_filter(ctx, collection, raw)}})


def _bulk_body(body: JSONValue, values_key: str | None) -> tuple[JSONValue, JSONValue]:
    """The filter (non-empty) and, for an update, the values of a bulk write's body."""
    if not isinstance(body, dict):
        raise ValidationFailed(
            "The body is an object", errors=[FieldError("body", "an object", "invalid_type")]
        )
    allowed = {"filter"} | ({values_key} if values_key else set())
    errors = [FieldError(k, f"unknown key {k!r}", "unknown_key") for k in body if k not in allowed]
    if values_key and not isinstance(body.get(values_key), dict):
        errors.append(FieldError(values_key, "an object of field: value", "required"))
    if errors:
        raise ValidationFailed("Invalid bulk write", errors=errors)
    raw = body.get("filter")
    if not isinstance(raw, dict) or not raw:
        raise EmptyFilter(
            "A bulk write needs a non-empty filter",
            errors=[FieldError("filter", "a non-empty filter object", "empty_filter")],
        )
    return raw, body.get(values_key) if values_key else None


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
