"""Date buckets without a server: zone offsets from zoneinfo, and SQLite's bucket expressions
checked against Python for random instants in many zones."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from deskbase.data.aggregate.buckets import bucket, fixed_zone, zone_steps
from deskbase.schema.field_types.sqltypes import UTCDateTime

ZONES = [
    "UTC",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Sao_Paulo",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Etc/GMT+5",
]


def test_zone_steps_find_each_transition_to_the_second() -> None:
    steps = zone_steps("Europe/Berlin", 2026, 2026)
    assert steps == (
        (datetime(2026, 1, 1, tzinfo=UTC), 3600),
        (datetime(2026, 3, 29, 1, tzinfo=UTC), 7200),
        (datetime(2026, 10, 25, 1, tzinfo=UTC), 3600),
    )
    assert zone_steps("Asia/Shanghai", 2000, 2030) == ((datetime(2000, 1, 1, tzinfo=UTC), 28800),)
    # Shanghai kept summer time from 1986 to 1991: a range that reaches back sees it.
    assert len(zone_steps("Asia/Shanghai", 1986, 1991)) == 13


def test_zone_steps_are_clamped_to_two_centuries() -> None:
    """A stray year 1 or 9999 in the data must not make the zone scan run for millennia."""
    assert zone_steps("UTC", 1, 9999) == ((datetime(1900, 1, 1, tzinfo=UTC), 0),)
    assert zone_steps("Europe/Berlin", 1, 1)[0][0] == datetime(1900, 1, 1, tzinfo=UTC)
    assert zone_steps("Europe/Berlin", 9999, 9999)[0][0] == datetime(2100, 1, 1, tzinfo=UTC)


def test_fixed_zones() -> None:
    assert fixed_zone(ZoneInfo("UTC"))
    assert fixed_zone(ZoneInfo("Etc/GMT-8"))
    assert not fixed_zone(ZoneInfo("Asia/Shanghai"))


def _python(instant: datetime, tz: str, unit: str) -> str:
    day = instant.astimezone(ZoneInfo(tz)).date()
    if unit == "day":
        return day.isoformat()
    if unit == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if unit == "month":
        return date(day.year, day.month, 1).isoformat()
    if unit == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1).isoformat()
    return date(day.year, 1, 1).isoformat()


@pytest.fixture(scope="module")
def instants() -> tuple[sa.Engine, sa.Table, list[datetime]]:
    rnd = random.Random(20261123)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    values = [start + timedelta(seconds=rnd.randrange(4 * 365 * 86400)) for _ in range(3000)]
    # Each value's neighbours around midnight, where buckets change.
    values += [v.replace(hour=h, minute=m) for v in values[:300] for h, m in ((10, 59), (11, 0), (13, 45))]
    engine = sa.create_engine("sqlite://")
    table = sa.Table(
        "t", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("at", UTCDateTime())
    )
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), [{"id": i, "at": v} for i, v in enumerate(values)])
    return engine, table, values


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("unit", ["day", "week", "month", "quarter", "year"])
def test_sqlite_buckets_match_zoneinfo(
    instants: tuple[sa.Engine, sa.Table, list[datetime]], tz: str, unit: str
) -> None:
    engine, table, values = instants
    steps = zone_steps(tz, min(values).year, max(values).year)
    expr = bucket(table.c.at, unit, "sqlite", steps)  # type: ignore[arg-type]
    with engine.connect() as conn:
        got = dict(conn.execute(sa.select(table.c.id, expr)).all())
    wrong = [(values[i], got[i]) for i in range(len(values)) if got[i] != _python(values[i], tz, unit)]
    assert not wrong, wrong[:5]


def test_sqlite_date_buckets_need_no_zone() -> None:
    engine = sa.create_engine("sqlite://")
    table = sa.Table("d", sa.MetaData(), sa.Column("on", sa.Date()))
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(800)]
    with engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), [{"on": d} for d in days])
        for unit in ("day", "week", "month", "quarter", "year"):
            got = conn.execute(sa.select(bucket(table.c.on, unit, "sqlite", None))).scalars().all()  # type: ignore[arg-type]
            midnight = [datetime(d.year, d.month, d.day, tzinfo=UTC) for d in days]
            assert got == [_python(m, "UTC", unit) for m in midnight], unit
