"""Sign-in, sign-out, the signed-in user (`/api/me`) and their own password."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from deskbase.api.deps import AppDep, Ctx, bearer_token, client_address, request_source
from deskbase.api.responses import JSONResponse
from deskbase.identity.payloads import LoginIn, PasswordChange, PreferencesPatch

__all__ = ["router"]

router = APIRouter(tags=["auth"])


@router.post("/auth/login")
async def login(body: LoginIn, request: Request, app: AppDep) -> JSONResponse:
    """A session token for `Authorization: Bearer <token>`. After repeated failures for one
    email or from one address: 429 with Retry-After."""
    token, user = await app.identity.login(
        body.email, body.password, address=client_address(request), source=request_source(request)
    )
    return JSONResponse({"token": token, "user": user.to_json()})


@router.post("/auth/logout", status_code=204)
async def logout(request: Request, app: AppDep, ctx: Ctx) -> Response:
    await app.identity.sessions.logout(ctx, bearer_token(request))
    return Response(status_code=204)


@router.get("/me")
async def me(app: AppDep, ctx: Ctx) -> JSONResponse:
    """The signed-in user, their roles in force (with `role_titles`), departments, preferences,
    the API key used (if any), and their effective permissions: per collection and action,
    the union of their roles' rules."""
    data = await app.identity.me(ctx)
    data["permissions"] = app.permissions.describe(ctx)
    return JSONResponse({"data": data})


@router.patch("/me")
async def update_me(body: PreferencesPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Your preferences: `locale` ("zh-CN" | "en-US") and `theme` ("light" | "dark"); null
    follows the browser. Answers like `GET /api/me`."""
    data = await app.identity.update_preferences(ctx, body)
    data["permissions"] = app.permissions.describe(ctx)
    return JSONResponse({"data": data})


@router.post("/me/password", status_code=204)
async def change_password(body: PasswordChange, request: Request, app: AppDep, ctx: Ctx) -> Response:
    """Change your own password; your other sessions end."""
    await app.identity.sessions.change_password(
        ctx, bearer_token(request), body, address=client_address(request)
    )
    return Response(status_code=204)
