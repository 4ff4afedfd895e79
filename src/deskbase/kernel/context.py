"""The request context passed explicitly to every service call (no ambient globals)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from deskbase.kernel.errors import PermissionDenied
from deskbase.kernel.types import JSONValue

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["ADMIN_ROLE", "Actor", "RequestContext", "require_admin"]


ADMIN_ROLE = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a signed-in user (or an API key acting as one), or the system (`id` None).

    `roles` are the roles in force (an API key has exactly its own); `department_ids` are
    the user's own departments, `department_scope_ids` those and every department below
    them (what an "own department" scope reaches).
    """

    id: int | None
    email: str = ""
    name: str = ""
    roles: tuple[str, ...] = ()
    department_ids: tuple[int, ...] = ()
    department_scope_ids: tuple[int, ...] = ()
    api_key_id: int | None = None
    as_role: bool = False  # no user: a workflow acting with `roles` only (not as the system)

    @property
    def is_admin(self) -> bool:
        return (self.id is None and not self.as_role) or ADMIN_ROLE in self.roles

    @classmethod
    def role(cls, role: str) -> Actor:
        """A workflow running as `role`: that role's permissions, and no user of its own."""
        return cls(id=None, name=f"workflow as {role}", roles=(role,), as_role=True)

    @classmethod
    def system(cls) -> Actor:
        return cls(id=None, name="system", roles=(ADMIN_ROLE,))


@dataclass(frozen=True, slots=True)
class RequestContext:
    """Who acts, from where, and when. `depth` counts workflows started by workflows;
    `in_transaction`, when set, runs inside a write's transaction just before it commits
    (a workflow records its node's result atomically with the node's write)."""

    actor: Actor
    source: str = "api"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    depth: int = 0
    in_transaction: Callable[[AsyncConnection], Awaitable[None]] | None = None

    def variables(self) -> dict[str, JSONValue]:
        """Values that filters may name as `{{currentUser.id}}`, `{{now}}`."""
        return {
            "currentUser": {
                "id": self.actor.id,
                "email": self.actor.email,
                "name": self.actor.name,
                "roles": list(self.actor.roles),
                "department_ids": list(self.actor.department_ids),
            },
            "now": self.now.isoformat(),
        }


def require_admin(ctx: RequestContext, what: str) -> None:
    """403 unless the actor is an administrator (or the system)."""
    if not ctx.actor.is_admin:
        raise PermissionDenied(f"Only administrators may {what}")
