"""Parsers for one spreadsheet cell: numbers, dates, times and booleans in common formats.

Each takes a CSV string or an openpyxl value and returns a Python value or raises
FieldValueError. The common ISO forms are tried first; the slower normal forms follow.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from deskbase.kernel.errors import FieldValueError

__all__ = [
    "none",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_integer",
    "parse_time",
    "plain_date",
    "plain_decimal",
    "plain_instant",
    "plain_integer",
    "text_of",
]

_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's 1900 leap-year bug kept)
_SERIAL_TEXT = re.compile(r"[0-9]{5}(\.[0-9]+)?")  # 10000-99999: 1927-2173; "2026" is not a date
_NUMBER_NOISE = str.maketrans("", "", ", _\u00a0\u3000¥￥$€£")  # thousands separators, currencies
_PERCENT = ("%", "\uff05")
_CLOCK = (  # 8:30, 08:30:15.5, 8时30分, 8时30分15秒
    r"([0-9]{1,2})\s*[:时時]\s*([0-9]{1,2})\s*分?"
    r"(?:\s*:?\s*([0-9]{1,2})(?:\.([0-9]{1,6})[0-9]*)?\s*秒?)?"
)
_DATE = re.compile(  # 2026-11-23, 2026/11/23, 2026.11.23, 2026年11月23日, each with an optional time
    r"\s*([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:(?:\s*[T ]\s*|\s+)" + _CLOCK + r"\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?\s*"
)
_TIME = re.compile(r"\s*" + _CLOCK + r"\s*")
_TRUE = frozenset({"true", "yes", "y", "t", "1", "on", "是", "对", "真", "✓", "✔", "√", "x"})
_FALSE = frozenset({"false", "no", "n", "f", "0", "off", "否", "错", "假", "✗", "✘", "\u00d7"})


def text_of(value: object) -> str:
    """A cell as text: openpyxl gives numbers and dates, which a text field stores as written."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def parse_integer(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().translate(_NUMBER_NOISE)
        if text.isascii() and (text.isdigit() or (text[:1] in "+-" and text[1:].isdigit())):
            return int(text)
        number = _decimal_text(text)
        if number is not None and number == number.to_integral_value():
            return int(number)
    raise FieldValueError(f"{text_of(value)!r} is not a whole number", "invalid_format")


def _decimal_text(text: str) -> Decimal | None:
    if not text.isascii():
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_decimal(value: object, percent: bool = False) -> Decimal:
    """A finite Decimal; "1,234.50", "¥12", "12%" (a fraction: 0.12, for percent fields)."""
    if isinstance(value, bool):
        raise FieldValueError("must be a number", "type")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = _decimal_text(repr(value))
        if number is None:
            raise FieldValueError("must be a finite number", "invalid_format")
        return number
    if not isinstance(value, str):
        raise FieldValueError("must be a number", "type")
    text = value.strip()
    scale = 0
    if text.endswith(_PERCENT):
        text, scale = text[:-1].strip(), -2
        if not percent:
            raise FieldValueError(f"{value!r}: a percentage fits percent fields only", "invalid_format")
    number = _decimal_text(text)
    if number is None:
        number = _decimal_text(text.translate(_NUMBER_NOISE))
        if number is None and text.startswith("(") and text.endswith(")"):  # accounting negatives
            inner = _decimal_text(text[1:-1].translate(_NUMBER_NOISE))
            number = -inner if inner is not None else None
    if number is None:
        raise FieldValueError(f"{value!r} is not a number", "invalid_format")
    return number.scaleb(scale) if scale else number


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    raise FieldValueError(f"{text_of(value)!r} is not yes or no", "invalid_format")


def _serial(value: object) -> datetime | None:
    """An Excel serial date (days since 1899-12-30) from a number or a 5-digit string."""
    if isinstance(value, str) and _SERIAL_TEXT.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=float(value))
    return None


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


def _loose(text: str) -> datetime | None:
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    y, mo, d, h, mi, s, frac, off = match.groups()
    try:
        return datetime(
            int(y),
            int(mo),
            int(d),
            int(h or 0),
            int(mi or 0),
            int(s or 0),
            int((frac or "0").ljust(6, "0")),
            tzinfo=_offset(off),
        )
    except ValueError:
        return None


def parse_datetime(value: object, zone: tzinfo = UTC) -> datetime:
    """An aware UTC datetime; a value without an offset is read in `zone`."""
    if isinstance(value, datetime):
        return _utc(value, zone)
    if isinstance(value, date):
        return _utc(datetime(value.year, value.month, value.day), zone)
    instant = None
    if isinstance(value, str):
        try:
            instant = datetime.fromisoformat(value.strip())
        except ValueError:
            instant = _loose(value)
    if instant is None:
        instant = _serial(value)
    if instant is None:
        raise FieldValueError(
            f"{text_of(value)!r} is not a date and time (like 2026-11-23 08:30)", "invalid_format"
        )
    return _utc(instant, zone)


def _utc(instant: datetime, zone: tzinfo) -> datetime:
    try:
        if instant.tzinfo is None:
            if zone is UTC:
                return instant.replace(tzinfo=UTC)
            return instant.replace(tzinfo=zone).astimezone(UTC)
        return instant if instant.tzinfo is UTC else instant.astimezone(UTC)
    except OverflowError:
        raise FieldValueError("out of the supported range of dates", "out_of_range") from None


def parse_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            found = _loose(text)
            if found is not None and found.time() == time() and found.tzinfo is None:
                return found.date()
    serial = _serial(value)
    if serial is not None:
        return serial.date()
    raise FieldValueError(f"{text_of(value)!r} is not a date (like 2026-11-23)", "invalid_format")


def parse_time(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, datetime):
        return value.time()
    if isinstance(value, float) and 0 <= value < 1:  # Excel keeps a time as a fraction of a day
        return (datetime(2000, 1, 1) + timedelta(days=value)).time().replace(microsecond=0)
    if isinstance(value, str):
        match = _TIME.fullmatch(value)
        if match is not None:
            try:
                return time(
                    int(match[1]), int(match[2]), int(match[3] or 0), int((match[4] or "0").ljust(6, "0"))
                )
            except ValueError:
                pass
    raise FieldValueError(f"{text_of(value)!r} is not a time of day (like 08:30)", "invalid_format")


# -- the common spellings, tried first on a whole column (None: an empty cell, or not this form)


_INT64 = 2**63 - 1


def none(cell: object) -> None:
    return None


def plain_integer(cell: object) -> int | None:
    """`42` (text or number); anything else (and out of range) goes the slow way, to its error."""
    if cell.__class__ is int or (cell.__class__ is str and cell):
        number = int(cell)
        return number if -_INT64 <= number <= _INT64 else None
    return None


def plain_decimal(precision: int, scale: int) -> Callable[[object], Decimal | None]:
    """`10.28` quantized to the scale, when it fits; `to_db` judges anything else."""
    quantum, limit, digits = Decimal(1).scaleb(-scale), Decimal(10) ** (precision - scale), precision - scale

    def parse(cell: object) -> Decimal | None:
        if cell.__class__ is not str or not cell:
            return None
        number = Decimal(cell)
        if not number.is_finite() or (number.adjusted() >= digits and not number.is_zero()):
            return None
        exact = number.quantize(quantum, ROUND_HALF_EVEN)
        return (exact.copy_abs() if exact.is_zero() else exact) if abs(exact) < limit else None

    return parse


def plain_date(cell: object) -> date | None:
    return date.fromisoformat(cell) if cell.__class__ is str and cell else None


def plain_instant(cell: object) -> datetime | None:
    """ISO 8601 text with a UTC offset or none (read as UTC)."""
    if cell.__class__ is not str or not cell:
        return None
    instant = datetime.fromisoformat(cell)
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant if instant.tzinfo is UTC else instant.astimezone(UTC)
