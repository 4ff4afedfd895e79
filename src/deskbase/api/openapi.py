"""The OpenAPI document: the static routes plus one set of paths per run-time collection."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = ["install_openapi"]


def _record_schema(coll: Collection, *, writing: bool) -> dict[str, Any]:
    props: dict[str, Any] = {}
    required = []
    for fld in coll.fields.values():
        if writing and not fld.writable:
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
        props[name] = {"$ref": f"#/components/schemas/{_schema_name(ext, writing)}"}
    out: dict[str, Any] = {"type": "object", "properties": props, "title": coll.title}
    if required:
        out["required"] = required
    return out


def _schema_name(coll: Collection, writing: bool) -> str:
    return f"{coll.name}_{'input' if writing else 'record'}"


def _paths(coll: Collection) -> dict[str, Any]:
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
    id_param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    for op in item.values():
        op["parameters"] = id_param
    return {base: listing, f"{base}/{{id}}": item}


def install_openapi(api: FastAPI, catalog: Catalog) -> None:
    cache: dict[int, dict[str, Any]] = {}

    def openapi() -> dict[str, Any]:
        if catalog.version in cache:
            return cache[catalog.version]
        doc = get_openapi(
            title=api.title, version=api.version, description=api.description, routes=api.routes
        )
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        for coll in catalog:
            for writing in (False, True):
                schemas[_schema_name(coll, writing)] = _record_schema(coll, writing=writing)
            doc["paths"].update(_paths(coll))
        doc["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        doc["security"] = [{"bearer": []}]
        cache.clear()
        cache[catalog.version] = doc
        return doc

    api.openapi = openapi  # type: ignore[method-assign]
