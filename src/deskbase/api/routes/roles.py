"""Role routes (administrators only); a role's permissions have routes of their own."""

from __future__ import annotations

from fastapi import APIRouter, Response

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.identity.payloads import RoleIn, RolePatch

__all__ = ["router"]

router = APIRouter(prefix="/roles", tags=["roles"])


@router.get("")
async def list_roles(app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": [r.to_json() for r in await app.identity.roles.list_roles(ctx)]})


@router.post("", status_code=201)
async def create_role(body: RoleIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    role = await app.identity.roles.create_role(ctx, body)
    return JSONResponse({"data": role.to_json()}, status_code=201)


@router.get("/{name}")
async def get_role(name: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": (await app.identity.roles.get_role(ctx, name)).to_json()})


@router.patch("/{name}")
async def update_role(name: str, body: RolePatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": (await app.identity.roles.update_role(ctx, name, body)).to_json()})


@router.delete("/{name}", status_code=204)
async def delete_role(name: str, app: AppDep, ctx: Ctx) -> Response:
    """`admin` and `member` cannot be deleted (409); holders keep their other roles."""
    await app.identity.roles.delete_role(ctx, name)
    return Response(status_code=204)
