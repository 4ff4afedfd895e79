"""Sign-in throttling: failed attempts per email and per client address, kept in the database
(`ds_login_failures`) so that every server process counts the same ones."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.identity.models import aware
from deskbase.kernel import tables as t
from deskbase.kernel.errors import TooManyRequests

__all__ = ["LoginThrottle"]

_F = t.login_failures


def _nth_latest(column: sa.Column[str], value: str, n: int, since: datetime) -> sa.Select[Any]:
    """The n-th most recent failure since `since`; it exists only when there are n or more."""
    return (
        sa.select(_F.c.at)
        .where(column == value, _F.c.at > since)
        .order_by(_F.c.at.desc())
        .limit(1)
        .offset(n - 1)
    )


class LoginThrottle:
    def __init__(self, *, per_email: int, per_address: int, window: timedelta) -> None:
        self.per_email = per_email
        self.per_address = per_address
        self.window = window

    async def check(self, conn: AsyncConnection, email: str, address: str, now: datetime) -> None:
        """Raise TooManyRequests while `email` or `address` has too many recent failures.

        Sign-in is possible again once enough of them have left the window: when the
        limit-th most recent one is `window` old, which is what Retry-After says.
        """
        since = now - self.window
        wait = 0.0
        for column, value, limit in (
            (_F.c.email, email, self.per_email),
            (_F.c.ip, address, self.per_address),
        ):
            at = (await conn.execute(_nth_latest(column, value, limit, since))).scalar()
            if at is not None:
                wait = max(wait, (aware(at) + self.window - now).total_seconds())
        if wait > 0:
            retry_after = max(1, math.ceil(wait))
            raise TooManyRequests(
                f"Too many failed sign-ins; try again in {retry_after} seconds", retry_after=retry_after
            )

    async def record_failure(self, conn: AsyncConnection, email: str, address: str, now: datetime) -> None:
        since = now - self.window
        # Old failures of this email and address are no longer counted: drop them as we go.
        await conn.execute(_F.delete().where(_F.c.email == email, _F.c.at <= since))
        await conn.execute(_F.delete().where(_F.c.ip == address, _F.c.at <= since))
        await conn.execute(_F.insert().values(email=email[:254], ip=address[:64], at=now))

    async def clear(self, conn: AsyncConnection, email: str) -> None:
        """A successful sign-in forgets the email's failures (not the address's)."""
        await conn.execute(_F.delete().where(_F.c.email == email))
