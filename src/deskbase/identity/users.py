"""UserService: users, their roles (one of them the default) and their departments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.api_keys import revoke_user_keys
from deskbase.identity.cache import ActorCache
from deskbase.identity.checks import (
    check_avatar,
    check_email,
    check_phone,
    invalid,
    normalize_email,
    require_admin,
)
from deskbase.identity.departments import unknown_departments
from deskbase.identity.models import MEMBER_ROLE, DepartmentRef, User, UserPage, UserRef
from deskbase.identity.passwords import Passwords
from deskbase.identity.payloads import PreferencesPatch, UserIn, UserPatch
from deskbase.identity.roles import unknown_roles
from deskbase.identity.sessions import end_sessions
from deskbase.identity.user_search import MAX_ID, UserQuery, check_query, lookup_refs, parse_ids, search_ids
from deskbase.kernel import audit
from deskbase.kernel import tables as t
from deskbase.kernel.context import ADMIN_ROLE, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AlreadyExists, Conflict, FieldError, NotFound, PermissionDenied
from deskbase.kernel.types import JSONValue

__all__ = ["UserService", "load_users"]

_U, _UR, _UD, _D = t.users, t.user_roles, t.user_departments, t.departments


async def load_users(conn: AsyncConnection, user_ids: Sequence[int] | None = None) -> list[User]:
    """Users with their roles and departments, by id (all of them when `user_ids` is None)."""
    users = sa.select(_U).order_by(_U.c.id)
    roles = sa.select(_UR).order_by(_UR.c.user_id, _UR.c.is_default.desc(), _UR.c.role)
    depts = (
        sa.select(_UD.c.user_id, _D.c.id, _D.c.name)
        .join(_D, _D.c.id == _UD.c.department_id)
        .order_by(_UD.c.user_id, _D.c.name, _D.c.id)
    )
    if user_ids is not None:
        users = users.where(_U.c.id.in_(user_ids))
        roles = roles.where(_UR.c.user_id.in_(user_ids))
        depts = depts.where(_UD.c.user_id.in_(user_ids))
    role_map: dict[int, list[Any]] = {}
    for r in await conn.execute(roles):
        role_map.setdefault(r.user_id, []).append(r)
    dept_map: dict[int, list[DepartmentRef]] = {}
    for d in await conn.execute(depts):
        dept_map.setdefault(d.user_id, []).append(DepartmentRef(d.id, d.name))
    out = []
    for u in await conn.execute(users):
        held = role_map.get(u.id, [])
        out.append(
            User(
                id=u.id,
                email=u.email,
                name=u.name,
                phone=u.phone,
                avatar=u.avatar,
                active=u.active,
                roles=tuple(r.role for r in held),
                default_role=next((r.role for r in held if r.is_default), None),
                departments=tuple(dept_map.get(u.id, ())),
                created_at=u.created_at,
                locale=u.locale,
                theme=u.theme,
            )
        )
    return out


def _json_ids(ids: Sequence[int]) -> list[JSONValue]:
    return [i for i in sorted(ids)]


def _choose_roles(roles: Sequence[str], default: str | None, errors: list[FieldError]) -> tuple[str, ...]:
    """The roles with the default first; none at all means `member`."""
    chosen = list(dict.fromkeys(roles)) or [MEMBER_ROLE]
    if default is None:
        default = chosen[0]
    elif default not in chosen:
        errors.append(FieldError("default_role", f"{default!r} is not one of the roles", "not_in_roles"))
        return tuple(chosen)
    return (default, *sorted(r for r in chosen if r != default))


def _departments(single: int | None, many: Sequence[int] | None) -> tuple[list[int], str]:
    """The department ids asked for and the member they came from (for error paths)."""
    ids = list(dict.fromkeys([*([] if single is None else [single]), *(many or [])]))
    return ids, "department" if single is not None and not many else "departments"


async def _check_refs(
    conn: AsyncConnection,
    roles: Sequence[str],
    dept_ids: Sequence[int],
    dept_field: str,
    errors: list[FieldError],
) -> None:
    for name in await unknown_roles(conn, roles):
        errors.append(
            FieldError(f"roles.{list(roles).index(name)}", f"unknown role {name!r}", "unknown_role")
        )
    for dept in await unknown_departments(conn, dept_ids):
        path = dept_field if dept_field == "department" else f"departments.{list(dept_ids).index(dept)}"
        errors.append(FieldError(path, f"unknown department {dept}", "unknown_department"))


async def _write_roles(conn: AsyncConnection, user_id: int, roles: tuple[str, ...]) -> None:
    await conn.execute(_UR.delete().where(_UR.c.user_id == user_id))
    await conn.execute(
        _UR.insert(), [{"user_id": user_id, "role": r, "is_default": i == 0} for i, r in enumerate(roles)]
    )


async def _write_departments(conn: AsyncConnection, user_id: int, ids: Sequence[int]) -> None:
    await conn.execute(_UD.delete().where(_UD.c.user_id == user_id))
    if ids:
        await conn.execute(_UD.insert(), [{"user_id": user_id, "department_id": d} for d in ids])


async def _active_admins(conn: AsyncConnection) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(_U.join(_UR, _UR.c.user_id == _U.c.id))
        .where(_UR.c.role == ADMIN_ROLE, _U.c.active.is_(True))
    )
    return int((await conn.execute(query)).scalar_one())


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a patch changes: column values, the new roles and departments (None: unchanged)."""

    values: dict[str, JSONValue]
    roles: tuple[str, ...] | None
    dept_ids: list[int] | None
    dept_field: str


def _plan(old: User, body: UserPatch, errors: list[FieldError]) -> _Plan:
    sent = body.model_fields_set
    values: dict[str, JSONValue] = {}
    if body.name is not None and body.name.strip() != old.name:
        values["name"] = body.name.strip()
    for key, check in (("phone", check_phone), ("avatar", check_avatar)):
        if key in sent:
            value = check(getattr(body, key), errors)
            if value != getattr(old, key):
                values[key] = value
    if body.active is not None and body.active != old.active:
        values["active"] = body.active
    roles = None
    if body.roles is not None or body.default_role is not None:
        wanted = body.roles if body.roles is not None else list(old.roles)
        default = body.default_role or (old.default_role if old.default_role in wanted else None)
        roles = _choose_roles(wanted, default, errors)
    dept_ids, dept_field = None, "departments"
    if body.departments is not None or "department" in sent:
        dept_ids, dept_field = _departments(body.department, body.departments)
    return _Plan(values, roles, dept_ids, dept_field)


class UserService:
    def __init__(self, db: Database, cache: ActorCache, passwords: Passwords) -> None:
        self.db = db
        self.cache = cache
        self.passwords = passwords

    async def count_users(self) -> int:
        async with self.db.read() as conn:
            return int((await conn.execute(sa.select(sa.func.count()).select_from(_U))).scalar_one())

    async def list_users(self, ctx: RequestContext) -> list[User]:
        """Every user, by id (the CLI's list; the API pages with `search_users`)."""
        require_admin(ctx, "manage users")
        async with self.db.read() as conn:
            return await load_users(conn)

    async def search_users(self, ctx: RequestContext, query: UserQuery) -> UserPage:
        """A page of the users matching `query`, with the total; every bad parameter is a 422."""
        require_admin(ctx, "manage users")
        errors = check_query(query)
        if errors:
            raise invalid(errors)
        async with self.db.read() as conn:
            found = await search_ids(conn, query)
            users = {u.id: u for u in await load_users(conn, found.ids)} if found.ids else {}
        page = [users[i] for i in found.ids if i in users]
        return UserPage(page, query.page, query.page_size, found.total, found.counts)

    async def lookup_users(
        self,
        ctx: RequestContext,
        *,
        ids: str | None = None,
        q: str | None = None,
        active: bool | None = None,
        limit: int = 20,
    ) -> list[UserRef]:
        """Id, name and avatar of users, for anyone signed in: by `ids` (`1,2,3`), else by
        name (`q`). Emails and the rest stay with administrators."""
        wanted = parse_ids(ids) if ids is not None else None
        async with self.db.read() as conn:
            return await lookup_refs(conn, ids=wanted, q=q, active=active, limit=limit)

    async def update_preferences(self, ctx: RequestContext, body: PreferencesPatch) -> None:
        """The signed-in user's own language and theme (null: the browser's); audited as a
        `user.update` with the values before and after."""
        user_id = ctx.actor.id
        if user_id is None:
            raise PermissionDenied("Preferences belong to a user; the system has none")
        async with self.db.write() as conn:
            row = (await conn.execute(sa.select(_U.c.locale, _U.c.theme).where(_U.c.id == user_id))).first()
            if row is None:
                raise NotFound(f"User {user_id} does not exist")
            changes: dict[str, tuple[JSONValue, JSONValue]] = {}
            for key in ("locale", "theme"):
                if key in body.model_fields_set and getattr(body, key) != getattr(row, key):
                    changes[key] = (getattr(row, key), getattr(body, key))
            if changes:
                values = {k: after for k, (_, after) in changes.items()}
                await conn.execute(_U.update().where(_U.c.id == user_id).values(**values))
                await audit.record(conn, ctx, audit.Entry("user.update", record_id=user_id, changes=changes))

    async def get_user(self, ctx: RequestContext, user_id: int) -> User:
        require_admin(ctx, "manage users")
        return await self.load_user(user_id)

    async def load_user(self, user_id: int) -> User:
        """One user, without an access check (for the user themself, or internal use)."""
        if not 0 < user_id <= MAX_ID:  # beyond the column's range: PostgreSQL would refuse the query
            raise NotFound(f"User {user_id} does not exist")
        async with self.db.read() as conn:
            found = await load_users(conn, [user_id])
        if not found:
            raise NotFound(f"User {user_id} does not exist")
        return found[0]

    async def get_user_by_email(self, ctx: RequestContext, email: str) -> User:
        require_admin(ctx, "manage users")
        async with self.db.read() as conn:
            user_id = (
                await conn.execute(sa.select(_U.c.id).where(_U.c.email == normalize_email(email)))
            ).scalar()
        if user_id is None:
            raise NotFound(f"No user has the email {email!r}")
        return await self.load_user(user_id)

    async def create_user(self, ctx: RequestContext, body: UserIn, *, check_policy: bool = True) -> User:
        """Create a user (administrators only). `check_policy=False` is for the first
        administrator, whose password comes from the server's settings."""
        require_admin(ctx, "create users")
        errors: list[FieldError] = []
        email = check_email(body.email, errors)
        phone = check_phone(body.phone, errors)
        avatar = check_avatar(body.avatar, errors)
        if check_policy:
            errors += self.passwords.problems(body.password, email)
        roles = _choose_roles(body.roles, body.default_role, errors)
        dept_ids, dept_field = _departments(body.department, body.departments)
        if errors:
            raise invalid(errors)
        password_hash = await self.passwords.hash(body.password)
        values = {
            "email": email,
            "name": body.name.strip() or email.split("@")[0],
            "phone": phone,
            "avatar": avatar,
            "password_hash": password_hash,
            "active": body.active,
            "created_at": datetime.now(UTC),
        }
        try:
            async with self.db.write() as conn:
                await _check_refs(conn, body.roles, dept_ids, dept_field, errors)
                if errors:
                    raise invalid(errors)
                new_id = int(
                    (await conn.execute(_U.insert().values(**values).returning(_U.c.id))).scalar_one()
                )
                await _write_roles(conn, new_id, roles)
                await _write_departments(conn, new_id, dept_ids)
                detail: dict[str, JSONValue] = {
                    "email": email,
                    "name": str(values["name"]),
                    "roles": list(roles),
                    "departments": list(dept_ids),
                }
                await audit.record(conn, ctx, audit.Entry("user.create", record_id=new_id, detail=detail))
        except IntegrityError:
            raise AlreadyExists(
                f"A user with email {email!r} exists",
                errors=[FieldError("email", "already taken", "duplicate")],
            ) from None
        return await self.load_user(new_id)

    async def update_user(self, ctx: RequestContext, user_id: int, body: UserPatch) -> User:
        """Change a user (administrators only). Deactivating ends their sessions and API keys;
        a new password ends their sessions. The last active administrator stays one."""
        require_admin(ctx, "change users")
        errors: list[FieldError] = []
        first = await self.load_user(user_id)
        _plan(first, body, errors)  # bad values are refused before any hashing or locking
        password_hash = None
        if body.password is not None:
            errors += self.passwords.problems(body.password, first.email)
            if not errors:
                password_hash = await self.passwords.hash(body.password)
        if errors:
            raise invalid(errors)
        async with self.db.write() as conn:
            found = await load_users(conn, [user_id])
            if not found:
                raise NotFound(f"User {user_id} does not exist")
            old = found[0]
            plan = _plan(old, body, errors)  # against the user as the transaction sees them
            await _check_refs(conn, body.roles or [], plan.dept_ids or [], plan.dept_field, errors)
            if errors:
                raise invalid(errors)
            changes: dict[str, tuple[JSONValue, JSONValue]] = {
                k: (getattr(old, k), v) for k, v in plan.values.items()
            }
            values: dict[str, Any] = dict(plan.values)
            if password_hash is not None:
                values["password_hash"] = password_hash
            if values:
                await conn.execute(_U.update().where(_U.c.id == user_id).values(**values))
            if plan.roles is not None and plan.roles != old.roles:
                await _write_roles(conn, user_id, plan.roles)
                changes["roles"] = (list(old.roles), list(plan.roles))
                if plan.roles[0] != old.default_role:
                    changes["default_role"] = (old.default_role, plan.roles[0])
            old_depts = [d.id for d in old.departments]
            if plan.dept_ids is not None and set(plan.dept_ids) != set(old_depts):
                await _write_departments(conn, user_id, plan.dept_ids)
                changes["departments"] = (_json_ids(old_depts), _json_ids(plan.dept_ids))
            deactivated = plan.values.get("active") is False
            if deactivated:
                await end_sessions(conn, user_id)
                await revoke_user_keys(conn, user_id)
            elif password_hash is not None:
                await end_sessions(conn, user_id)
            if ADMIN_ROLE in old.roles and old.active and await _active_admins(conn) == 0:
                raise Conflict("This is the last active administrator; make another one first")
            if changes or password_hash is not None:
                detail: dict[str, JSONValue] | None = {"password": "changed"} if password_hash else None
                entry = audit.Entry(
                    "user.deactivate" if deactivated else "user.update",
                    record_id=user_id,
                    changes=changes or None,
                    detail=detail,
                )
                await audit.record(conn, ctx, entry)
        if changes or password_hash is not None:
            self.cache.drop_user(user_id)
        return await self.load_user(user_id)
