"""Aggregation route: `GET /api/data/{collection}/aggregate` (group by, measures, top N)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.data.aggregate import DEFAULT_LIMIT, AggregateQuery
from deskbase.data.query import parse_filter_param, parse_list

__all__ = ["router"]

router = APIRouter(prefix="/data", tags=["records"])


@router.get("/{collection}/aggregate")
async def aggregate_records(
    collection: str,
    app: AppDep,
    ctx: Ctx,
    group_by: Annotated[
        str | None, Query(description="up to 3 keys: status,customer.level,created_at:month")
    ] = None,
    measures: Annotated[
        str | None, Query(description="count, count_distinct:f, sum:f, avg:f, min:f, max:f")
    ] = None,
    filter: Annotated[str | None, Query(description='JSON filter, e.g. {"status": "open"}')] = None,
    order: Annotated[str | None, Query(description="group keys or measures, e.g. -count")] = None,
    limit: Annotated[int, Query(description="at most this many groups (1-10000)")] = DEFAULT_LIMIT,
    tz: Annotated[str | None, Query(description="IANA time zone of date buckets")] = None,
) -> JSONResponse:
    query = AggregateQuery(
        group_by=parse_list(group_by),
        measures=parse_list(measures),
        filter=parse_filter_param(filter),
        order=parse_list(order),
        limit=limit,
        tz=tz or None,
    )
    return JSONResponse(await app.aggregates.aggregate(ctx, collection, query))
