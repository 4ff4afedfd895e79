"""Resolving a bearer token (a session token or an API key) into the Actor of a request.

It runs on every request, so the statements are built once, the lookups share one
connection, and the result is cached for a few seconds (ActorCache).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.cache import ActorCache
from deskbase.identity.models import aware
from deskbase.kernel import tables as t
from deskbase.kernel.context import ADMIN_ROLE, Actor
from deskbase.kernel.db import Database
from deskbase.kernel.errors import Unauthenticated

__all__ = ["API_KEY_PREFIX", "ActorResolver", "department_scope", "hash_token", "user_roles"]

log = logging.getLogger("deskbase.identity")

API_KEY_PREFIX = "dsk_"
_TOUCH_EVERY = timedelta(minutes=1)  # how stale an API key's last_used_at may get

_HASH = sa.bindparam("token_hash", type_=sa.String)
_UID = sa.bindparam("user_id", type_=sa.Integer)
_U, _S, _K = t.users, t.sessions, t.api_keys

_SESSION = (
    sa.select(_U.c.id, _U.c.email, _U.c.name, _S.c.expires_at)
    .join(_S, _S.c.user_id == _U.c.id)
    .where(_S.c.token_hash == _HASH, _S.c.revoked.is_(False), _U.c.active.is_(True))
)
_API_KEY = (
    sa.select(
        _U.c.id,
        _U.c.email,
        _U.c.name,
        _K.c.expires_at,
        _K.c.id.label("key_id"),
        _K.c.role.label("key_role"),
        _K.c.last_used_at,
    )
    .join(_K, _K.c.user_id == _U.c.id)
    .where(_K.c.key_hash == _HASH, _K.c.revoked.is_(False), _U.c.active.is_(True))
)
_ROLES = (
    sa.select(t.user_roles.c.role)
    .where(t.user_roles.c.user_id == _UID)
    .order_by(t.user_roles.c.is_default.desc(), t.user_roles.c.role)
)


def _scope_query() -> sa.Select[Any]:
    """The user's departments (own = 1) and every department below them (own = 0)."""
    ud, d = t.user_departments, t.departments.alias("child")
    scope = (
        sa.select(ud.c.department_id.label("id"), sa.literal_column("1").label("own"))
        .where(ud.c.user_id == _UID)
        .cte("dept_scope", recursive=True)
    )
    scope = scope.union_all(
        sa.select(d.c.id, sa.literal_column("0")).join(scope, d.c.parent_id == scope.c.id)
    )
    return (
        sa.select(scope.c.id, sa.func.max(scope.c.own).label("own")).group_by(scope.c.id).order_by(scope.c.id)
    )


_SCOPE = _scope_query()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def user_roles(conn: AsyncConnection, user_id: int) -> tuple[str, ...]:
    """The user's roles, the default one first."""
    return tuple((await conn.execute(_ROLES, {"user_id": user_id})).scalars())


async def department_scope(conn: AsyncConnection, user_id: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(own department ids, own and every department below them)."""
    rows = (await conn.execute(_SCOPE, {"user_id": user_id})).all()
    return tuple(r.id for r in rows if r.own), tuple(r.id for r in rows)


class ActorResolver:
    def __init__(self, db: Database, cache: ActorCache) -> None:
        self.db = db
        self.cache = cache
        self._touches: dict[int, asyncio.Task[None]] = {}  # API key id → its last-used write

    async def resolve(self, token: str) -> Actor:
        """The actor behind a bearer token; Unauthenticated if it is unknown, expired or revoked."""
        actor = self.cache.get(token)
        if actor is not None:
            return actor
        generation = self.cache.generation
        is_key = token.startswith(API_KEY_PREFIX)
        now = datetime.now(UTC)
        async with self.db.read() as conn:
            row = (
                await conn.execute(_API_KEY if is_key else _SESSION, {"token_hash": hash_token(token)})
            ).first()
            expires_at = aware(row.expires_at) if row is not None and row.expires_at is not None else None
            if row is None or (expires_at is not None and expires_at <= now):
                raise Unauthenticated("The session has expired or is not valid; sign in again")
            roles = await user_roles(conn, row.id)
            if is_key:
                # A key keeps its role only while its user has that role (or is an administrator).
                if row.key_role not in roles and ADMIN_ROLE not in roles:
                    raise Unauthenticated("The API key's role was taken from its user; make a new key")
                roles = (row.key_role,)
            own, scope = await department_scope(conn, row.id)
        actor = Actor(
            id=row.id,
            email=row.email,
            name=row.name,
            roles=roles,
            department_ids=own,
            department_scope_ids=scope,
            api_key_id=row.key_id if is_key else None,
        )
        max_age = (expires_at - now).total_seconds() if expires_at is not None else None
        self.cache.put(token, actor, generation, max_age)
        if is_key and (row.last_used_at is None or aware(row.last_used_at) < now - _TOUCH_EVERY):
            self._touch(row.key_id, now)
        return actor

    def _touch(self, key_id: int, now: datetime) -> None:
        """Note the key's use in the background: on SQLite a write may wait for a long import."""
        if key_id in self._touches:
            return
        task = asyncio.create_task(self._write_last_used(key_id, now))
        self._touches[key_id] = task
        task.add_done_callback(lambda _: self._touches.pop(key_id, None))

    async def _write_last_used(self, key_id: int, now: datetime) -> None:
        try:
            async with self.db.write() as conn:
                await conn.execute(_K.update().where(_K.c.id == key_id).values(last_used_at=now))
        except Exception:  # bookkeeping only: the request it came from went on anyway
            log.warning("Could not note the use of API key %s", key_id, exc_info=True)

    async def close(self) -> None:
        """Wait for pending last-used notes (called when the App stops)."""
        if self._touches:
            await asyncio.gather(*self._touches.values(), return_exceptions=True)
