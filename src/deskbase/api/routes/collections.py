"""Schema routes: collections and their fields."""

from __future__ import annotations

from fastapi import APIRouter, Response

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.kernel.errors import FieldNotFound
from deskbase.schema.payloads import CollectionIn, CollectionPatch, FieldIn, FieldPatch

__all__ = ["router"]

router = APIRouter(prefix="/collections", tags=["schema"])


@router.get("")
async def list_collections(app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": [c.to_json() for c in app.catalog]})


@router.post("", status_code=201)
async def create_collection(body: CollectionIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    coll = await app.schema.create_collection(ctx, body)
    return JSONResponse({"data": coll.to_json()}, status_code=201)


@router.get("/{name}")
async def get_collection(name: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": app.catalog.get(name).to_json()})


@router.patch("/{name}")
async def update_collection(name: str, body: CollectionPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    coll = await app.schema.update_collection(name, body)
    return JSONResponse({"data": coll.to_json()})


@router.delete("/{name}", status_code=204)
async def drop_collection(name: str, app: AppDep, ctx: Ctx) -> Response:
    await app.schema.drop_collection(name)
    return Response(status_code=204)


@router.post("/{name}/fields", status_code=201)
async def add_field(name: str, body: FieldIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    coll = await app.schema.add_field(ctx, name, body)
    return JSONResponse({"data": coll.fields[body.name].to_json()}, status_code=201)


@router.get("/{name}/fields/{field}")
async def get_field(name: str, field: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    fld = app.catalog.get(name).fields.get(field)
    if fld is None:
        raise FieldNotFound(f"Field {field!r} does not exist in {name!r}")
    return JSONResponse({"data": fld.to_json()})


@router.patch("/{name}/fields/{field}")
async def update_field(name: str, field: str, body: FieldPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    coll = await app.schema.update_field(name, field, body)
    return JSONResponse({"data": coll.fields[field].to_json()})


@router.delete("/{name}/fields/{field}", status_code=204)
async def drop_field(name: str, field: str, app: AppDep, ctx: Ctx) -> Response:
    await app.schema.drop_field(name, field)
    return Response(status_code=204)
