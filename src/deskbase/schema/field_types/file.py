"""The attachment field type: files stored under the data dir, their metadata in the record."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType
from deskbase.schema.field_types.relation import relation_ids
from deskbase.schema.field_types.sqltypes import JSONValueType

__all__ = ["AttachmentFieldType", "AttachmentOptions"]


class AttachmentOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    max_files: int = Field(default=10, ge=1, le=100)
    accept: list[str] = Field(default_factory=list, description="MIME types or prefixes such as image/")


class AttachmentFieldType(FieldType[AttachmentOptions]):
    """Writes take attachment ids (from `POST /api/attachments`); the records service swaps
    them for `{id, filename, size, mime_type}` so that reads need no extra query."""

    key = "attachment"
    value_kind = "file"
    Options = AttachmentOptions
    sortable = False
    can_be_unique = False

    def column_type(self, options: AttachmentOptions) -> sa.types.TypeEngine[Any]:
        return JSONValueType()

    def to_db(self, value: JSONValue, options: AttachmentOptions) -> object:
        ids = relation_ids(value)
        if len(ids) > options.max_files:
            raise FieldValueError(f"at most {options.max_files} files", "too_many")
        return ids

    def accepts(self, mime_type: str, options: AttachmentOptions) -> bool:
        return not options.accept or any(
            mime_type == a or (a.endswith("/") and mime_type.startswith(a)) for a in options.accept
        )

    def to_api(self, value: object, options: AttachmentOptions) -> JSONValue:
        if not isinstance(value, list):
            return []
        return [{**item, "url": f"/api/attachments/{item['id']}"} for item in value if isinstance(item, dict)]

    def json_schema(self, options: AttachmentOptions) -> dict[str, Any]:
        return {"type": "array", "items": {"type": ["integer", "object"]}}
