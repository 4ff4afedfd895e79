"""User routes: the administrators' list and changes, and a lookup for everyone signed in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from deskbase.api.deps import AppDep, Ctx
from deskbase.api.responses import JSONResponse
from deskbase.identity.payloads import UserIn, UserPatch
from deskbase.identity.user_search import MAX_PAGE_SIZE, UserQuery

__all__ = ["router"]

router = APIRouter(prefix="/users", tags=["users"])


@router.get("")
async def list_users(
    app: AppDep,
    ctx: Ctx,
    q: Annotated[str | None, Query(description="every word in the name, email or phone; any case")] = None,
    active: Annotated[bool | None, Query(description="true: active users only; false: deactivated")] = None,
    role: Annotated[str | None, Query(description="users holding this role")] = None,
    department: Annotated[int | None, Query(description="members of this department or one below it")] = None,
    sort: Annotated[str | None, Query(description="e.g. name or -created_at,email; id breaks ties")] = None,
    page: int = 1,
    page_size: Annotated[int, Query(description=f"1 to {MAX_PAGE_SIZE}")] = MAX_PAGE_SIZE,
    counts: Annotated[str | None, Query(description="role,department: meta.counts of the matches")] = None,
) -> JSONResponse:
    """Users matching the filters (administrators only), a page at a time, with `meta.total`."""
    query = UserQuery(q or None, active, role or None, department, sort, page, page_size, counts)
    return JSONResponse((await app.identity.users.search_users(ctx, query)).to_json())


@router.get("/lookup")
async def lookup_users(
    app: AppDep,
    ctx: Ctx,
    ids: Annotated[str | None, Query(description="comma-separated user ids, e.g. 1,2,3")] = None,
    q: Annotated[str | None, Query(description="without ids: every word in the name")] = None,
    active: Annotated[bool | None, Query(description="true: active users only")] = None,
    limit: Annotated[int, Query(description="without ids: at most this many, 1 to 50")] = 20,
) -> JSONResponse:
    """Id, name and avatar of users, for anyone signed in (user fields, pickers)."""
    refs = await app.identity.users.lookup_users(ctx, ids=ids, q=q, active=active, limit=limit)
    return JSONResponse({"data": [r.to_json() for r in refs]})


@router.post("", status_code=201)
async def create_user(body: UserIn, app: AppDep, ctx: Ctx) -> JSONResponse:
    user = await app.identity.users.create_user(ctx, body)
    return JSONResponse({"data": user.to_json()}, status_code=201)


@router.get("/{user_id}")
async def get_user(user_id: int, app: AppDep, ctx: Ctx) -> JSONResponse:
    return JSONResponse({"data": (await app.identity.users.get_user(ctx, user_id)).to_json()})


@router.patch("/{user_id}")
async def update_user(user_id: int, body: UserPatch, app: AppDep, ctx: Ctx) -> JSONResponse:
    """Change name, phone, avatar, roles, default role, departments, active, password.
    `active: false` ends the user's sessions and API keys at once."""
    user = await app.identity.users.update_user(ctx, user_id, body)
    return JSONResponse({"data": user.to_json()})
