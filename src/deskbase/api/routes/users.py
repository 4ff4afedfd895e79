"""User routes (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.identity.payloads import UserIn, UserPatch

__all__ = ["router"]

router = APIRouter(prefix="/users", tags=["users"])


@router.get("")
async def list_users(app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": [u.to_json() for u in await app.identity.users.list_users(ctx)]})


@router.post("", status_code=201)
async def create_user(body: UserIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    user = await app.identity.users.create_user(ctx, body)
    return JSONResponse({"data": user.to_json()}, status_code=201)


@router.get("/{user_id}")
async def get_user(user_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": (await app.identity.users.get_user(ctx, user_id)).to_json()})


@router.patch("/{user_id}")
async def update_user(user_id: int, body: UserPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Change name, phone, avatar, roles, default role, departments, active, password.
    `active: false` ends the user's sessions and API keys at once."""
    user = await app.identity.users.update_user(ctx, user_id, body)
    return JSONResponse({"data": user.to_json()})
