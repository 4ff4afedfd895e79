"""Department routes (administrators only): the tree, and changes to it."""

from __future__ import annotations

from fastapi import APIRouter, Response

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.identity.payloads import DepartmentIn, DepartmentPatch

__all__ = ["router"]

router = APIRouter(prefix="/departments", tags=["departments"])


@router.get("")
async def department_tree(app: AppDep, ctx: Ctx) -> JSONResponse:
    """The root departments, each with its `children`."""
    return JSONResponse({"data": [d.to_json() for d in await app.identity.departments.tree(ctx)]})


@router.post("", status_code=201)
async def create_department(body: DepartmentIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    dept = await app.identity.departments.create_department(ctx, body)
    return JSONResponse({"data": dept.to_json(tree=False)}, status_code=201)


@router.get("/{department_id}")
async def get_department(department_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    dept = await app.identity.departments.get_department(ctx, department_id)
    return JSONResponse({"data": dept.to_json(tree=False)})


@router.patch("/{department_id}")
async def update_department(department_id: int, body: DepartmentPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Rename, reorder or move (`parent_id`; null for the top); a move under itself is 422."""
    dept = await app.identity.departments.update_department(ctx, department_id, body)
    return JSONResponse({"data": dept.to_json(tree=False)})


@router.delete("/{department_id}", status_code=204)
async def delete_department(department_id: int, app: AppDep, ctx: Ctx) -> Response:
    """Refused (409) while it has sub-departments; its members leave it."""
    await app.identity.departments.delete_department(ctx, department_id)
    return Response(status_code=204)
