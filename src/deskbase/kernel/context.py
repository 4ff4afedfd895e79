"""The request context passed explicitly to every service call (no ambient globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from deskbase.kernel.types import JSONValue

__all__ = ["Actor", "RequestContext"]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a signed-in user, or the system itself (`id` None)."""

    id: int | None
    email: str = ""
    name: str = ""
    is_admin: bool = False

    @classmethod
    def system(cls) -> Actor:
        return cls(id=None, name="system", is_admin=True)


@dataclass(frozen=True, slots=True)
class RequestContext:
    actor: Actor
    source: str = "api"
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def variables(self) -> dict[str, JSONValue]:
        """Values that filters may name as `{{currentUser.id}}`, `{{now}}`."""
        return {
            "currentUser": {
                "id": self.actor.id,
                "email": self.actor.email,
                "name": self.actor.name,
            },
            "now": self.now.isoformat(),
        }
