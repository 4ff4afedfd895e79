"""Identity: users, roles, departments, sessions, API keys, the password policy and throttling."""

from __future__ import annotations

from deskbase.identity.models import ApiKey, Department, DepartmentRef, Role, User
from deskbase.identity.service import IdentityService

__all__ = ["ApiKey", "Department", "DepartmentRef", "IdentityService", "Role", "User"]
