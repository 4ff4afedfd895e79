"""Templates in node configs: `{{ expression }}` over `trigger`, `nodes`, `loop`, `currentUser`
and `now`, evaluated by the safe expression library of formulas (no eval).

A string that is one expression keeps the value's type (`"{{trigger.record.id}}"` → 42); a
string with text around expressions becomes text; lists and objects are rendered item by item.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from simpleeval import EvalWithCompoundTypes, InvalidExpression

from deskbase.kernel.errors import AppError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.formula import FUNCTIONS

__all__ = ["Box", "TemplateError", "evaluate", "render"]

_WHOLE = re.compile(r"^\s*\{\{(.+?)\}\}\s*$", re.DOTALL)
_PART = re.compile(r"\{\{(.+?)\}\}", re.DOTALL)


class TemplateError(AppError):
    code, status, title = "template_error", 422, "Template error"


class Box:
    """A JSON object in an expression: `trigger.values.reason` reads the key `values` (a plain
    dict would answer with its `values` method), and `box["key"]` works as well."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return _boxed(self._data[name])
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return _boxed(self._data[key])

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Any:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        return self._data == (other._data if isinstance(other, Box) else other)

    __hash__ = None  # type: ignore[assignment]


def _boxed(value: Any) -> Any:
    if isinstance(value, dict):
        return Box(value)
    if isinstance(value, list):
        return [_boxed(v) for v in value]
    return value


# One evaluator, its names swapped per call: evaluation is synchronous, so calls never overlap.
_EVALUATOR = EvalWithCompoundTypes(functions=dict(FUNCTIONS))


@lru_cache(maxsize=2048)
def _parsed(expression: str) -> ast.AST:
    """Parsing costs more than evaluating: each expression is parsed once."""
    return _EVALUATOR.parse(expression)  # type: ignore[no-any-return]


def evaluate(expression: str, names: Mapping[str, Any]) -> Any:
    """The value of one expression; TemplateError if it is invalid or fails."""
    source = expression.strip()
    _EVALUATOR.names = {k: _boxed(v) for k, v in names.items()}
    try:
        return _EVALUATOR.eval(source, previously_parsed=_parsed(source))
    except (
        InvalidExpression,
        SyntaxError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        ZeroDivisionError,
    ) as exc:
        raise TemplateError(f"{source!r}: {type(exc).__name__}: {exc}") from None
    finally:
        _EVALUATOR.names = {}


def render(value: JSONValue, names: Mapping[str, Any]) -> JSONValue:
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole and "{{" not in whole.group(1):
            return _json(evaluate(whole.group(1), names))
        return _PART.sub(lambda m: _text(evaluate(m.group(1), names)), value)
    if isinstance(value, list):
        return [render(v, names) for v in value]
    if isinstance(value, dict):
        return {k: render(v, names) for k, v in value.items()}
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _json(value: Any) -> JSONValue:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, Box):
        return _json(value._data)
    return str(value)
