"""ApiKeyService: keys that act as their user with one role; shown once, stored as a hash."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.actors import API_KEY_PREFIX, hash_token
from deskbase.identity.cache import ActorCache
from deskbase.identity.models import ApiKey, aware
from deskbase.identity.payloads import ApiKeyIn
from deskbase.identity.roles import unknown_roles
from deskbase.kernel import audit
from deskbase.kernel import tables as t
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import FieldError, NotFound, PermissionDenied, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["ApiKeyService", "revoke_user_keys"]

_K = t.api_keys
_PREFIX_LENGTH = 12  # "dsk_" and 8 random characters: enough to tell keys apart


def _key(row: Any) -> ApiKey:
    return ApiKey(
        row.id,
        row.name,
        row.user_id,
        row.role,
        row.prefix,
        row.created_at,
        row.expires_at,
        row.last_used_at,
        row.revoked,
    )


async def revoke_user_keys(conn: AsyncConnection, user_id: int) -> None:
    await conn.execute(
        _K.update().where(_K.c.user_id == user_id, _K.c.revoked.is_(False)).values(revoked=True)
    )


class ApiKeyService:
    def __init__(self, db: Database, cache: ActorCache) -> None:
        self.db = db
        self.cache = cache

    async def create_key(self, ctx: RequestContext, body: ApiKeyIn) -> tuple[ApiKey, str]:
        """A new key for the caller and the secret itself, which is never shown again.

        The role must be one of the caller's (any role for an administrator); a key cannot
        make keys.
        """
        actor = ctx.actor
        if actor.id is None or actor.api_key_id is not None:
            raise PermissionDenied("API keys are created by a signed-in user, not by another key")
        if not actor.is_admin and body.role not in actor.roles:
            raise PermissionDenied(f"You do not have the role {body.role!r}")
        now = datetime.now(UTC)
        expires_at = aware(body.expires_at) if body.expires_at is not None else None
        if expires_at is not None and expires_at <= now:
            raise ValidationFailed(
                "The key would be expired already",
                errors=[FieldError("expires_at", "must be in the future", "in_the_past")],
            )
        secret = API_KEY_PREFIX + secrets.token_urlsafe(32)
        name, prefix = body.name.strip(), secret[:_PREFIX_LENGTH]
        values = {
            "name": name,
            "user_id": actor.id,
            "role": body.role,
            "prefix": prefix,
            "created_at": now,
            "expires_at": expires_at,
        }
        async with self.db.write() as conn:
            if await unknown_roles(conn, [body.role]):
                raise ValidationFailed(
                    f"Role {body.role!r} does not exist",
                    errors=[FieldError("role", f"unknown role {body.role!r}", "unknown_role")],
                )
            new_id = (
                await conn.execute(
                    _K.insert().values(**values, key_hash=hash_token(secret)).returning(_K.c.id)
                )
            ).scalar_one()
            detail: dict[str, JSONValue] = {
                "name": name,
                "role": body.role,
                "user_id": actor.id,
                "prefix": prefix,
            }
            await audit.record(conn, ctx, audit.Entry("api_key.create", record_id=new_id, detail=detail))
            row = (await conn.execute(sa.select(_K).where(_K.c.id == new_id))).one()
        return _key(row), secret

    async def list_keys(self, ctx: RequestContext) -> list[ApiKey]:
        """The caller's keys (an administrator's: everyone's), newest first, never the secret."""
        query = sa.select(_K).order_by(_K.c.id.desc())
        if not ctx.actor.is_admin:
            query = query.where(_K.c.user_id == ctx.actor.id)
        async with self.db.read() as conn:
            return [_key(r) for r in await conn.execute(query)]

    async def revoke_key(self, ctx: RequestContext, key_id: int) -> None:
        """Revoke one of the caller's keys (an administrator: anyone's); it stops working at once."""
        async with self.db.write() as conn:
            row = (await conn.execute(sa.select(_K).where(_K.c.id == key_id))).first()
            if row is None or (row.user_id != ctx.actor.id and not ctx.actor.is_admin):
                raise NotFound(f"API key {key_id} does not exist")
            if row.revoked:
                return
            await conn.execute(_K.update().where(_K.c.id == key_id).values(revoked=True))
            revoked: dict[str, JSONValue] = {"name": row.name, "role": row.role, "user_id": row.user_id}
            await audit.record(conn, ctx, audit.Entry("api_key.revoke", record_id=key_id, detail=revoked))
        self.cache.drop_user(row.user_id)
