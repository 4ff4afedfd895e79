"""Job routes: follow a background job (an import, …), list the recent ones, cancel one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse

__all__ = ["router"]

router = APIRouter(prefix="/jobs", tags=["jobs"])


@router.get("")
async def list_jobs(
    app: AppDep, ctx: Ctx, limit: Annotated[int, Query(ge=1, le=200, description="how many")] = 50
) -> JSONResponse:
    """The signed-in user's most recent jobs, newest first."""
    return JSONResponse({"data": [job.to_json() for job in await app.jobs.list_jobs(ctx, limit)]})


@router.get("/{job_id}")
async def get_job(job_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Status, rows done of total, rate (rows/s), the first row errors and their count."""
    return JSONResponse({"data": (await app.jobs.get(ctx, job_id)).to_json()})


@router.post("/{job_id}/cancel", status_code=202)
async def cancel_job(job_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Ask a running job to stop: it rolls back and ends `cancelled`. A finished job is left as it is."""
    return JSONResponse({"data": (await app.jobs.cancel(ctx, job_id)).to_json()}, status_code=202)
