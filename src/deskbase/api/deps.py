"""Request dependencies: the App, the signed-in user's context, JSON bodies."""

from __future__ import annotations

from typing import Annotated, cast

import orjson
from fastapi import Depends, Request

from deskbase.app import App
from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import BadRequest, FieldError, InvalidJSON, Unauthenticated
from deskbase.kernel.types import JSONValue

__all__ = [
    "AppDep",
    "Ctx",
    "bearer_token",
    "client_address",
    "get_app",
    "get_ctx",
    "json_body",
    "request_source",
]


async def get_app(request: Request) -> App:
    # async: a plain `def` dependency would run in the thread pool on every request.
    return cast(App, request.app.state.deskbase)


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("Send 'Authorization: Bearer <token>'; get a token from POST /api/auth/login")
    return token.strip()


def request_source(request: Request) -> str:
    """Where a request comes from, for the audit log: the web UI or another API client."""
    return "ui" if request.headers.get("x-deskbase-client") == "web" else "api"


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def get_ctx(request: Request, app: Annotated[App, Depends(get_app)]) -> RequestContext:
    actor = await app.identity.authenticate(bearer_token(request))
    source = "api_key" if actor.api_key_id is not None else request_source(request)
    return RequestContext(actor=actor, source=source)


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
