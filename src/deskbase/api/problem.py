"""The only place where errors become HTTP: RFC 9457 problem+json with a stable `code`."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from deskbase.api.responses import dumps
from deskbase.kernel.errors import AppError, FieldError, TooManyRequests

__all__ = ["install_problem_handlers", "problem"]

log = logging.getLogger("deskbase.api")

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
}


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"/errors/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        "code": code,
    }
    if errors:
        body["errors"] = [e.to_json() for e in errors]
    if extra:
        body.update({k: v for k, v in extra.items() if k not in body})
    return Response(dumps(body), status_code=status, media_type="application/problem+json", headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> Response:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(
            exc.status,
            exc.code,
            exc.title,
            exc.detail,
            request.url.path,
            exc.errors,
            exc.extra,
            headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errs = list(exc.errors())
        if any(e.get("type") == "json_invalid" for e in errs):
            return problem(
                400,
                "invalid_json",
                "Malformed JSON",
                "The request body is not valid JSON",
                request.url.path,
                [FieldError("body", "invalid JSON", "invalid_json")],
            )
        fields = [
            FieldError(_location(tuple(e.get("loc", ()))), str(e.get("msg")), str(e.get("type")))
            for e in errs
        ]
        return problem(
            422,
            "validation_failed",
            "Validation failed",
            "; ".join(f"{f.field}: {f.message}" for f in fields),
            request.url.path,
            fields,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return problem(
            exc.status_code,
            code,
            code.replace("_", " ").capitalize(),
            str(exc.detail),
            request.url.path,
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        return problem(
            500,
            "internal_error",
            "Internal error",
            "An unexpected error occurred; it was logged",
            request.url.path,
        )
