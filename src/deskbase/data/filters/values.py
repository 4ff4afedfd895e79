"""Filter values: variable substitution, relative dates and coercion by value kind."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from deskbase.data.filters.ast import filter_error
from deskbase.kernel.clock import aware
from deskbase.kernel.types import JSONValue, ValueKind

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ["MAX_ITEMS", "ValueContext", "substitute"]

MAX_ITEMS = 1000
_INT64 = 2**63
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}")
# ASCII digits only: Decimal() alone also takes "1_000", "NaN" and non-Latin digits.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_RELATIVE = re.compile(r"([+-]?)([0-9]{1,6})([hdwmy])")


def substitute(value: JSONValue, variables: Mapping[str, JSONValue], where: str) -> JSONValue:
    """Replace every string that is exactly `{{ dotted.path }}` by that variable's value."""
    if isinstance(value, list):
        return [substitute(item, variables, where) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, variables, where) for key, item in value.items()}
    if not (isinstance(value, str) and value.startswith("{{") and value.endswith("}}")):
        return value
    unknown = filter_error(where, f"unknown variable {value}", "unknown_variable")
    match = _VARIABLE.fullmatch(value)
    if match is None:
        raise unknown
    scope: Mapping[str, JSONValue] | None = variables
    found: JSONValue = None
    for part in match.group(1).split("."):
        if scope is None or part not in scope:
            raise unknown
        found = scope[part]
        scope = found if isinstance(found, dict) else None
    return found


@dataclass(frozen=True, slots=True)
class ValueContext:
    """Coerces the JSON values of one condition; `where` names it in errors (`filter.status`)."""

    kind: ValueKind
    now: datetime
    tz: ZoneInfo
    where: str

    def invalid(self, message: str) -> Exception:
        return filter_error(self.where, message, "invalid_value")

    def scalar(self, value: JSONValue) -> object:
        """One value of the kind: `int | Decimal`, `str`, `bool`, `date`, UTC `datetime`…"""
        if value is None:
            raise self.invalid("null is not a value to compare with; use $empty or $notEmpty")
        if isinstance(value, list):
            raise self.invalid("expected a single value, not a list")
        try:
            return _COERCE[self.kind](self, value)
        except (ValueError, ArithmeticError):  # ArithmeticError: decimal and date overflows
            raise self.invalid(f"{value!r} is not a valid {self.kind} value") from None

    def items(self, value: JSONValue) -> list[object]:
        """A non-empty list of at most MAX_ITEMS values, without duplicates."""
        if not isinstance(value, list) or not value:
            raise self.invalid("expected a non-empty list")
        if len(value) > MAX_ITEMS:
            raise self.invalid(f"at most {MAX_ITEMS} values")
        return list(dict.fromkeys(self.scalar(item) for item in value))

    def pair(self, value: JSONValue) -> tuple[object, object]:
        if not isinstance(value, list) or len(value) != 2:
            raise self.invalid("expected a list of two values [low, high]")
        return self.scalar(value[0]), self.scalar(value[1])

    def day(self, value: JSONValue) -> date:
        """A calendar day: `2024-05-01`, a datetime (its day in `tz`) or a relative date."""
        if not isinstance(value, str):
            raise self.invalid("expected a date such as 2024-05-01, today or -7d")
        try:
            return self.as_date(value)
        except (ValueError, ArithmeticError):
            raise self.invalid(f"{value!r} is not a valid date") from None

    def relative(self, text: str) -> datetime | None:
        """`now`, `today`, `yesterday`, `tomorrow` or `[+-]N(h|d|w|m|y)`, as a time in `tz`."""
        local = self.now.astimezone(self.tz)
        midnight = datetime.combine(local.date(), time(0), tzinfo=self.tz)
        named = {"now": local, "today": midnight}
        if text in named:
            return named[text]
        if text in ("yesterday", "tomorrow"):
            return midnight + timedelta(days=-1 if text == "yesterday" else 1)
        match = _RELATIVE.fullmatch(text)
        if match is None:
            return None
        sign, count, unit = match.groups()
        n = -int(count) if sign == "-" else int(count)
        if unit == "h":
            return (self.now + timedelta(hours=n)).astimezone(self.tz)
        if unit in "dw":
            return local + timedelta(days=n * (7 if unit == "w" else 1))
        return _add_months(local, n * (12 if unit == "y" else 1))

    def as_date(self, text: str) -> date:
        moment = self.relative(text)
        if moment is not None:
            return moment.date()
        try:
            return date.fromisoformat(text)
        except ValueError:
            return aware(datetime.fromisoformat(text)).astimezone(self.tz).date()

    def as_datetime(self, text: str) -> datetime:
        moment = self.relative(text)
        # A date-only string parses as midnight, and a naive time means UTC.
        moment = moment if moment is not None else aware(datetime.fromisoformat(text))
        return moment.astimezone(UTC)  # OverflowError here, not at bind time, near year 1


def _add_months(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    day = min(moment.day, monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _text(ctx: ValueContext, value: JSONValue) -> object:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(value)  # no stored text holds NUL, and PostgreSQL refuses it
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(value)


def _number(ctx: ValueContext, value: JSONValue) -> object:
    if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = Decimal(value.strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        number = Decimal(str(value))  # through str(): Decimal(0.1) keeps binary noise
    else:
        raise ValueError(value)
    if not number.is_finite() or abs(number.adjusted()) > 1000:  # beyond any column
        raise ValueError(value)
    if number == number.to_integral_value() and abs(number) < _INT64:
        return int(number)
    return number  # bound as NUMERIC, so an integer column compares exactly


def _bool(ctx: ValueContext, value: JSONValue) -> object:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value


def _ref(ctx: ValueContext, value: JSONValue) -> object:
    if isinstance(value, dict) and set(value) == {"id"}:
        value = value["id"]
    if isinstance(value, str) and value.isascii() and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= _INT64:
        raise ValueError(value)
    return value


def _str(value: JSONValue) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _nothing(ctx: ValueContext, value: JSONValue) -> object:
    raise ValueError(value)  # json and file values are only ever tested for emptiness


_COERCE: dict[str, Callable[[ValueContext, JSONValue], object]] = {
    "text": _text,
    "number": _number,
    "bool": _bool,
    "date": lambda ctx, value: ctx.as_date(_str(value)),
    "datetime": lambda ctx, value: ctx.as_datetime(_str(value)),
    "time": lambda ctx, value: time.fromisoformat(_str(value)),
    "array": lambda ctx, value: _str(value),
    "ref": _ref,
    "refs": _ref,
    "json": _nothing,
    "file": _nothing,
}
