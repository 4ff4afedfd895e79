"""A role's permissions: per collection and action, a record scope and the fields allowed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from deskbase.api.deps import AppDep, Ctx, json_body
from deskbase.api.responses import JSONResponse
from deskbase.kernel.context import RequestContext, require_admin
from deskbase.kernel.types import JSONValue

__all__ = ["router"]

router = APIRouter(prefix="/roles", tags=["roles"])
Body = Annotated[JSONValue, Depends(json_body)]


def _admin(ctx: RequestContext) -> None:
    require_admin(ctx, "manage roles and permissions")


@router.get("/{name}/permissions")
async def get_permissions(name: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    _admin(ctx)
    return JSONResponse({"data": await app.permissions.get(name)})


@router.put("/{name}/permissions")
async def put_permissions(name: str, app: AppDep, ctx: Ctx, body: Body) -> JSONResponse:
    """Replace the role's permissions as a whole, e.g. `{"tickets": {"list": {"scope": "own",
    "fields": ["title", "status"]}, "update": {"scope": {"assignee": "{{currentUser.id}}"}}}}`.
    A scope is "all", "own", "department" or a filter; no `fields` means every field; an
    absent action is denied."""
    _admin(ctx)
    return JSONResponse({"data": await app.permissions.put(ctx, name, body)})
