"""Text field types: plain and long text, sanitized rich text, e-mail, phone and URL."""

from __future__ import annotations

import re
from typing import Any

import nh3
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, NoOptions

__all__ = [
    "EmailFieldType",
    "PhoneFieldType",
    "RichTextFieldType",
    "StringFieldType",
    "StringOptions",
    "TextFieldType",
    "UrlFieldType",
]


def _text(value: JSONValue) -> str:
    if not isinstance(value, str):
        raise FieldValueError("must be a string", "type")
    if "\x00" in value:  # PostgreSQL text cannot hold NUL; refuse it on SQLite too
        raise FieldValueError("must not contain NUL characters", "invalid_format")
    return value


def _at_most(value: str, limit: int) -> str:
    if len(value) > limit:
        raise FieldValueError(f"at most {limit} characters", "too_long")
    return value


class StringOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_length: int = Field(255, ge=1, le=10000)


class StringFieldType(FieldType[StringOptions]):
    key = "string"
    searchable = True
    value_kind = "text"
    Options = StringOptions

    def column_type(self, options: StringOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(options.max_length)

    def to_db(self, value: JSONValue, options: StringOptions) -> object:
        return _at_most(_text(value), options.max_length)

    def json_schema(self, options: StringOptions) -> dict[str, Any]:
        return {"type": "string", "maxLength": options.max_length}


class TextFieldType(FieldType[NoOptions]):
    key = "text"
    searchable = True
    value_kind = "text"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.Text()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        return _text(value)

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string"}


# What an editor produces: formatting, headings, lists, links, images and tables. Scripts,
# styles, event handlers and `javascript:` URLs never survive.
_RICH_TEXT_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "del", "div", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "s", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_RICH_TEXT_CLEANER = nh3.Cleaner(
    tags=_RICH_TEXT_TAGS,
    attributes={
        "a": {"href", "title", "target"},
        "img": {"src", "alt", "title", "width", "height"},
        "td": {"colspan", "rowspan"},
        "th": {"colspan", "rowspan", "scope"},
        "ol": {"start"},
    },
    url_schemes={"http", "https", "mailto", "tel"},
)


class RichTextFieldType(FieldType[NoOptions]):
    key = "rich_text"
    searchable = True
    value_kind = "text"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.Text()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        cleaned: str = _RICH_TEXT_CLEANER.clean(_text(value))
        return cleaned

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "contentMediaType": "text/html"}


class EmailFieldType(FieldType[NoOptions]):
    key = "email"
    searchable = True
    value_kind = "text"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(254)

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        try:
            result = validate_email(_text(value).strip(), check_deliverability=False)
        except EmailNotValidError:
            raise FieldValueError("not a valid e-mail address", "invalid_format") from None
        return _at_most(result.normalized, 254)

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "format": "email"}


_PHONE = re.compile(r"[0-9 +\-()]{5,32}")


class PhoneFieldType(FieldType[NoOptions]):
    key = "phone"
    searchable = True
    value_kind = "text"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(32)

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        phone = _text(value).strip()
        if not _PHONE.fullmatch(phone) or not any(c.isdigit() for c in phone):
            raise FieldValueError("5 to 32 digits, spaces and + - ( ) characters", "invalid_format")
        return phone

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "pattern": _PHONE.pattern}


_HTTP_URL: TypeAdapter[AnyHttpUrl] = TypeAdapter(AnyHttpUrl)
_URL_MAX = 2048


class UrlFieldType(FieldType[NoOptions]):
    key = "url"
    searchable = True
    value_kind = "text"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(_URL_MAX)

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        url = _at_most(_text(value).strip(), _URL_MAX)
        try:
            _HTTP_URL.validate_python(url)
        except ValidationError:
            raise FieldValueError("must be an http or https URL", "invalid_format") from None
        # Stored as given: pydantic's normal form (a trailing "/" added) would surprise users.
        return url

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "string", "format": "uri", "maxLength": _URL_MAX}
