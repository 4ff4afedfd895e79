"""The `created_by` / `updated_by` field types: the id of the user who wrote the record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, GeneratedValue, NoOptions

if TYPE_CHECKING:
    from deskbase.kernel.context import RequestContext

__all__ = ["CreatedByFieldType", "UpdatedByFieldType"]


class _ActorFieldType(FieldType[NoOptions], GeneratedValue):
    """A user id filled from `ctx.actor` (None when the system itself writes)."""

    value_kind = "ref"
    Options = NoOptions
    writable = False

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.Integer()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise FieldValueError("must be a user id", "type")
        return value

    def generate(self, ctx: RequestContext) -> object:
        return ctx.actor.id

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1}


class CreatedByFieldType(_ActorFieldType):
    key = "created_by"


class UpdatedByFieldType(_ActorFieldType):
    key = "updated_by"
    on_update = True
