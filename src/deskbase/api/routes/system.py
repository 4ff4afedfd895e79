"""Health and sign-in routes."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from deskbase.api.deps import AppDep, Ctx, bearer_token
from deskbase.api.responses import JSONResponse

__all__ = ["router"]

router = APIRouter()


class LoginIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class UserIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)
    name: str = Field(default="", max_length=200)
    is_admin: bool = False


@router.get("/health", tags=["system"])
async def health() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.post("/auth/login", tags=["auth"])
async def login(body: LoginIn, app: AppDep) -> JSONResponse:
    token, user = await app.identity.login(body.email, body.password)
    return JSONResponse({"token": token, "user": user.to_json()})


@router.post("/auth/logout", tags=["auth"], status_code=204)
async def logout(request: Request, app: AppDep, ctx: Ctx) -> None:
    await app.identity.logout(bearer_token(request))


@router.get("/me", tags=["auth"])
async def me(ctx: Ctx) -> JSONResponse:
    a = ctx.actor
    return JSONResponse({"data": {"id": a.id, "email": a.email, "name": a.name, "is_admin": a.is_admin}})


@router.get("/users", tags=["users"])
async def list_users(app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": [u.to_json() for u in await app.identity.list_users()]})


@router.post("/users", tags=["users"], status_code=201)
async def create_user(body: UserIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    user = await app.identity.create_user(body.email, body.password, body.name, is_admin=body.is_admin)
    return JSONResponse({"data": user.to_json()}, status_code=201)
