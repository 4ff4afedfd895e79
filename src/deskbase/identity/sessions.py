"""SessionService: password sign-in (throttled), sign-out and password changes."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.actors import API_KEY_PREFIX, hash_token
from deskbase.identity.cache import ActorCache
from deskbase.identity.checks import invalid, normalize_email
from deskbase.identity.passwords import Passwords
from deskbase.identity.payloads import PasswordChange
from deskbase.identity.throttle import LoginThrottle
from deskbase.kernel import audit
from deskbase.kernel import tables as t
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import BadRequest, FieldError, PermissionDenied, Unauthenticated, ValidationFailed

__all__ = ["SessionService", "end_sessions", "new_session_token"]

_U, _S = t.users, t.sessions
_WRONG = "Wrong email or password"


def new_session_token() -> str:
    """A random token that never looks like an API key."""
    while True:
        token = secrets.token_urlsafe(32)
        if not token.startswith(API_KEY_PREFIX):
            return token


async def end_sessions(conn: AsyncConnection, user_id: int, *, keep: str | None = None) -> None:
    """Revoke every open session of the user, except the one whose token hash is `keep`."""
    query = _S.update().where(_S.c.user_id == user_id, _S.c.revoked.is_(False))
    if keep is not None:
        query = query.where(_S.c.token_hash != keep)
    await conn.execute(query.values(revoked=True))


class SessionService:
    def __init__(
        self,
        db: Database,
        cache: ActorCache,
        passwords: Passwords,
        throttle: LoginThrottle,
        ttl: timedelta,
    ) -> None:
        self.db = db
        self.cache = cache
        self.passwords = passwords
        self.throttle = throttle
        self.ttl = ttl

    async def login(self, email: str, password: str, *, address: str, source: str) -> tuple[str, int]:
        """A new session token and the user's id; Unauthenticated on a wrong email or
        password, TooManyRequests after too many of those (no password is checked then)."""
        email = normalize_email(email)
        now = datetime.now(UTC)
        async with self.db.read() as conn:
            await self.throttle.check(conn, email, address, now)
            row = (
                await conn.execute(
                    sa.select(_U.c.id, _U.c.email, _U.c.password_hash, _U.c.active).where(_U.c.email == email)
                )
            ).first()
        ok = await self.passwords.verify(row.password_hash if row else None, password)
        if row is None or not ok or not row.active:
            nobody = RequestContext(actor=Actor(id=None), source=source)
            async with self.db.write() as conn:
                await self.throttle.record_failure(conn, email, address, now)
                await audit.record(
                    conn,
                    nobody,
                    audit.Entry("auth.login_failed", detail={"email": email, "address": address}),
                )
            raise Unauthenticated(_WRONG)
        token = new_session_token()
        rehashed = (
            await self.passwords.hash(password) if self.passwords.needs_rehash(row.password_hash) else None
        )
        ctx = RequestContext(actor=Actor(id=row.id, email=row.email), source=source)
        async with self.db.write() as conn:
            await conn.execute(
                _S.insert().values(
                    token_hash=hash_token(token), user_id=row.id, created_at=now, expires_at=now + self.ttl
                )
            )
            await self.throttle.clear(conn, email)
            if rehashed is not None:  # made with older, costlier parameters
                await conn.execute(_U.update().where(_U.c.id == row.id).values(password_hash=rehashed))
            await audit.record(conn, ctx, audit.Entry("auth.login", detail={"address": address}))
        return token, int(row.id)

    async def logout(self, ctx: RequestContext, token: str) -> None:
        if ctx.actor.api_key_id is not None:
            raise BadRequest("An API key has no session; revoke it with DELETE /api/api-keys/{id}")
        async with self.db.write() as conn:
            await conn.execute(_S.update().where(_S.c.token_hash == hash_token(token)).values(revoked=True))
            await audit.record(conn, ctx, audit.Entry("auth.logout"))
        self.cache.drop_token(token)

    async def change_password(
        self, ctx: RequestContext, token: str, body: PasswordChange, *, address: str
    ) -> None:
        """The signed-in user's own password; their other sessions end. A wrong current
        password counts as a failed sign-in."""
        user_id = ctx.actor.id
        if user_id is None or ctx.actor.api_key_id is not None:
            raise PermissionDenied("Sign in with your password to change it")
        now = datetime.now(UTC)
        async with self.db.read() as conn:
            row = (
                await conn.execute(sa.select(_U.c.email, _U.c.password_hash).where(_U.c.id == user_id))
            ).one()
            await self.throttle.check(conn, row.email, address, now)
        if not await self.passwords.verify(row.password_hash, body.current_password):
            async with self.db.write() as conn:
                await self.throttle.record_failure(conn, row.email, address, now)
            raise ValidationFailed(
                "The current password is wrong",
                errors=[FieldError("current_password", "wrong password", "wrong_password")],
            )
        errors = self.passwords.problems(body.new_password, row.email, "new_password")
        if body.new_password == body.current_password:
            errors.append(FieldError("new_password", "must differ from the current one", "unchanged"))
        if errors:
            raise invalid(errors)
        new_hash = await self.passwords.hash(body.new_password)
        async with self.db.write() as conn:
            await conn.execute(_U.update().where(_U.c.id == user_id).values(password_hash=new_hash))
            await end_sessions(conn, user_id, keep=hash_token(token))
            await audit.record(
                conn,
                ctx,
                audit.Entry("user.update", record_id=user_id, detail={"password": "changed by the user"}),
            )
        self.cache.drop_user(user_id)
