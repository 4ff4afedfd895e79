"""Request dependencies: the App, the signed-in user's context, JSON bodies."""

from __future__ import annotations

from typing import Annotated, cast

import orjson
from fastapi import Depends, Request

from deskbase.app import App
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import BadRequest, FieldError, InvalidJSON, Unauthenticated
from deskbase.kernel.types import JSONValue

__all__ = ["AppDep", "Ctx", "bearer_token", "get_app", "get_ctx", "json_body"]


def get_app(request: Request) -> App:
    return cast(App, request.app.state.deskbase)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send 'Authorization: Bearer <token>'; get a token from POST /api/auth/login")
    return token.strip()


async def get_ctx(request: Request, app: Annotated[App, Depends(get_app)]) -> RequestContext:
    actor = await app.identity.authenticate(bearer_token(request))
    return RequestContext(actor=actor, source="api")


async def json_body(request: Request) -> JSONValue:
    raw = await request.body()
    if not raw.strip():
        raise BadRequest("The request needs a JSON body", errors=[FieldError("body", "empty body", "empty")])
    try:
        value: JSONValue = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InvalidJSON(f"The request body is not valid JSON: {exc}") from None
    return value


AppDep = Annotated[App, Depends(get_app)]
Ctx = Annotated[RequestContext, Depends(get_ctx)]
