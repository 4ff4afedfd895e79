"""Export route: a filtered, sorted list as a CSV stream or an XLSX file download."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response, StreamingResponse

from deskbase.api.deps import AppDep, Ctx
from deskbase.data.export import ExportQuery
from deskbase.data.query import parse_filter_param, parse_list, parse_sort

__all__ = ["router"]

router = APIRouter(prefix="/data", tags=["records"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{collection}/export",
    response_class=Response,
    responses={
        200: {
            "description": "The file (CSV is streamed as it is read)",
            "content": {"text/csv": {}, XLSX_TYPE: {}},
        }
    },
)
async def export_records(
    collection: str,
    app: AppDep,
    ctx: Ctx,
    format: Annotated[Literal["csv", "xlsx"], Query(description="file format")] = "csv",
    filter: Annotated[str | None, Query(description='JSON filter, e.g. {"status": "open"}')] = None,
    sort: Annotated[str | None, Query(description="e.g. -created_at,priority")] = None,
    fields: Annotated[str | None, Query(description="columns in order: field, extension, ext.field")] = None,
    header: Annotated[Literal["title", "name"], Query(description="header row: titles or names")] = "title",
) -> Response:
    query = ExportQuery(
        format=format,
        filter=parse_filter_param(filter),
        sort=parse_sort(sort),
        fields=parse_list(fields) or None,
        header=header,
    )
    # Everything is checked here, before the first byte: errors are still problem+json.
    export = app.exports.prepare(ctx, collection, query)
    filename = f"{collection}.{format}"
    headers = {"Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"}
    if format == "csv":
        return StreamingResponse(
            app.exports.csv(export), media_type="text/csv; charset=utf-8", headers=headers
        )
    path: Path = await app.exports.xlsx_file(export)
    return FileResponse(
        path,
        media_type=XLSX_TYPE,
        headers=headers,
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
