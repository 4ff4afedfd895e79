"""The OpenAPI document: the static routes plus one set of paths per run-time collection.

It is built for its reader: an anonymous request gets the static routes only; a signed-in
user gets the collections, operations and fields their roles allow (admins: all of them).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from starlette.responses import HTMLResponse

from deskbase.api.deps import get_ctx
from deskbase.api.responses import JSONResponse
from deskbase.app import App
from deskbase.data.access import Guard
from deskbase.kernel.context import RequestContext
from deskbase.schema.model import Collection

__all__ = ["install_openapi"]


Allowed = Callable[[str], bool]


def _record_schema(coll: Collection, *, writing: bool, allowed: Allowed = lambda _: True) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required = []
    for fld in coll.fields.values():
        if (writing and not fld.writable) or not allowed(fld.name):
            continue
        schema = dict(fld.type.json_schema(fld.options)) or {}
        schema.setdefault("title", fld.title)
        if fld.description:
            schema["description"] = fld.description
        if not writing or not fld.writable:
            schema.setdefault("readOnly", not fld.writable)
        props[fld.name] = schema
        if writing and fld.required:
            required.append(fld.name)
    for name, ext in coll.extensions.items():
        if allowed(name) or any(allowed(f"{name}.{f}") for f in ext.fields):
            props[name] = {"$ref": f"#/components/schemas/{_schema_name(ext, writing)}"}
    out: dict[str, Any] = {"type": "object", "properties": props, "title": coll.title}
    if required:
        out["required"] = required
    return out


def _schema_name(coll: Collection, writing: bool) -> str:
    return f"{coll.name}_{'input' if writing else 'record'}"


def _paths(coll: Collection, can: Callable[[str], bool]) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{_schema_name(coll, False)}"}
    body = {
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{_schema_name(coll, True)}"}}
        }
    }
    one = {
        "200": {
            "description": "The record",
            "content": {"application/json": {"schema": {"type": "object", "properties": {"data": ref}}}},
        }
    }
    page = {
        "200": {
            "description": "A page of records",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "data": {"type": "array", "items": ref},
                            "meta": {"type": "object"},
                        },
                    }
                }
            },
        }
    }
    tag = [f"data: {coll.name}"]
    base = f"/api/data/{coll.name}"
    item: dict[str, Any] = {
        "get": {
            "summary": f"Get a {coll.title} record",
            "tags": tag,
            "responses": one,
            "operationId": f"get_{coll.name}",
        },
        "patch": {
            "summary": f"Update a {coll.title} record",
            "tags": tag,
            "requestBody": body,
            "responses": one,
            "operationId": f"update_{coll.name}",
        },
    }
    listing: dict[str, Any] = {
        "get": {
            "summary": f"List {coll.title} records",
            "tags": tag,
            "responses": page,
            "operationId": f"list_{coll.name}",
        },
    }
    if coll.extends is None:
        listing["post"] = {
            "summary": f"Create {coll.title} records",
            "tags": tag,
            "requestBody": body,
            "responses": {"201": one["200"]},
            "operationId": f"create_{coll.name}",
        }
        item["delete"] = {
            "summary": f"Delete a {coll.title} record",
            "tags": tag,
            "responses": {"204": {"description": "Deleted"}},
            "operationId": f"delete_{coll.name}",
        }
    actions = {"get": "get", "patch": "update", "delete": "delete"}
    item = {method: op for method, op in item.items() if can(actions[method])}
    listing = {method: op for method, op in listing.items() if can("list" if method == "get" else "create")}
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    for op in item.values():
        op["parameters"] = id_param
    return {path: ops for path, ops in ((base, listing), (f"{base}/{{id}}", item)) if ops}


def install_openapi(api: FastAPI, app: App) -> None:
    """Serve `/api/openapi.json` (per reader) and the Swagger UI at `/api/docs`."""
    static: dict[str, Any] = {}

    def base() -> dict[str, Any]:
        if not static:
            static.update(
                get_openapi(
                    title=api.title, version=api.version, description=api.description, routes=api.routes
                )
            )
            static["components"] = {
                **static.get("components", {}),
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            }
            static["security"] = [{"bearer": []}]
        return copy.deepcopy(static)

    def document(ctx: RequestContext | None) -> dict[str, Any]:
        doc = base()
        if ctx is None:
            return doc
        schemas = doc["components"].setdefault("schemas", {})
        guard = app.guard
        for coll in app.catalog:

            def can(action: str, coll: Collection = coll) -> bool:
                return guard.allows(ctx, coll, action)

            if not any(can(a) for a in ("list", "get", "create", "update", "delete")):
                continue
            read = _union(guard, ctx, coll, ("get", "list"))
            write = _union(guard, ctx, coll, ("create", "update"))
            schemas[_schema_name(coll, False)] = _record_schema(coll, writing=False, allowed=read)
            schemas[_schema_name(coll, True)] = _record_schema(coll, writing=True, allowed=write)
            for ext in coll.extensions.values():  # an extension's parts are read through its master
                schemas.setdefault(_schema_name(ext, False), _record_schema(ext, writing=False))
                schemas.setdefault(_schema_name(ext, True), _record_schema(ext, writing=True))
            doc["paths"].update(_paths(coll, can))
        return doc

    @api.get("/api/openapi.json", include_in_schema=False)
    async def openapi_json(request: Request) -> JSONResponse:
        ctx = None
        if request.headers.get("authorization"):
            ctx = await get_ctx(request, app)
        return JSONResponse(document(ctx))

    @api.get("/api/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title=f"{api.title} API")

    api.openapi = lambda: document(None)  # type: ignore[method-assign]


def _union(guard: Guard, ctx: RequestContext, coll: Collection, actions: tuple[str, ...]) -> Allowed:
    grants = [guard.grant(ctx, coll, a) for a in actions if guard.allows(ctx, coll, a)]

    def allowed(name: str) -> bool:
        return any(g.allows(name) for g in grants)

    return allowed
