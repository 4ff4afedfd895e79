"""Workflow routes: manage workflows, follow their executions, re-run or cancel one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(tags=["workflows"])
Body = Annotated[JSONValue, Depends(json_body)]


def _object(body: JSONValue) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ValidationFailed(
            "A workflow is a JSON object", errors=[FieldError("body", "an object", "invalid_type")]
        )
    return body


@router.get("/workflows")
async def list_workflows(app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": await app.workflows.list(ctx)})


@router.post("/workflows", status_code=201)
async def create_workflow(app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """`{"name", "enabled", "trigger": {"type", …}, "nodes": [{"id", "type", "config", "branches"?}]}`."""
    return JSONResponse({"data": await app.workflows.create(ctx, _object(body))}, status_code=201)


@router.get("/workflows/{workflow_id}")
async def get_workflow(workflow_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": await app.workflows.get(ctx, workflow_id)})


@router.patch("/workflows/{workflow_id}")
async def update_workflow(workflow_id: int, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """A new trigger or nodes make a new version when the current one has run."""
    return JSONResponse({"data": await app.workflows.update(ctx, workflow_id, _object(body))})


@router.delete("/workflows/{workflow_id}", status_code=204)
async def delete_workflow(workflow_id: int, app: AppDep, ctx: Ctx) -> Response:
    await app.workflows.delete(ctx, workflow_id)
    return Response(status_code=204)


@router.get("/workflows/{workflow_id}/executions")
async def list_executions(
    workflow_id: int,
    app: AppDep,
    ctx: Ctx,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[int | None, Query(description="meta.next_before of the previous page")] = None,
) -> JSONResponse:
    """Newest first, each with every node's status, input, output, error and timings."""
    return JSONResponse(await app.workflows.executions(ctx, workflow_id, limit=limit, before=before))


@router.get("/executions/{execution_id}")
async def get_execution(execution_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": await app.workflows.execution(ctx, execution_id)})


@router.post("/executions/{execution_id}/rerun", status_code=202)
async def rerun_execution(execution_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Run a failed execution again from its failed node."""
    return JSONResponse({"data": await app.workflows.rerun(ctx, execution_id)}, status_code=202)


@router.post("/executions/{execution_id}/cancel")
async def cancel_execution(execution_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": await app.workflows.cancel(ctx, execution_id)})


@router.get("/tasks")
async def open_tasks(app: AppDep, ctx: Ctx) -> JSONResponse:
    """The caller's open manual tasks (an administrator's: every open task)."""
    return JSONResponse({"data": await app.tasks.open_tasks(ctx)})


@router.post("/executions/{execution_id}/tasks/{key}/complete")
async def complete_task(execution_id: int, key: str, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """Complete a manual task with its form's values, e.g. `{"approved": true}`."""
    return JSONResponse({"data": await app.tasks.complete(ctx, execution_id, key, body)})
