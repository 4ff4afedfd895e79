"""Checks shared by the identity services: who may manage, and the values users are made of."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from deskbase.kernel.context import RequestContext
from deskbase.kernel.errors import FieldError, InvalidName, PermissionDenied, ValidationFailed

__all__ = [
    "check_avatar",
    "check_email",
    "check_phone",
    "check_role_name",
    "invalid",
    "normalize_email",
    "require_admin",
]

MAX_ROLE_NAME = 64
_ROLE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{2,38}$")


def invalid(errors: list[FieldError]) -> ValidationFailed:
    """A 422 whose detail lists the problems: `password: at least 8 characters; …`."""
    return ValidationFailed("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)


def require_admin(ctx: RequestContext, what: str) -> None:
    if not ctx.actor.is_admin:
        raise PermissionDenied(f"Only an administrator may {what}")


def normalize_email(value: str) -> str:
    """The form emails are stored and looked up in: trimmed and lower case."""
    return value.strip().lower()


def check_email(value: str, errors: list[FieldError]) -> str:
    try:
        return normalize_email(validate_email(value.strip(), check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        errors.append(FieldError("email", str(exc), "invalid_format"))
        return value


def check_phone(value: str | None, errors: list[FieldError]) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not _PHONE.match(value):
        errors.append(FieldError("phone", "digits, spaces, + ( ) - . / only", "invalid_format"))
    return value


def check_avatar(value: str | None, errors: list[FieldError]) -> str | None:
    """An image URL (http or https) or an uploaded attachment's path."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not value.startswith(("https://", "http://", "/api/attachments/")):
        errors.append(FieldError("avatar", "an http(s) URL or /api/attachments/{id}", "invalid_format"))
    return value


def check_role_name(name: str) -> str:
    """Role names are lower-case identifiers, like collection and field names; else 400."""
    problem = None
    if not name:
        problem = "a name is required"
    elif len(name) > MAX_ROLE_NAME:
        problem = f"at most {MAX_ROLE_NAME} characters"
    elif not _ROLE_NAME.match(name):
        problem = "use lower-case letters, digits and _ and start with a letter"
    elif "__" in name or name.endswith("_"):
        problem = "no double or trailing underscores"
    if problem:
        raise InvalidName(
            f"Role name {name!r} is not allowed: {problem}",
            errors=[FieldError("name", problem, "invalid_name")],
        )
    return name
