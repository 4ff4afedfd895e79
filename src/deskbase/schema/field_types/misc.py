"""The `json` field type: any JSON document, stored as JSONB on PostgreSQL."""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, NoOptions
from deskbase.schema.field_types.sqltypes import JSONValueType

__all__ = ["JsonFieldType"]

_MAX_DEPTH = 64


def _check_json(value: object, depth: int = 0) -> None:
    """Reject what JSON cannot carry (NaN, non-string keys, other Python objects)."""
    if depth > _MAX_DEPTH:
        raise FieldValueError(f"nested deeper than {_MAX_DEPTH} levels", "out_of_range")
    if isinstance(value, str):
        if "\x00" in value:  # JSONB cannot hold NUL; refuse it on SQLite too
            raise FieldValueError("strings must not contain NUL characters", "invalid_format")
        return
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise FieldValueError("numbers must be finite", "type")
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth + 1)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise FieldValueError("object keys must be strings", "type")
            _check_json(key, depth + 1)
            _check_json(item, depth + 1)
    else:
        raise FieldValueError("must be a JSON value", "type")


class JsonFieldType(FieldType[NoOptions]):
    key = "json"
    value_kind = "json"
    Options = NoOptions
    sortable = False
    can_be_unique = False

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return JSONValueType()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        _check_json(value)
        return value
