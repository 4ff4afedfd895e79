"""Number field types: integers and exact decimals (plain, percent and currency amounts).

Decimal values travel through the API as strings ("12.50") so that exactness survives JSON.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, TypeVar

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, model_validator

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, NoOptions
from deskbase.schema.field_types.sqltypes import ExactDecimal, to_decimal

__all__ = [
    "CurrencyFieldType",
    "CurrencyOptions",
    "DecimalFieldType",
    "DecimalOptions",
    "IntegerFieldType",
    "PercentFieldType",
    "PercentOptions",
]

_INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]+")


class IntegerFieldType(FieldType[NoOptions]):
    key = "integer"
    value_kind = "number"
    Options = NoOptions

    def column_type(self, options: NoOptions) -> sa.types.TypeEngine[Any]:
        return sa.BigInteger()

    def to_db(self, value: JSONValue, options: NoOptions) -> object:
        if isinstance(value, str):
            if not _INTEGER.fullmatch(value.strip()):
                raise FieldValueError("must be an integer", "invalid_format")
            number = int(value.strip())
        elif isinstance(value, float) and not isinstance(value, bool) and value.is_integer():
            number = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            raise FieldValueError("must be an integer", "type")
        if not -_INT64_MAX <= number <= _INT64_MAX:
            raise FieldValueError("integer out of range", "out_of_range")
        return number

    def json_schema(self, options: NoOptions) -> dict[str, Any]:
        return {"type": "integer", "minimum": -_INT64_MAX, "maximum": _INT64_MAX}


class DecimalOptions(BaseModel):
    """`precision` significant digits, `scale` of them after the point (at most 18 in all,
    so SQLite can store the value as a scaled 64-bit integer)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    precision: int = Field(12, ge=1, le=18)
    scale: int = Field(2, ge=0, le=18)

    @model_validator(mode="after")
    def _scale_within_precision(self) -> DecimalOptions:
        if self.scale > self.precision:
            raise ValueError("scale must not exceed precision")
        return self


class PercentOptions(DecimalOptions):
    precision: int = Field(9, ge=1, le=18)
    scale: int = Field(4, ge=0, le=18)


class CurrencyOptions(DecimalOptions):
    currency: str = Field("CNY", pattern=r"^[A-Z]{3}$", description="ISO 4217 code")


D = TypeVar("D", bound=DecimalOptions)


class _ExactNumberFieldType(FieldType[D]):
    """Shared by the decimal-based types; subclasses set `key` and `Options`."""

    value_kind = "number"

    def column_type(self, options: D) -> sa.types.TypeEngine[Any]:
        return ExactDecimal(options.precision, options.scale)

    def to_db(self, value: JSONValue, options: D) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise FieldValueError("must be a number or a numeric string", "type")
        try:
            number = to_decimal(value)
        except ValueError:
            raise FieldValueError("must be a number", "invalid_format") from None
        digits = options.precision - options.scale
        # The magnitude is checked before rounding: quantizing a huge number raises.
        if number.is_zero() or number.adjusted() < digits:
            exact = _quantize(number, options.scale)
            if abs(exact) < Decimal(10) ** digits:
                return exact
        raise FieldValueError(f"at most {digits} digits before the point", "out_of_range")

    def to_api(self, value: object, options: D) -> JSONValue:
        if value is None:
            return None
        if type(value) is Decimal and value and value.as_tuple().exponent == -options.scale:
            return format(value, "f")  # as ExactDecimal reads it
        return format(_quantize(to_decimal(value), options.scale), "f")

    def json_schema(self, options: D) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}


def _quantize(number: Decimal, scale: int) -> Decimal:
    exact = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_EVEN)
    return exact.copy_abs() if exact.is_zero() else exact  # never "-0.00"


class DecimalFieldType(_ExactNumberFieldType[DecimalOptions]):
    key = "decimal"
    Options = DecimalOptions


class PercentFieldType(_ExactNumberFieldType[PercentOptions]):
    """A ratio stored as a fraction: 0.25 means 25 %; the UI multiplies for display."""

    key = "percent"
    Options = PercentOptions


class CurrencyFieldType(_ExactNumberFieldType[CurrencyOptions]):
    """An amount in the field's `currency`; the value itself is a plain decimal."""

    key = "currency"
    Options = CurrencyOptions
