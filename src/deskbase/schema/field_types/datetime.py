"""Date and time field types, and the `created_at` / `updated_at` timestamps the server fills.

Instants are stored in UTC and returned as ISO 8601 with an offset ("…T08:00:00+00:00").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, GeneratedValue, NoOptions
from deskbase.schema.field_types.sqltypes import UTCDateTime

if TYPE_CHECKING:
    from deskbase.kernel.context import RequestContext

__all__ = [
    "CreatedAtFieldType",
    "DateFieldType",
    "DateTimeFieldType",
    "TimeFieldType",
    "UpdatedAtFieldType",
]

# fromisoformat() alone also takes "20261123" and date-only datetimes; the API is stricter.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}.*")
_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")


def _iso_text(value: JSONValue, pattern: re.Pattern[str], example: str) -> str:
    if not isinstance(value, str):
        raise FieldValueError(f"must be a string like {example}", "type")
    if not pattern.fullmatch(value.strip()):
        raise FieldValueError(f"must look like {example}", "invalid_format")
    return value.strip()


class DateFieldType(FieldType[NoOptions]):
    key = "date"
    value_kind = "date"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.Date()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        text = _iso_text(value, _DATE, "2026-11-23")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise FieldValueError("not a valid date", "invalid_format") from None

    def to_api(self, value: object, options: NoOptions) -> JSONValue:
        return value.isoformat() if isinstance(value, date) else None

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


class DateTimeFieldType(FieldType[NoOptions]):
    key = "datetime"
    value_kind = "datetime"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return UTCDateTime()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        text = _iso_text(value, _DATETIME, "2026-11-23T08:00:00Z")
        try:
            instant = datetime.fromisoformat(text)
        except ValueError:
            raise FieldValueError("not a valid date and time", "invalid_format") from None
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        try:
            return instant.astimezone(UTC)
        except OverflowError:
            raise FieldValueError("out of the supported range of dates", "out_of_range") from None

    def to_api(self, value: object, options: NoOptions) -> JSONValue:
        if not isinstance(value, datetime):
            return None
        if value.tzinfo is UTC:  # as UTCDateTime reads it
            return value.isoformat()
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        return aware.astimezone(UTC).isoformat()

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "format": "date-time"}


class TimeFieldType(FieldType[NoOptions]):
    """A wall-clock time of day, without a date or time zone."""

    key = "time"
    value_kind = "time"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.Time()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        text = _iso_text(value, _TIME, "08:30 or 08:30:15")
        try:
            return time.fromisoformat(text)
        except ValueError:
            raise FieldValueError("not a valid time", "invalid_format") from None

    def to_api(self, value: object, options: NoOptions) -> JSONValue:
        return value.isoformat(timespec="seconds") if isinstance(value, time) else None

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "format": "time"}


class CreatedAtFieldType(DateTimeFieldType, GeneratedValue):
    """When the record was created; set once by the server."""

    key = "created_at"
    writable = False

    def generate(self, ctx: RequestContext) -> object:
        return ctx.now


class UpdatedAtFieldType(DateTimeFieldType, GeneratedValue):
    """When the record was last changed; set by the server on every write."""

    key = "updated_at"
    writable = False
    on_update = True

    def generate(self, ctx: RequestContext) -> object:
        return ctx.now
