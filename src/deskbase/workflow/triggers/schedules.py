"""Time triggers: a cron schedule (in a time zone, optionally once per record matching a
filter), and a date field ("1 hour before `due_at`", once per record). The Scheduler runs them;
`missed` says what happens to runs that fell while no server was up: `run_once` or `skip`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cronsim import CronSim, CronSimError
from pydantic import Field

from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.workflow.triggers.base import TriggerConfig, TriggerType

__all__ = ["DateFieldTrigger", "ScheduleTrigger", "parse_offset"]

Missed = Literal["run_once", "skip"]
_OFFSET = re.compile(r"^([+-]?)(\d{1,6})([smhdw])$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_offset(value: str | int) -> timedelta | None:
    """`-1h`, `30m`, `2d`, or seconds; None if it is not one of these."""
    if isinstance(value, int):
        return timedelta(seconds=value)
    match = _OFFSET.match(value.strip())
    if match is None:
        return None
    sign = -1 if match.group(1) == "-" else 1
    return timedelta(seconds=sign * int(match.group(2)) * _UNITS[match.group(3)])


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


class ScheduleConfig(TriggerConfig):
    cron: str = Field(min_length=1, max_length=200)  # "0 9 * * 1-5"
    timezone: str = "UTC"
    missed: Missed = "run_once"
    collection: str | None = None  # with `filter`: one execution per matching record
    filter: JSONValue = None

    def next_after(self, moment: datetime) -> datetime:
        zone = _zone(self.timezone) or ZoneInfo("UTC")
        return next(CronSim(self.cron, moment.astimezone(zone)))


class ScheduleTrigger(TriggerType[ScheduleConfig]):
    key = "schedule"
    Config = ScheduleConfig

    def check(self, config: ScheduleConfig, catalog: Catalog) -> list[tuple[str, str]]:
        problems = []
        try:
            CronSim(config.cron, datetime(2026, 1, 1))
        except CronSimError as exc:
            problems.append(("trigger.cron", f"not a cron expression: {exc}"))
        if _zone(config.timezone) is None:
            problems.append(("trigger.timezone", f"unknown time zone {config.timezone!r}"))
        if config.collection is not None and config.collection not in catalog:
            problems.append(("trigger.collection", f"no collection {config.collection!r}"))
        if config.filter is not None and config.collection is None:
            problems.append(("trigger.filter", "a filter needs a collection"))
        return problems


class DateFieldConfig(TriggerConfig):
    collection: str = Field(min_length=1, max_length=64)
    field: str = Field(min_length=1, max_length=64)
    offset: str | int = "0s"  # "-1h": an hour before the field's time
    condition: JSONValue = None
    missed: Missed = "run_once"
    # A date field (no time) counts from midnight in this zone ("9h": at 9:00 on the day,
    # "-15h": at 9:00 the day before); None: the server's time zone.
    timezone: str | None = None


class DateFieldTrigger(TriggerType[DateFieldConfig]):
    key = "date_field"
    Config = DateFieldConfig

    def check(self, config: DateFieldConfig, catalog: Catalog) -> list[tuple[str, str]]:
        problems = []
        if parse_offset(config.offset) is None:
            problems.append(("trigger.offset", "like -1h, 30m, 2d, or a number of seconds"))
        coll = catalog.find(config.collection)
        if coll is None:
            return [*problems, ("trigger.collection", f"no collection {config.collection!r}")]
        fld = coll.fields.get(config.field)
        if fld is None or fld.value_kind not in ("date", "datetime") or fld.column is None:
            problems.append(
                ("trigger.field", f"{config.field!r} is not a date or date-time field of {coll.name}")
            )
        if config.timezone is not None and _zone(config.timezone) is None:
            problems.append(("trigger.timezone", f"unknown time zone {config.timezone!r}"))
        return problems
