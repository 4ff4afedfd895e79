"""What the identity services hand out: users, roles, departments and API keys, with their JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from deskbase.kernel.clock import aware
from deskbase.kernel.types import JSONValue

__all__ = ["BUILTIN_ROLES", "MEMBER_ROLE", "ApiKey", "Department", "DepartmentRef", "Role", "User", "aware"]

MEMBER_ROLE = "member"
# Seeded by migration 0004; they can be edited but never deleted.
BUILTIN_ROLES = frozenset({"admin", MEMBER_ROLE})


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
            "created_at": _iso(self.created_at),
        }


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
