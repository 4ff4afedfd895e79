"""The built-in field types; the App registers `builtin_field_types()` at start-up."""

from __future__ import annotations

from typing import Any

from deskbase.schema.field_types.base import FieldType
from deskbase.schema.field_types.boolean import BooleanFieldType
from deskbase.schema.field_types.choice import MultiSelectFieldType, SelectFieldType
from deskbase.schema.field_types.datetime import (
    CreatedAtFieldType,
    DateFieldType,
    DateTimeFieldType,
    TimeFieldType,
    UpdatedAtFieldType,
)
from deskbase.schema.field_types.file import AttachmentFieldType
from deskbase.schema.field_types.formula import FormulaFieldType
from deskbase.schema.field_types.misc import JsonFieldType
from deskbase.schema.field_types.number import (
    CurrencyFieldType,
    DecimalFieldType,
    IntegerFieldType,
    PercentFieldType,
)
from deskbase.schema.field_types.relation import (
    ManyToManyFieldType,
    ManyToOneFieldType,
    OneToManyFieldType,
)
from deskbase.schema.field_types.sequence import AutoNumberFieldType
from deskbase.schema.field_types.text import (
    EmailFieldType,
    PhoneFieldType,
    RichTextFieldType,
    StringFieldType,
    TextFieldType,
    UrlFieldType,
)
from deskbase.schema.field_types.user import CreatedByFieldType, UpdatedByFieldType

__all__ = ["builtin_field_types"]


def builtin_field_types() -> list[FieldType[Any]]:
    """One fresh instance of every built-in field type, in the order the UI lists them."""
    return [
        StringFieldType(),
        TextFieldType(),
        RichTextFieldType(),
        EmailFieldType(),
        PhoneFieldType(),
        UrlFieldType(),
        IntegerFieldType(),
        DecimalFieldType(),
        PercentFieldType(),
        CurrencyFieldType(),
        BooleanFieldType(),
        DateFieldType(),
        DateTimeFieldType(),
        TimeFieldType(),
        SelectFieldType(),
        MultiSelectFieldType(),
        JsonFieldType(),
        AutoNumberFieldType(),
        FormulaFieldType(),
        CreatedAtFieldType(),
        UpdatedAtFieldType(),
        CreatedByFieldType(),
        UpdatedByFieldType(),
        ManyToOneFieldType(),
        OneToManyFieldType(),
        ManyToManyFieldType(),
        AttachmentFieldType(),
    ]
