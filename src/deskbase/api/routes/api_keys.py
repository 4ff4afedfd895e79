"""API key routes: create (the key is shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter, Response

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.identity.payloads import ApiKeyIn

__all__ = ["router"]

router = APIRouter(prefix="/api-keys", tags=["api keys"])


@router.post("", status_code=201)
async def create_api_key(body: ApiKeyIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    """A key acting as you with one of your roles. `key` is in this answer only: store it."""
    key, secret = await app.identity.api_keys.create_key(ctx, body)
    return JSONResponse({"data": {**key.to_json(), "key": secret}}, status_code=201)


@router.get("")
async def list_api_keys(app: AppDep, ctx: Ctx) -> JSONResponse:
    """Your keys (an administrator sees everyone's), without the secrets."""
    return JSONResponse({"data": [k.to_json() for k in await app.identity.api_keys.list_keys(ctx)]})


@router.delete("/{key_id}", status_code=204)
async def revoke_api_key(key_id: int, app: AppDep, ctx: Ctx) -> Response:
    await app.identity.api_keys.revoke_key(ctx, key_id)
    return Response(status_code=204)
