"""Roles' permissions and their enforcement in SQL: rules, the Guard, the permission store."""

from deskbase.data.access.guard import Grant, Guard, Reading
from deskbase.data.access.rules import ACTIONS, Permissions, Rule, parse_permissions, permissions_to_json

__all__ = [
    "ACTIONS",
    "Grant",
    "Guard",
    "Permissions",
    "Reading",
    "Rule",
    "parse_permissions",
    "permissions_to_json",
]
