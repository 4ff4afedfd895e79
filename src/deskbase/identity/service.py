"""IdentityService: users, argon2 password hashes, and bearer-token sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError

from deskbase.kernel import tables as t
from deskbase.kernel.context import Actor
from deskbase.kernel.db import Database
from deskbase.kernel.errors import AlreadyExists, FieldError, Unauthenticated, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["IdentityService", "User"]

MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    name: str
    is_admin: bool
    active: bool

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "is_admin": self.is_admin,
            "active": self.active,
        }


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class IdentityService:
    def __init__(self, db: Database, session_ttl: timedelta) -> None:
        self.db = db
        self.session_ttl = session_ttl
        self.hasher = PasswordHasher()
        # Checked against unknown emails too, so that sign-in takes as long either way.
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    async def count_users(self) -> int:
        async with self.db.read() as conn:
            return int((await conn.execute(sa.select(sa.func.count()).select_from(t.users))).scalar_one())

    async def create_user(self, email: str, password: str, name: str = "", *, is_admin: bool = False) -> User:
        errors = []
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors.append(FieldError("email", str(exc), "invalid_format"))
        if len(password) < MIN_PASSWORD:
            errors.append(FieldError("password", f"at least {MIN_PASSWORD} characters", "too_short"))
        if errors:
            raise ValidationFailed("Invalid user", errors=errors)
        values = {
            "email": email.lower(),
            "name": name or email.split("@")[0],
            "password_hash": self.hasher.hash(password),
            "is_admin": is_admin,
            "active": True,
            "created_at": datetime.now(UTC),
        }
        try:
            async with self.db.write() as conn:
                new_id = (
                    await conn.execute(t.users.insert().values(**values).returning(t.users.c.id))
                ).scalar_one()
        except IntegrityError:
            raise AlreadyExists(
                f"A user with email {values['email']!r} exists",
                errors=[FieldError("email", "already taken", "duplicate")],
            ) from None
        return User(new_id, str(values["email"]), str(values["name"]), is_admin, True)

    async def list_users(self) -> list[User]:
        async with self.db.read() as conn:
            rows = await conn.execute(sa.select(t.users).order_by(t.users.c.id))
            return [User(r.id, r.email, r.name, r.is_admin, r.active) for r in rows]

    async def login(self, email: str, password: str) -> tuple[str, User]:
        async with self.db.read() as conn:
            row = (
                await conn.execute(sa.select(t.users).where(t.users.c.email == email.strip().lower()))
            ).first()
        try:
            self.hasher.verify(row.password_hash if row else self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            row = None
        if row is None or not row.active:
            raise Unauthenticated("Wrong email or password")
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        async with self.db.write() as conn:
            await conn.execute(
                t.sessions.insert().values(
                    token_hash=_hash_token(token),
                    user_id=row.id,
                    created_at=now,
                    expires_at=now + self.session_ttl,
                )
            )
        return token, User(row.id, row.email, row.name, row.is_admin, row.active)

    async def logout(self, token: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                t.sessions.update().where(t.sessions.c.token_hash == _hash_token(token)).values(revoked=True)
            )

    async def authenticate(self, token: str) -> Actor:
        """The actor behind a bearer token; Unauthenticated if it is unknown, expired or revoked."""
        query = (
            sa.select(
                t.users.c.id,
                t.users.c.email,
                t.users.c.name,
                t.sessions.c.expires_at,
                t.sessions.c.revoked,
            )
            .join(t.sessions, t.sessions.c.user_id == t.users.c.id)
            .where(t.sessions.c.token_hash == _hash_token(token), t.users.c.active.is_(True))
        )
        async with self.db.read() as conn:
            row = (await conn.execute(query)).first()
        if row is None or row.revoked or _aware(row.expires_at) <= datetime.now(UTC):
            raise Unauthenticated("The session has expired or is not valid; sign in again")
        # Roles come later: every signed-in user is an admin for now.
        return Actor(id=row.id, email=row.email, name=row.name, is_admin=True)
