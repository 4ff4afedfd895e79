"""The boolean field type: JSON `true` or `false`, nothing truthy."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, NoOptions

__all__ = ["BooleanFieldType"]


class BooleanFieldType(FieldType[NoOptions]):
    key = "boolean"
    value_kind = "bool"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.Boolean()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        if not isinstance(value, bool):
            raise FieldValueError("must be true or false", "type")
        return value

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "boolean"}
