"""The one exception hierarchy of Deskbase.

AppError
├── Unauthenticated (401)
├── PermissionDenied (403)
├── NotFound (404)
│   ├── CollectionNotFound
│   ├── FieldNotFound
│   ├── RecordNotFound
│   ├── IndexNotFound
│   └── JobNotFound
├── Conflict (409)
│   ├── AlreadyExists
│   ├── UniqueViolation
│   └── ReferencedRecord
├── PayloadTooLarge (413)
├── BadRequest (400)
│   ├── InvalidName
│   ├── InvalidJSON
│   ├── InvalidQuery
│   ├── InvalidCursor
│   ├── EmptyFilter
│   └── ExtensionWrite
├── ValidationFailed (422)
│   └── UnknownKey
└── DuplicateKey / RegistryFrozen (500: programming errors found at start-up)

`deskbase.api.problem` is the only place that turns these into HTTP responses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from deskbase.kernel.types import JSONValue

__all__ = [
    "AlreadyExists",
    "AppError",
    "BadRequest",
    "CollectionNotFound",
    "Conflict",
    "DuplicateKey",
    "EmptyFilter",
    "ExtensionWrite",
    "FieldError",
    "FieldForbidden",
    "FieldNotFound",
    "FieldValueError",
    "IndexNotFound",
    "InvalidCursor",
    "InvalidJSON",
    "InvalidName",
    "InvalidQuery",
    "JobNotFound",
    "NotFound",
    "PayloadTooLarge",
    "PermissionDenied",
    "RecordNotFound",
    "ReferencedRecord",
    "RegistryFrozen",
    "RoleNotFound",
    "TooManyRequests",
    "Unauthenticated",
    "UniqueViolation",
    "UnknownKey",
    "ValidationFailed",
]


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one input: `field` is a field name or a dotted path (`filter.status`),
    `index` the row of a bulk request it belongs to."""

    field: str
    message: str
    code: str = "invalid"
    index: int | None = None

    def to_json(self) -> dict[str, JSONValue]:
        out: dict[str, JSONValue] = {
            "field": self.field,
            "message": self.message,
            "code": self.code,
        }
        if self.index is not None:
            out["index"] = self.index
        return out


class FieldValueError(ValueError):
    """Raised by a field type when a value cannot be stored; the caller names the field."""

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class AppError(Exception):
    """Base of every error a request can meet; `code` is stable and documented."""

    code: ClassVar[str] = "internal_error"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"

    def __init__(
        self, detail: str | None = None, errors: list[FieldError] | None = None, **extra: JSONValue
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors: list[FieldError] = list(errors or [])
        self.extra = extra


class Unauthenticated(AppError):
    code, status, title = "unauthenticated", 401, "Sign-in required"


class PermissionDenied(AppError):
    code, status, title = "permission_denied", 403, "Permission denied"


class TooManyRequests(AppError):
    """Throttled (repeated failed sign-ins); `retry_after` is in seconds."""

    code, status, title = "too_many_requests", 429, "Too many requests"

    def __init__(self, detail: str, *, retry_after: int, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail, errors, retry_after=retry_after)
        self.retry_after = retry_after


class FieldForbidden(PermissionDenied):
    """A filter, sort, group or write names a field the caller's role may not use."""

    code = "field_forbidden"


class NotFound(AppError):
    code, status, title = "not_found", 404, "Not found"


class CollectionNotFound(NotFound):
    code = "collection_not_found"


class FieldNotFound(NotFound):
    code = "field_not_found"


class RecordNotFound(NotFound):
    code = "record_not_found"


class Conflict(AppError):
    code, status, title = "conflict", 409, "Conflict"


class AlreadyExists(Conflict):
    code = "already_exists"


class ReferencedRecord(Conflict):
    code = "record_referenced"


class PayloadTooLarge(AppError):
    code, status, title = "payload_too_large", 413, "Payload too large"


class BadRequest(AppError):
    code, status, title = "bad_request", 400, "Bad request"


class InvalidName(BadRequest):
    code = "invalid_name"


class InvalidQuery(BadRequest):
    code = "invalid_query"


class InvalidCursor(BadRequest):
    code = "invalid_cursor"


class InvalidJSON(BadRequest):
    code = "invalid_json"


class EmptyFilter(BadRequest):
    code = "empty_filter"


class ExtensionWrite(BadRequest):
    code = "extension_write"


class ValidationFailed(AppError):
    """Input that names known things but holds bad values; `errors` says which and why."""

    code, status, title = "validation_failed", 422, "Validation failed"


class UniqueViolation(Conflict):
    code = "unique_violation"


class UnknownKey(ValidationFailed):
    """A registry key (field type, operator, …) that nobody registered."""

    code = "unknown_key"

    def __init__(self, kind: str, key: str, path: str | None = None) -> None:
        super().__init__(
            f"Unknown {kind} {key!r}",
            errors=[FieldError(path or kind, f"unknown {kind} {key!r}", "unknown_key")],
        )
        self.kind = kind
        self.key = key


class DuplicateKey(AppError):
    code = "duplicate_key"


class RegistryFrozen(AppError):
    code = "registry_frozen"


class RoleNotFound(NotFound):
    code = "role_not_found"


class IndexNotFound(NotFound):
    code = "index_not_found"


class JobNotFound(NotFound):
    code = "job_not_found"
