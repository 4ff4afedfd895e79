"""The `auto_number` field type: gap-free numbers like "TK-2026-000042" from a pattern.

Placeholders: `{YYYY}` `{YY}` `{MM}` `{DD}` (the UTC date of the write) and exactly one
`{seq}` or `{seq:N}` (the counter, zero-padded to N digits). Everything else is literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, field_validator

from deskbase.kernel.errors import FieldValueError
from deskbase.kernel.types import JSONValue
from deskbase.schema.field_types.base import FieldType, SequenceFieldType

if TYPE_CHECKING:
    from deskbase.kernel.context import RequestContext

__all__ = ["AutoNumberFieldType", "AutoNumberOptions"]

_MAX_LENGTH = 64
_PLACEHOLDER = re.compile(r"\{(?:(?P<date>YYYY|YY|MM|DD)|seq(?::(?P<width>[0-9]{1,2}))?)\}")
_DATE_WIDTHS = {"YYYY": 4, "YY": 2, "MM": 2, "DD": 2}
_SEQ_DIGITS = 10  # room kept for counters wider than their padding


@dataclass(frozen=True, slots=True)
class _Pattern:
    """A parsed pattern: literals, date-part names and one `seq` (its padding, 0 for none)."""

    parts: tuple[str | tuple[str, int], ...]  # str = literal; ("YYYY", 0) / ("seq", width)

    def dates(self, now: datetime) -> list[str]:
        return [_date_part(p[0], now) for p in self.parts if isinstance(p, tuple) and p[0] != "seq"]

    def render(self, seq: int, now: datetime) -> str:
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "seq":
                out.append(f"{seq:0{part[1]}d}")
            else:
                out.append(_date_part(part[0], now))
        return "".join(out)


def _date_part(name: str, now: datetime) -> str:
    utc = now.astimezone(UTC)
    return {
        "YYYY": f"{utc.year:04d}",
        "YY": f"{utc.year % 100:02d}",
        "MM": f"{utc.month:02d}",
        "DD": f"{utc.day:02d}",
    }[name]


@lru_cache(maxsize=256)
def _parse(pattern: str) -> _Pattern:
    parts: list[str | tuple[str, int]] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(pattern):
        parts.append(pattern[pos : match.start()])
        if match["date"]:
            parts.append((match["date"], 0))
        else:
            width = int(match["width"] or 0)
            if match["width"] is not None and not 1 <= width <= 18:
                raise ValueError("{seq:N} needs N between 1 and 18")
            parts.append(("seq", width))
        pos = match.end()
    parts.append(pattern[pos:])
    literals = [p for p in parts if isinstance(p, str)]
    if any("{" in p or "}" in p for p in literals):
        raise ValueError("unknown placeholder; use {YYYY} {YY} {MM} {DD} {seq} or {seq:N}")
    seqs = [p for p in parts if isinstance(p, tuple) and p[0] == "seq"]
    if len(seqs) != 1:
        raise ValueError("the pattern needs exactly one {seq}")
    longest = sum(map(len, literals)) + max(seqs[0][1], _SEQ_DIGITS)
    longest += sum(_DATE_WIDTHS[p[0]] for p in parts if isinstance(p, tuple) and p[0] != "seq")
    if longest > _MAX_LENGTH:
        raise ValueError(f"numbers from this pattern could exceed {_MAX_LENGTH} characters")
    return _Pattern(tuple(p for p in parts if p != ""))


class AutoNumberOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    pattern: str = Field("{seq:6}", min_length=1, max_length=_MAX_LENGTH)

    @field_validator("pattern")
    @classmethod
    def _valid_pattern(cls, pattern: str) -> str:
        _parse(pattern)
        return pattern


class AutoNumberFieldType(FieldType[AutoNumberOptions], SequenceFieldType):
    """Numbered by the server on create. `scope` is the rendered date part, so a pattern
    with `{YYYY}` restarts its counter each year (`""` when there is no date part)."""

    key = "auto_number"
    searchable = True
    value_kind = "text"
    Options = AutoNumberOptions
    writable = False

    def column_type(self, options: AutoNumberOptions) -> sa.types.TypeEngine[Any]:
        return sa.String(_MAX_LENGTH)

    def to_db(self, value: JSONValue, options: AutoNumberOptions) -> object:
        # Only reached for imported values; numbers made here come from render().
        if not isinstance(value, str):
            raise FieldValueError("must be a string", "type")
        if len(value) > _MAX_LENGTH:
            raise FieldValueError(f"at most {_MAX_LENGTH} characters", "too_long")
        return value

    def scope(self, options: AutoNumberOptions, ctx: RequestContext) -> str:
        return "-".join(_parse(options.pattern).dates(ctx.now))

    def render(self, options: AutoNumberOptions, seq: int, ctx: RequestContext) -> object:
        return _parse(options.pattern).render(seq, ctx.now)

    def json_schema(self, options: AutoNumberOptions) -> dict[str, Any]:
        return {"type": "string", "readOnly": True}
