"""Action buttons on records, and incoming webhooks: both start workflows."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.kernel.errors import FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(tags=["workflows"])


async def _optional_body(request: Request) -> JSONValue:
    raw = await request.body()
    return await json_body(request) if raw.strip() else {}


Body = Annotated[JSONValue, Depends(_optional_body)]


def _values(body: JSONValue) -> JSONValue:
    return body.get("values", {}) if isinstance(body, dict) else body


@router.post("/data/{collection}/{record_id:int}/actions/{name}", status_code=202)
async def run_action(
    collection: str, record_id: int, name: str, app: AppDep, ctx: Ctx, body: Body
) -> JSONResponse:
    """Press the button `name` on one record; `{"values": {…}}` fills its confirmation form.
    The caller's roles must grant the custom action `name` on the record."""
    ids = await app.starts.action(ctx, collection, name, [record_id], _values(body))
    return JSONResponse({"data": {"executions": list[JSONValue](ids)}}, status_code=202)


@router.post("/data/{collection}/actions/{name}", status_code=202)
async def run_action_on_selection(
    collection: str, name: str, app: AppDep, ctx: Ctx, body: Body
) -> JSONResponse:
    """Press the button on a selection: `{"ids": [1, 2], "values": {…}}`."""
    raw: Any = body
    ids = raw.get("ids") if isinstance(raw, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise ValidationFailed(
            "Send the selected record ids", errors=[FieldError("ids", "a list of ids", "required")]
        )
    started = await app.starts.action(ctx, collection, name, ids, _values(body))
    return JSONResponse({"data": {"executions": list[JSONValue](started)}}, status_code=202)


@router.post("/hooks/{workflow_id}/{secret}", status_code=202)
async def incoming_webhook(workflow_id: int, secret: str, request: Request, app: AppDep) -> JSONResponse:
    """An incoming webhook (no sign-in: the secret in the URL is the key); the JSON body becomes
    the trigger's `body`."""
    raw = await request.body()
    body: JSONValue = await json_body(request) if raw.strip() else None
    started = await app.starts.webhook(workflow_id, secret, body)
    return JSONResponse({"data": {"execution": started}}, status_code=202)
