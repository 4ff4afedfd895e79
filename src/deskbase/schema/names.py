"""Names of collections and fields: lower snake_case identifiers, never SQL keywords."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy.dialects.postgresql.base import RESERVED_WORDS as PG_RESERVED
from sqlalchemy.dialects.sqlite.base import SQLiteIdentifierPreparer

from deskbase.kernel.errors import FieldError, InvalidName
from deskbase.kernel.tables import SYSTEM_PREFIX

__all__ = ["MAX_NAME", "SYSTEM_FIELDS", "check_name", "sql_name"]

MAX_NAME = 30
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED = frozenset(PG_RESERVED) | frozenset(SQLiteIdentifierPreparer.reserved_words)
# Present on every collection and filled by the server.
SYSTEM_FIELDS = ("id", "created_at", "updated_at", "created_by", "updated_by")
# Words the API uses beside field names in records and queries.
_API_WORDS = frozenset({"id", "meta", "data", "appends", "fields", "filter", "sort", "cursor"})


def check_name(name: object, what: str) -> str:
    """Return `name` if it is a valid collection/field name, else raise InvalidName (400)."""
    problem = _problem(name)
    if problem:
        raise InvalidName(
            f"{what.capitalize()} name {name!r} is not allowed: {problem}",
            errors=[FieldError("name", problem, "invalid_name")],
        )
    assert isinstance(name, str)
    return name


def _problem(name: object) -> str | None:
    if not isinstance(name, str) or not name:
        return "a name is required"
    if len(name) > MAX_NAME:
        return f"at most {MAX_NAME} characters"
    if not _NAME.match(name):
        return "use lower-case letters, digits and _ and start with a letter"
    if "__" in name or name.endswith("_"):
        return "no double or trailing underscores"
    if name.startswith(SYSTEM_PREFIX):
        return f"names starting with {SYSTEM_PREFIX!r} are reserved for the system"
    if name in _RESERVED:
        return f"{name!r} is an SQL reserved word"
    if name in _API_WORDS:
        return f"{name!r} is reserved by the API"
    return None


def sql_name(*parts: str, limit: int = 63) -> str:
    """An identifier built from parts, shortened with a hash to fit PostgreSQL's 63 bytes."""
    name = "_".join(parts)
    if len(name) <= limit:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    return f"{name[: limit - 9]}_{digest}"
