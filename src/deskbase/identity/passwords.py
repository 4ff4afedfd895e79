"""Password hashing (argon2id, run off the event loop) and the password policy."""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from deskbase.kernel.errors import FieldError

__all__ = ["Passwords"]

# An email's name part shorter than this does not count as "contained" in a password.
_MIN_LOCAL_PART = 3


class Passwords:
    """Hashes and checks passwords; `problems` applies the policy.

    Hashing and verifying run in worker threads: argon2 releases the GIL, so a sign-in does not
    stall the other requests for the tens of milliseconds it costs.
    """

    def __init__(self, *, memory_kib: int, time_cost: int, parallelism: int, min_length: int) -> None:
        self.hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        self.min_length = min_length
        # Checked for unknown emails too, so that a sign-in takes as long either way.
        self._dummy_hash = self.hasher.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self.hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if `password` matches; a missing hash costs the same time and is False."""
        try:
            await asyncio.to_thread(self.hasher.verify, password_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    def needs_rehash(self, password_hash: str) -> bool:
        """True for hashes made with other parameters (older defaults): rehash them at sign-in."""
        try:
            return self.hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def problems(self, password: str, email: str, path: str = "password") -> list[FieldError]:
        """What the policy finds wrong with `password` for the user `email` (empty when it is fine)."""
        errors = []
        if len(password) < self.min_length:
            errors.append(FieldError(path, f"at least {self.min_length} characters", "too_short"))
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            errors.append(FieldError(path, "must contain a letter and a digit", "too_weak"))
        local = email.partition("@")[0].lower()
        if len(local) >= _MIN_LOCAL_PART and local in password.lower():
            errors.append(FieldError(path, "must not contain the email's name", "contains_email"))
        return errors
