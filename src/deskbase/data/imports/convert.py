"""Column converters: a whole column of cells becomes stored values plus per-cell errors.

One converter per mapped column, chosen once per import from the field's type; no per-row
models. Known types get a fast text normalization and reuse their `to_db` where that is
cheap; any other type (a plugin's) gets its `to_db` applied to the cell's text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, tzinfo
from typing import Any

import orjson

from deskbase.data.imports.cells import (
    none,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_decimal,
    parse_integer,
    parse_time,
    plain_date,
    plain_decimal,
    plain_instant,
    plain_integer,
    text_of,
)
from deskbase.data.imports.texts import strings
from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.boolean import BooleanFieldType
from deskbase.schema.field_types.choice import MultiSelectFieldType, SelectFieldType, SelectOptions
from deskbase.schema.field_types.datetime import DateFieldType, DateTimeFieldType, TimeFieldType
from deskbase.schema.field_types.misc import JsonFieldType
from deskbase.schema.field_types.number import (
    CurrencyFieldType,
    DecimalFieldType,
    IntegerFieldType,
    PercentFieldType,
)
from deskbase.schema.field_types.relation import ManyToOneFieldType, relation_id
from deskbase.schema.field_types.text import StringFieldType, StringOptions, TextFieldType
from deskbase.schema.model import Field

__all__ = [
    "CellError",
    "ColumnConverter",
    "column_converter",
    "id_converter",
    "is_empty",
    "list_converter",
    "split_list",
]

CellError = tuple[int, str, str]  # (position in the column, message, code)
ColumnConverter = Callable[[Sequence[object]], tuple[list[object], list[CellError]]]
Parse = Callable[[object], object]
_LIST_SEPARATORS = re.compile(
    "\\s*[,;\uff0c\uff1b\u3001]\\s*"
)  # and full-width , ; and the ideographic comma


def is_empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and (not cell or cell.isspace()))


def split_list(cell: object) -> list[str]:
    """The items of a list cell: "a, b" or "a; b", with full-width separators too."""
    return [p for p in _LIST_SEPARATORS.split(text_of(cell).strip()) if p]


def _problem(exc: Exception) -> tuple[str, str]:
    if isinstance(exc, FieldValueError):
        return exc.message, exc.code
    return "not a valid value", "invalid_format"


def _cells(parse: Parse) -> ColumnConverter:
    def convert(cells: Sequence[object]) -> tuple[list[object], list[CellError]]:
        out: list[object] = []
        errors: list[CellError] = []
        append = out.append
        for i, cell in enumerate(cells):
            if cell is None or (cell.__class__ is str and (not cell or cell.isspace())):
                append(None)
                continue
            try:
                append(parse(cell))
            except (ValueError, OverflowError) as exc:  # a plugin's to_db may raise plain ValueErrors
                append(None)
                errors.append((i, *_problem(exc)))
        return out, errors

    return convert


def _fast(first: Callable[[Any], object], parse: Parse) -> ColumnConverter:
    """`first` (the common spelling; None for an empty cell) mapped over the column at C speed;
    `parse` for the cells it leaves None. If `first` raises, the column goes cell by cell."""
    slowly = _cells(lambda cell: _first_then(first, parse, cell))

    def convert(cells: Sequence[object]) -> tuple[list[object], list[CellError]]:
        try:
            out = list(map(first, cells))
        except (ValueError, TypeError, ArithmeticError):
            return slowly(cells)
        errors: list[CellError] = []
        if None in out:
            for i in [i for i, value in enumerate(out) if value is None]:
                cell = cells[i]
                if is_empty(cell):
                    continue
                try:
                    out[i] = parse(cell)
                except (ValueError, OverflowError) as exc:
                    errors.append((i, *_problem(exc)))
        return out, errors

    return convert


def _first_then(first: Callable[[Any], object], parse: Parse, cell: object) -> object:
    try:
        value = first(cell)
    except (ValueError, TypeError, ArithmeticError):
        value = None
    return parse(cell) if value is None else value


def _choice_names(options: SelectOptions) -> tuple[dict[str, str], dict[str, str]]:
    """Exact names (values, then labels) and case-insensitive ones that are unambiguous."""
    exact: dict[str, str] = {}
    folded: dict[str, str | None] = {}
    for choice in reversed(options.choices):  # values win over labels: set them last
        exact[choice.label] = choice.value
    for choice in options.choices:
        exact[choice.value] = choice.value
    for name, value in exact.items():
        key = name.strip().casefold()
        folded[key] = value if folded.get(key, value) == value else None
    return exact, {k: v for k, v in folded.items() if v is not None}


def _select(options: SelectOptions) -> Parse:
    exact, folded = _choice_names(options)

    def parse(cell: object) -> object:
        text = text_of(cell)
        found = exact.get(text) or folded.get(text.strip().casefold())
        if found is None:
            return options.resolve(text)  # raises with the list of choices
        return found

    return parse


def _multi_select(options: SelectOptions) -> Parse:
    one = _select(options)
    order = {c.value: i for i, c in enumerate(options.choices)}

    def parse(cell: object) -> object:
        picked = {one(item) for item in split_list(cell)}
        return sorted(picked, key=lambda v: order[str(v)])

    return parse


def _via_to_db(fld: Field, normalize: Parse) -> Parse:
    """`to_db` on the cell as it is; when that fails, on the normalized cell."""
    to_db, options = fld.type.to_db, fld.options

    def parse(cell: object) -> object:
        if cell.__class__ is str:
            try:
                return to_db(cell, options)
            except FieldValueError:
                pass
        return to_db(normalize(cell), options)  # type: ignore[arg-type]

    return parse


def _json(cell: object) -> JSONValue:
    if not isinstance(cell, str):
        return text_of(cell)
    try:
        value: JSONValue = orjson.loads(cell)
        return value
    except orjson.JSONDecodeError:
        raise FieldValueError("is not valid JSON", "invalid_format") from None


def _generic(fld: Field) -> Parse:
    to_db, options = fld.type.to_db, fld.options
    return lambda cell: to_db(text_of(cell), options)


def _reference(cell: object) -> object:
    try:
        return relation_id(parse_integer(cell))
    except FieldValueError:
        raise FieldValueError(
            f"{text_of(cell)!r} is not a record id (to match records by one of their fields, "
            "map the column to relation.field, e.g. customer.name)",
            "invalid_reference",
        ) from None


def list_converter(item: ColumnConverter) -> ColumnConverter:
    """A column of lists ("a, b"): each item through `item`; one bad item fails the cell."""

    def convert(cells: Sequence[object]) -> tuple[list[object], list[CellError]]:
        out: list[object] = []
        errors: list[CellError] = []
        for i, cell in enumerate(cells):
            if is_empty(cell):
                out.append(None)
                continue
            items, bad = item(split_list(cell))
            if bad:
                errors.append((i, bad[0][1], bad[0][2]))
                out.append(None)
            else:
                out.append(list(dict.fromkeys(v for v in items if v is not None)))
        return out, errors

    return convert


def id_converter() -> ColumnConverter:
    """Record ids (`5`, `5.0`): the key column of an upsert by id."""
    return _cells(_reference)


def column_converter(fld: Field, zone: tzinfo) -> ColumnConverter:
    """The converter of a column mapped to `fld` (a many_to_one column by id here; a column
    that names related records by a key field uses the key field's converter)."""
    ftype: Any = fld.type
    options: Any = fld.options
    if isinstance(ftype, StringFieldType) and isinstance(options, StringOptions):
        return strings(options.max_length)
    if isinstance(ftype, TextFieldType):
        return strings(None)
    if isinstance(ftype, IntegerFieldType):
        return _fast(plain_integer, _via_to_db(fld, parse_integer))
    if isinstance(ftype, DecimalFieldType | CurrencyFieldType | PercentFieldType):
        percent = isinstance(ftype, PercentFieldType)
        slow = _via_to_db(fld, lambda c: format(parse_decimal(c, percent), "f"))
        return _fast(plain_decimal(options.precision, options.scale), slow)
    if isinstance(ftype, DateTimeFieldType):  # the result is already the stored form
        return _fast(plain_instant if zone is UTC else none, lambda c: parse_datetime(c, zone))
    if isinstance(ftype, DateFieldType):
        return _fast(plain_date, parse_date)
    if isinstance(ftype, TimeFieldType):
        return _cells(parse_time)
    if isinstance(ftype, BooleanFieldType):
        return _cells(parse_bool)
    if isinstance(ftype, SelectFieldType):
        return _fast(_choice_names(options)[0].get, _select(options))
    if isinstance(ftype, MultiSelectFieldType):
        return _cells(_multi_select(options))
    if isinstance(ftype, ManyToOneFieldType):
        return _cells(_reference)
    if isinstance(ftype, JsonFieldType):
        return _cells(lambda c: ftype.to_db(_json(c), options))
    return _cells(_generic(fld))
