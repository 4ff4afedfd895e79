"""The `formula` field type: a value computed from other fields of the same record.

Expressions are small Python-like formulas (`price * quantity`, `IF(done, "yes", "no")`)
evaluated by `simpleeval`, never by eval/exec. Only names, literals, operators and the
functions in `FUNCTIONS` are allowed; attribute access and subscripts are refused on save.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator
from simpleeval import SimpleEval

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue, ValueKind
from deskbase.schema.field_types.base import ComputedValue, FieldType

__all__ = ["FUNCTIONS", "FormulaFieldType", "FormulaOptions"]

ResultType = Literal["number", "text", "boolean", "date"]


def _concat(*parts: object) -> str:
    return "".join("" if p is None else str(p) for p in parts)


def _coalesce(*values: object) -> object:
    return next((v for v in values if v is not None), None)


def _if(condition: object, then: object, otherwise: object) -> object:
    return then if condition else otherwise


FUNCTIONS: Mapping[str, Callable[..., object]] = {
    "round": round,
    "abs": abs,
    "min": min,
    "max": max,
    "len": len,
    "upper": str.upper,
    "lower": str.lower,
    "concat": _concat,
    "IF": _if,
    "coalesce": _coalesce,
}

_KINDS: dict[ResultType, ValueKind] = {
    "number": "number",
    "text": "text",
    "boolean": "bool",
    "date": "date",
}
_ALLOWED_NODES = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
    ast.Name, ast.Constant, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.UAdd, ast.USub, ast.Not, ast.And, ast.Or,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)  # fmt: skip
_REFUSED = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
}


@dataclass(frozen=True, slots=True)
class _Parsed:
    tree: ast.expr
    names: frozenset[str]


@lru_cache(maxsize=512)
def _parse(expression: str) -> _Parsed:
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError) as exc:
        msg = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        raise FieldValueError(f"invalid expression: {msg.lower()}", "invalid_format") from None
    callees: set[int] = set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if type(node) in _REFUSED:
            raise FieldValueError(_REFUSED[type(node)], "invalid_format")
        if not isinstance(node, _ALLOWED_NODES):
            raise FieldValueError(f"{type(node).__name__} is not allowed", "invalid_format")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise FieldValueError("only named functions can be called", "invalid_format")
            if node.func.id not in FUNCTIONS:
                raise FieldValueError(f"unknown function '{node.func.id}'", "invalid_format")
            if node.keywords:
                raise FieldValueError("keyword arguments are not allowed", "invalid_format")
            callees.add(id(node.func))
        elif isinstance(node, ast.Name) and id(node) not in callees:
            names.add(node.id)
    return _Parsed(tree.body, frozenset(names))


class FormulaOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    expression: str = Field(min_length=1, max_length=2000)
    result_type: ResultType = "number"

    @field_validator("expression")
    @classmethod
    def _parses(cls, expression: str) -> str:
        _parse(expression)
        return expression


class FormulaFieldType(FieldType[FormulaOptions], ComputedValue):
    """Computed by the server whenever the record is written; clients never send it.

    `check` runs when the field is saved (are the names fields?); `compute` never raises:
    a formula that cannot be evaluated (division by zero, a None operand) yields None.
    """

    key = "formula"
    value_kind = "number"  # the default; `kind()` follows `result_type`
    Options = FormulaOptions
    writable = False

    def kind(self, options: FormulaOptions) -> ValueKind:
        return _KINDS[options.result_type]

    def column_type(self, options: FormulaOptions) -> sa.types.TypeEngine[Any]:
        types: dict[ResultType, sa.types.TypeEngine[Any]] = {
            "number": sa.Float(),
            "text": sa.Text(),
            "boolean": sa.Boolean(),
            "date": sa.Date(),
        }
        return types[options.result_type]

    def names(self, options: FormulaOptions) -> set[str]:
        """The names the expression reads (function names only where used as values)."""
        return set(_parse(options.expression).names)

    def check(self, options: FormulaOptions, available_fields: set[str]) -> None:
        unknown = sorted(self.names(options) - available_fields - FUNCTIONS.keys())
        if unknown:
            raise FieldValueError(f"unknown field '{unknown[0]}'", "unknown_field")

    def compute(self, options: FormulaOptions, values: Mapping[str, object]) -> object:
        names = {k: float(v) if isinstance(v, Decimal) else v for k, v in values.items()}
        evaluator = SimpleEval(functions=dict(FUNCTIONS), names=names)
        try:
            result = evaluator.eval(options.expression, _parse(options.expression).tree)
            return _coerce(result, options.result_type)
        except Exception:  # a formula's runtime error is a missing value, not a failed write
            return None

    def to_db(self, value: JSONValue, options: FormulaOptions) -> object:
        # Only reached for imported values; computed ones come from compute().
        if options.result_type == "date" and isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise FieldValueError("not a valid date", "invalid_format") from None
        result = _coerce(value, options.result_type, strict=True)
        if result is None:
            raise FieldValueError(f"must be a {options.result_type} value", "type")
        return result

    def to_api(self, value: object, options: FormulaOptions) -> JSONValue:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Decimal):
            return float(value)
        if value is None or isinstance(value, bool | int | float | str):
            return value
        raise TypeError(f"unexpected stored formula value {value!r}")


def _coerce(value: object, result_type: ResultType, *, strict: bool = False) -> object:
    """The stored form of a result, or None when it does not fit `result_type`."""
    if value is None:
        return None
    if result_type == "number":
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            number = float(value)
            return number if math.isfinite(number) else None
        return None
    if result_type == "boolean":
        return value if isinstance(value, bool) else None
    if result_type == "date":
        if isinstance(value, datetime):
            return None if strict else value.date()
        return value if isinstance(value, date) else None
    if isinstance(value, str):
        return value
    if strict:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value.isoformat() if isinstance(value, date) else str(value)
