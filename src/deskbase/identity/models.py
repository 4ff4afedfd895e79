"""What the identity services hand out: users, roles, departments and API keys, with their JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from deskbase.kernel.clock import aware
from deskbase.kernel.types import JSONValue

__all__ = [
    "BUILTIN_ROLES",
    "LOCALES",
    "MEMBER_ROLE",
    "THEMES",
    "ApiKey",
    "Department",
    "DepartmentRef",
    "Role",
    "User",
    "UserPage",
    "UserRef",
    "aware",
]

MEMBER_ROLE = "member"
# Seeded by migration 0004; they can be edited but never deleted.
BUILTIN_ROLES = frozenset({"admin", MEMBER_ROLE})
# The values of a user's preferences (null: the browser's language, the system's theme).
LOCALES = ("zh-CN", "en-US")
THEMES = ("light", "dark")


def _iso(value: datetime | None) -> str | None:
    return aware(value).isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class DepartmentRef:
    id: int
    name: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    name: str
    phone: str | None
    avatar: str | None
    active: bool
    roles: tuple[str, ...]  # the default role first
    default_role: str | None
    departments: tuple[DepartmentRef, ...]
    created_at: datetime
    locale: str | None = None
    theme: str | None = None

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "id": self.id,
            "email": self.email,
            "name": self.name,
            "phone": self.phone,
            "avatar": self.avatar,
            "active": self.active,
            "roles": list(self.roles),
            "default_role": self.default_role,
            "departments": [d.to_json() for d in self.departments],
            "locale": self.locale,
            "theme": self.theme,
            "created_at": _iso(self.created_at),
        }


@dataclass(frozen=True, slots=True)
class UserRef:
    """What anyone signed in may know of a user: enough to show them in a record or a picker."""

    id: int
    name: str
    avatar: str | None

    def to_json(self) -> dict[str, JSONValue]:
        return {"id": self.id, "name": self.name, "avatar": self.avatar}


@dataclass(frozen=True, slots=True)
class UserPage:
    """One page of `GET /api/users`; `counts` holds the facets asked for (role → n, …)."""

    users: list[User]
    page: int
    page_size: int
    total: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, JSONValue]:
        meta: dict[str, JSONValue] = {
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
            "has_more": self.page * self.page_size < self.total,
        }
        if self.counts:
            meta["counts"] = {k: dict(v) for k, v in self.counts.items()}
        return {"data": [u.to_json() for u in self.users], "meta": meta}


@dataclass(frozen=True, slots=True)
class Role:
    name: str
    title: str
    description: str | None
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "builtin": self.name in BUILTIN_ROLES,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
        }


@dataclass(slots=True)
class Department:
    id: int
    name: str
    parent_id: int | None
    position: int
    children: list[Department] = field(default_factory=list)

    def to_json(self, *, tree: bool = True) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {
            "id": self.id,
            "name": self.name,
            "parent_id": self.parent_id,
            "position": self.position,
        }
        if tree:
            out["children"] = [c.to_json() for c in self.children]
        return out


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    user_id: int
    role: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool

    def to_json(self) -> dict[str, JSONValue]:
        return {
            "id": self.id,
            "name": self.name,
            "user_id": self.user_id,
            "role": self.role,
            "prefix": self.prefix,
            "created_at": _iso(self.created_at),
            "expires_at": _iso(self.expires_at),
            "last_used_at": _iso(self.last_used_at),
            "revoked": self.revoked,
        }
