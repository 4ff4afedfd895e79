"""JSON responses rendered with orjson."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from starlette.responses import Response

__all__ = ["JSONResponse", "dumps"]


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(content: Any) -> bytes:
    return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)
