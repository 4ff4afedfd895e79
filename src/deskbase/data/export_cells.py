"""Export cells: values to CSV text or XLSX cells, one converter per column, and the workbook.

Converters are chosen once per export and work on whole columns. Values the database did not
render arrive as stored (decimals and instants raw: text or integers on SQLite, objects on
PostgreSQL); types with their own `to_api` and no known storage go through it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import orjson
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from deskbase.data.export_sql import Storage, scale_of, storage_of
from deskbase.schema.model import Field

__all__ = ["XLSX_MAX_ROWS", "Convert", "XlsxBook", "XlsxCells", "csv_converter"]

Convert = Callable[[Sequence[object]], Sequence[object]]
Cell = Callable[[Any], object]

_BOOLS = ("false", "true")
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")  # XML 1.0 refuses these
_XLSX_TEXT_MAX = 32_767
XLSX_MAX_ROWS = 1_048_576  # per sheet, the header included
_XLSX_INT_MAX = 10**15  # beyond 15 digits Excel rounds; such numbers are written as text


def _column(cell: Cell) -> Convert:
    def convert(values: Sequence[object]) -> list[object]:
        return [None if v is None else cell(v) for v in values]

    return convert


def _json_text(value: object) -> str:
    return orjson.dumps(value).decode()


def _join(value: object) -> object:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else _json_text(value)


def _file_names(value: object) -> object:
    if not isinstance(value, list):
        return _json_text(value)
    return ", ".join(str(i.get("filename", "")) if isinstance(i, dict) else str(i) for i in value)


def _instant_text(value: datetime) -> str:
    """ISO 8601 in UTC, as the API writes it."""
    if value.tzinfo is UTC:
        return value.isoformat()
    return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)).isoformat()


def _instant(value: object) -> object:
    """A naive UTC datetime (what an XLSX cell holds) from a datetime or SQLite's stored text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def _decimal_text(scale: int) -> Cell:
    """Exact text of a stored decimal: a Decimal, or (SQLite) an integer scaled by 10**scale."""
    unit = 10**scale
    pattern = f"{{}}{{}}.{{:0{scale}d}}" if scale else "{}{}"

    def cell(value: object) -> object:
        if isinstance(value, int):
            whole, part = divmod(abs(value), unit)
            return pattern.format("-" if value < 0 else "", whole, part)
        return format(value, "f") if isinstance(value, Decimal) else _text(value)

    return cell


def _text(value: object) -> object:
    """One CSV cell from any value (a to_api result or a stored value)."""
    if isinstance(value, bool):
        return _BOOLS[value]
    if isinstance(value, str | int | float):
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return _instant_text(value)
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return _json_text(value)


def _through_api(fld: Field, render: Cell) -> Cell:
    to_api, options = fld.type.to_api, fld.options

    def cell(value: object) -> object:
        shown = to_api(value, options)
        return None if shown is None else render(shown)

    return cell


def csv_converter(fld: Field, related: bool = False) -> Convert | None:
    """The converter of one CSV column (None: the values are written as they are)."""
    kind = fld.value_kind
    if related or kind == "array":
        return _column(_join)
    if kind == "file":
        return _column(_file_names)
    if kind == "json":
        return _column(_json_text if fld.type.native_api else _through_api(fld, _json_text))
    if storage_of(fld) is not None:
        return None  # rendered by the database
    if not fld.type.native_api:
        return _column(_through_api(fld, _text))
    return None if kind in ("text", "ref", "number") else _column(_text)


def _xlsx_decimal(value: Decimal) -> object:
    # A double holds 15 significant digits exactly; longer decimals stay exact as text.
    return float(value) if len(value.as_tuple().digits) <= 15 else format(value, "f")


class XlsxCells:
    """The XLSX converters of one workbook; `sheet` owns the cells made for literal strings."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def text(self, value: str) -> object:
        """A string that stays a string: no formula, no error code, no XML-illegal characters."""
        if _ILLEGAL.search(value):
            value = _ILLEGAL.sub("", value)
        if len(value) > _XLSX_TEXT_MAX:
            value = value[:_XLSX_TEXT_MAX]
        if value.startswith("=") or value in ERROR_CODES:
            cell = WriteOnlyCell(self.sheet, value)
            cell.data_type = "s"
            return cell
        return value

    def cell(self, value: object) -> object:
        """One cell from any value: numbers, dates and booleans stay typed (UTC, tz-naive)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bool | float):
            return value
        if isinstance(value, int):
            return value if -_XLSX_INT_MAX < value < _XLSX_INT_MAX else str(value)
        if isinstance(value, Decimal):
            return _xlsx_decimal(value)
        if isinstance(value, datetime):
            return _instant(value)
        if isinstance(value, date | time):
            return value
        return self.text(_json_text(value))

    def _stored(self, storage: Storage, fld: Field) -> Cell:
        if storage == "date":
            return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
        if storage == "time":
            return lambda v: time.fromisoformat(v) if isinstance(v, str) else v
        if storage == "bool":
            return bool
        if storage == "instant":
            return _instant
        unit, text = 10 ** scale_of(fld), _decimal_text(scale_of(fld))

        def decimal(value: object) -> object:
            if isinstance(value, int):  # SQLite: scaled; a double is exact up to 15 digits
                return value / unit if -_XLSX_INT_MAX < value < _XLSX_INT_MAX else text(value)
            return _xlsx_decimal(value) if isinstance(value, Decimal) else self.cell(value)

        return decimal

    def converter(self, fld: Field, related: bool = False) -> Convert | None:
        """The converter of one column (None: the values are written as they are)."""
        kind = fld.value_kind
        cell, text = self.cell, self.text
        if related or kind == "array":
            return _column(lambda v: cell(_join(v)))
        if kind == "file":
            return _column(lambda v: cell(_file_names(v)))
        if kind == "json":
            as_text: Cell = lambda v: text(_json_text(v))  # noqa: E731
            return _column(as_text if fld.type.native_api else _through_api(fld, as_text))
        storage = storage_of(fld)
        if storage is not None:
            return _column(self._stored(storage, fld))
        if not fld.type.native_api:
            return _column(_through_api(fld, cell))
        if kind == "ref":
            return None
        if kind == "text":
            return _column(lambda v: text(v) if isinstance(v, str) else cell(v))
        return _column(cell)


class XlsxBook:
    """A write-only workbook that starts a new sheet (header repeated) when one is full."""

    def __init__(self, name: str, headers: list[str]) -> None:
        self.workbook = Workbook(write_only=True)
        self.name = name
        self.headers = headers
        self.rows = 0
        self.left = 0
        self.sheet = self._next_sheet()

    def _next_sheet(self) -> WriteOnlyWorksheet:
        number = len(self.workbook.worksheets) + 1
        sheet: WriteOnlyWorksheet = self.workbook.create_sheet(
            self.name if number == 1 else f"{self.name[:24]} ({number})"
        )
        sheet.append(self.headers)
        self.left = XLSX_MAX_ROWS - 1
        return sheet

    def append(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            if not self.left:
                self.sheet = self._next_sheet()
            self.sheet.append(row)
            self.left -= 1
            self.rows += 1
