"""Request shapes of the identity API, validated by pydantic (the CLI builds them too)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ApiKeyIn",
    "DepartmentIn",
    "DepartmentPatch",
    "LoginIn",
    "PasswordChange",
    "PreferencesPatch",
    "RoleIn",
    "RolePatch",
    "UserIn",
    "UserPatch",
]


class LoginIn(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024)


class PreferencesPatch(BaseModel):
    """`PATCH /api/me`: only the members sent change; null goes back to the browser's choice."""

    model_config = ConfigDict(extra="forbid")
    locale: Literal["zh-CN", "en-US"] | None = None
    theme: Literal["light", "dark"] | None = None


class UserIn(BaseModel):
    """A new user; no `roles` means `member`, the first role is the default unless `default_role`."""

    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)
    name: str = Field(default="", max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    avatar: str | None = Field(default=None, max_length=500)
    roles: list[str] = Field(default_factory=list, max_length=50)
    default_role: str | None = None
    department: int | None = None
    departments: list[int] = Field(default_factory=list, max_length=200)
    active: bool = True


class UserPatch(BaseModel):
    """Only the members sent change; `phone` / `avatar` null clears them."""

    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    avatar: str | None = Field(default=None, max_length=500)
    roles: list[str] | None = Field(default=None, max_length=50)
    default_role: str | None = None
    department: int | None = None
    departments: list[int] | None = Field(default=None, max_length=200)
    active: bool | None = None
    password: str | None = Field(default=None, max_length=1024)


class RoleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200)
    title: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class RolePatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)


class DepartmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    parent_id: int | None = None
    position: int = 0


class DepartmentPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_id: int | None = None
    position: int | None = None


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(max_length=64)
    expires_at: datetime | None = None
