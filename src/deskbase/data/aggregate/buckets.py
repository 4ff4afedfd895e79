"""Date buckets (day, ISO week, month, quarter, year) as SQL, in a time zone, on both databases.

An instant becomes local time by adding the zone's UTC offset, taken from Python's zoneinfo
for the years the data spans: one constant when the zone keeps one offset there, else a
CASE over its transitions (a balanced tree of comparisons). A named zone per row would cost
PostgreSQL a zone lookup per row, and SQLite has no time zones at all; this way both
databases agree to the second and stay fast.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from deskbase.schema.indexes import sqlite_bucket

if TYPE_CHECKING:
    from collections.abc import Callable

    from deskbase.data.aggregate.spec import Unit

__all__ = ["FIRST_YEAR", "LAST_YEAR", "Steps", "bucket", "fixed_zone", "zone_steps"]

# (since, offset in seconds), ascending; the first entry holds from the start of the range.
Steps = tuple[tuple[datetime, int], ...]

# Offsets are exact from FIRST_YEAR to LAST_YEAR; instants outside take the nearest ones.
FIRST_YEAR, LAST_YEAR = 1900, 2100
_DAY = 86_400


def fixed_zone(tz: ZoneInfo) -> bool:
    """Zones that never change offset (UTC and the `Etc/` family) need no data range."""
    return tz.key in ("UTC", "UCT", "Universal", "Zulu", "GMT") or tz.key.startswith("Etc/")


def _offset(tz: ZoneInfo, epoch: int) -> int:
    delta = datetime.fromtimestamp(epoch, UTC).astimezone(tz).utcoffset()
    return int(delta.total_seconds()) if delta is not None else 0


@functools.lru_cache(maxsize=256)
def zone_steps(key: str, first_year: int, last_year: int) -> Steps:
    """The UTC offsets of zone `key` from 1 January of `first_year` to the end of `last_year`
    (clamped to FIRST_YEAR..LAST_YEAR).

    Days are probed one by one and a change is narrowed down to the second, so two
    transitions that cancel out within one day would go unseen (no zone has had such).
    """
    tz = ZoneInfo(key)
    first_year = min(max(first_year, FIRST_YEAR), LAST_YEAR)
    last_year = min(max(last_year, first_year), LAST_YEAR)
    t = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    steps = [(t, _offset(tz, t))]
    while t < end:
        nxt = min(t + _DAY, end)
        if _offset(tz, nxt) == steps[-1][1]:
            t = nxt
            continue
        lo, hi = t, nxt  # the offset changes in (lo, hi]
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if _offset(tz, mid) == steps[-1][1] else (lo, mid)
        steps.append((hi, _offset(tz, hi)))
        t = hi
    return tuple((datetime.fromtimestamp(since, UTC), off) for since, off in steps)


def bucket(
    col: sa.ColumnElement[Any], unit: Unit, dialect: str, steps: Steps | None
) -> sa.ColumnElement[Any]:
    """The first day of `col`'s bucket: a date on PostgreSQL, ISO text on SQLite.

    `steps` are the zone's offsets over the data's range; None for a date column."""
    if dialect == "postgresql":
        local: sa.ColumnElement[Any]
        if steps is None:
            local = sa.cast(col, sa.DateTime())
        else:
            local = sa.func.timezone(_by_instant(col, steps, _interval), col)
        return sa.cast(sa.func.date_trunc(unit, local), sa.Date())
    modifier = None if not steps or {off for _, off in steps} == {0} else _by_instant(col, steps, _modifier)
    return sqlite_bucket(col, unit, modifier)


def _interval(offset: int) -> sa.ColumnElement[Any]:
    # Text in the statement, not a bound timedelta: a negative one would travel as
    # "-1 day +19:00", which zones refuse, and a constant is folded once even in a generic plan.
    return sa.cast(sa.literal(f"{offset} seconds", sa.String(), literal_execute=True), sa.Interval())


def _modifier(offset: int) -> sa.ColumnElement[Any]:
    # Written into the SQL text: a bucket in a zone of one offset can then match an index.
    return sa.literal(f"{offset:+d} seconds", sa.String(), literal_execute=True)


def _by_instant(
    col: sa.ColumnElement[Any], steps: Steps, value: Callable[[int], sa.ColumnElement[Any]]
) -> sa.ColumnElement[Any]:
    """The offset in force at `col`: a constant, or a balanced CASE tree over the transitions."""
    if len(steps) == 1:
        return value(steps[0][1])
    mid = len(steps) // 2
    later = _by_instant(col, steps[mid:], value)
    earlier = _by_instant(col, steps[:mid], value)
    return sa.case((col >= steps[mid][0], later), else_=earlier)
