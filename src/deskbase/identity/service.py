"""IdentityService: one entry point to users, roles, departments, sessions and API keys.

The parts live in their own modules and are reachable as attributes (`identity.users`,
`identity.roles`, `identity.departments`, `identity.api_keys`, `identity.sessions`); what a
request needs on every call (`authenticate`) and what other services need (the `invalidate_*`
methods, for a change that alters what a cached Actor carries) is here.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from deskbase.identity.actors import ActorResolver
from deskbase.identity.api_keys import ApiKeyService
from deskbase.identity.cache import ActorCache
from deskbase.identity.departments import DepartmentService
from deskbase.identity.models import User
from deskbase.identity.passwords import Passwords
from deskbase.identity.payloads import PreferencesPatch, UserIn
from deskbase.identity.roles import RoleService
from deskbase.identity.sessions import SessionService
from deskbase.identity.throttle import LoginThrottle
from deskbase.identity.users import UserService
from deskbase.kernel.changes import ACTORS
from deskbase.kernel.context import ADMIN_ROLE, Actor, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import Unauthenticated
from deskbase.kernel.settings import Settings
from deskbase.kernel.types import JSONValue

__all__ = ["IdentityService"]

log = logging.getLogger("deskbase.identity")


class IdentityService:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.cache = ActorCache(settings.auth_cache_seconds)
        self.cache.on_change = lambda: db.changes.announce(ACTORS)  # other processes forget theirs
        db.changes.subscribe(ACTORS, self._forget_actors)
        self.passwords = Passwords(
            memory_kib=settings.password_hash_memory_kib,
            time_cost=settings.password_hash_time_cost,
            parallelism=settings.password_hash_parallelism,
            min_length=settings.password_min_length,
        )
        throttle = LoginThrottle(
            per_email=settings.login_max_failures_per_email,
            per_address=settings.login_max_failures_per_address,
            window=timedelta(seconds=settings.login_failure_window_seconds),
        )
        self.resolver = ActorResolver(db, self.cache)
        self.sessions = SessionService(
            db, self.cache, self.passwords, throttle, timedelta(hours=settings.session_ttl_hours)
        )
        self.users = UserService(db, self.cache, self.passwords)
        self.roles = RoleService(db, self.cache)
        self.departments = DepartmentService(db, self.cache)
        self.api_keys = ApiKeyService(db, self.cache)

    async def authenticate(self, token: str) -> Actor:
        """The Actor behind a session token or an API key (cached for a few seconds)."""
        return await self.resolver.resolve(token)

    async def login(self, email: str, password: str, *, address: str, source: str) -> tuple[str, User]:
        token, user_id = await self.sessions.login(email, password, address=address, source=source)
        return token, await self.users.load_user(user_id)

    async def me(self, ctx: RequestContext) -> dict[str, JSONValue]:
        """The signed-in user as `GET /api/me` shows them; `roles` are the ones in force
        (an API key's: its role alone), `role_titles` their titles, and `locale` / `theme`
        their preferences."""
        if ctx.actor.id is None:
            raise Unauthenticated("The system has no user record")
        user = await self.users.load_user(ctx.actor.id)
        data = user.to_json()
        del data["created_at"]
        data["roles"] = list(ctx.actor.roles)
        titles = await self.roles.titles(ctx.actor.roles)
        role_titles: dict[str, JSONValue] = {r: titles.get(r, r) for r in ctx.actor.roles}
        data["role_titles"] = role_titles
        data["api_key"] = ctx.actor.api_key_id
        return data

    async def update_preferences(self, ctx: RequestContext, body: PreferencesPatch) -> dict[str, JSONValue]:
        """Change the signed-in user's preferences; answers `me` as it is now."""
        await self.users.update_preferences(ctx, body)
        return await self.me(ctx)

    async def ensure_first_admin(self, email: str, password: str) -> User | None:
        """Create the administrator from the settings when there are no users yet."""
        if await self.users.count_users():
            return None
        problems = self.passwords.problems(password, email)
        if problems:
            log.warning("DESKBASE_ADMIN_PASSWORD breaks the password policy: %s", problems[0].message)
        ctx = RequestContext(actor=Actor.system(), source="system")
        body = UserIn(email=email, password=password, name="Admin", roles=[ADMIN_ROLE])
        return await self.users.create_user(ctx, body, check_policy=False)

    def invalidate_user(self, user_id: int) -> None:
        """Forget the cached actors of one user (their roles or departments changed)."""
        self.cache.drop_user(user_id)

    def invalidate_role(self, role: str) -> None:
        """Forget the cached actors holding `role` (it changed or went away)."""
        self.cache.drop_role(role)

    def invalidate_all(self) -> None:
        self.cache.clear()

    async def _forget_actors(self) -> None:
        self.cache.clear(announce=False)

    async def close(self) -> None:
        """Finish background bookkeeping (API keys' last use); called when the App stops."""
        await self.resolver.close()
