"""Schema routes: collections and their fields."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.app import App
from deskbase.kernel.context import RequestContext, require_admin
from deskbase.kernel.errors import AppError, CollectionNotFound, FieldNotFound
from deskbase.kernel.types import JSONValue
from deskbase.schema.model import Collection
from deskbase.schema.payloads import CollectionIn, CollectionPatch, FieldIn, FieldPatch

__all__ = ["router"]

router = APIRouter(prefix="/collections", tags=["schema"])


@router.get("")
async def list_collections(app: AppDep, ctx: Ctx) -> JSONResponse:
    """The collections the caller may act on, with the fields their roles may use."""
    return JSONResponse({"data": [c for c in (_shown(app, ctx, coll) for coll in app.catalog) if c]})


def _shown(app: App, ctx: RequestContext, coll: Collection) -> dict[str, JSONValue] | None:
    names = app.guard.usable_fields(ctx, coll)
    if names is not None and not names:
        return None
    out = coll.to_json()
    if names is not None:
        fields = out["fields"]
        assert isinstance(fields, list)
        out["fields"] = [f for f in fields if isinstance(f, dict) and f["name"] in names]
    return out


@router.post("", status_code=201)
async def create_collection(body: CollectionIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    require_admin(ctx, "change the schema")
    coll = await app.schema.create_collection(ctx, body)
    return JSONResponse({"data": coll.to_json()}, status_code=201)


@router.get("/{name}")
async def get_collection(name: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    shown = _shown(app, ctx, app.catalog.get(name))
    if shown is None:
        raise CollectionNotFound(f"Collection {name!r} does not exist")
    return JSONResponse({"data": shown})


@router.patch("/{name}")
async def update_collection(name: str, body: CollectionPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    require_admin(ctx, "change the schema")
    coll = await app.schema.update_collection(ctx, name, body)
    return JSONResponse({"data": coll.to_json()})


@router.delete("/{name}", status_code=204)
async def drop_collection(name: str, app: AppDep, ctx: Ctx) -> Response:
    require_admin(ctx, "change the schema")
    await app.schema.drop_collection(ctx, name)
    await app.permissions.load()  # its rules went with it
    return Response(status_code=204)


@router.post("/{name}/fields", status_code=201)
async def add_field(name: str, body: FieldIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    require_admin(ctx, "change the schema")
    coll = await app.schema.add_field(ctx, name, body)
    return JSONResponse({"data": coll.fields[body.name].to_json()}, status_code=201)


class FormulaCheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expression: Any = None
    result_type: Any = "number"


@router.post("/{name}/formula-check")
async def check_formula(name: str, body: FormulaCheckIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Checks a formula as adding it as a field would, without saving; errors name `expression`."""
    require_admin(ctx, "change the schema")
    probe = next(
        f"formula_check_{i}" for i in range(1000) if f"formula_check_{i}" not in app.catalog.get(name).fields
    )
    options = {"expression": body.expression, "result_type": body.result_type}
    try:
        app.schema.check_field(name, FieldIn(name=probe, type="formula", options=options))
    except AppError as exc:
        own = {
            f"{name}.{probe}": "expression",
            "options.expression": "expression",
            "options.result_type": "result_type",
        }
        exc.errors = [replace(e, field=own.get(e.field, e.field)) for e in exc.errors]
        if exc.errors:  # the detail named the probe field
            exc.detail = "Invalid formula: " + "; ".join(e.message for e in exc.errors)
        raise
    return JSONResponse({"data": {"ok": True}})


@router.get("/{name}/fields/{field}")
async def get_field(name: str, field: str, app: AppDep, ctx: Ctx) -> JSONResponse:
    fld = app.catalog.get(name).fields.get(field)
    names = app.guard.usable_fields(ctx, app.catalog.get(name))
    if fld is None or (names is not None and field not in names):
        raise FieldNotFound(f"Field {field!r} does not exist in {name!r}")
    return JSONResponse({"data": fld.to_json()})


@router.patch("/{name}/fields/{field}")
async def update_field(name: str, field: str, body: FieldPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    require_admin(ctx, "change the schema")
    coll = await app.schema.update_field(ctx, name, field, body)
    return JSONResponse({"data": coll.fields[field].to_json()})


@router.delete("/{name}/fields/{field}", status_code=204)
async def drop_field(name: str, field: str, app: AppDep, ctx: Ctx) -> Response:
    require_admin(ctx, "change the schema")
    await app.schema.drop_field(ctx, name, field)
    await app.permissions.load()  # rules naming the field stay, harmless; reload keeps step
    return Response(status_code=204)
