"""The scheduler: starts executions of cron and date-field workflows when their time comes.

Each workflow's `last_at` (ds_schedules) moves forward in the same transaction that queues
its executions, so a run happens once even with several processes (PostgreSQL locks the row).
Runs that fell while no server was up are found from `last_at`: `run_once` starts one for them
all, `skip` drops them. A workflow seen for the first time (or just enabled) starts from now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.query import ListQuery
from deskbase.data.records import RecordService
from deskbase.kernel import tables as t
from deskbase.kernel.clock import aware
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.events import RecordEvents, queued_execution
from deskbase.kernel.types import JSONValue
from deskbase.workflow.triggers.schedules import DateFieldConfig, ScheduleConfig, parse_offset

__all__ = ["GRACE", "Scheduler", "Timed"]

log = logging.getLogger("deskbase.workflows")
GRACE = timedelta(seconds=60)  # a run this late is still on time, not "missed"
_S = t.schedules.c
MAX_FIRES = 100_000
PAGE = 500


@dataclass(frozen=True, slots=True)
class Timed:
    workflow_id: int
    version: int
    config: ScheduleConfig | DateFieldConfig


class Scheduler:
    def __init__(self, db: Database, records: RecordService, events: RecordEvents, *, interval: float = 1.0):
        self.db = db
        self.records = records
        self.events = events
        self.interval = interval
        self.timed: list[Timed] = []
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="deskbase-scheduler")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self.interval)

    async def tick(self, now: datetime | None = None) -> int:
        """Queue every run due by `now`; the number of executions queued."""
        now = now or datetime.now(UTC)
        queued = 0
        for timed in list(self.timed):
            try:
                queued += await self._one(timed, now)
            except Exception:  # one broken schedule never stops the others
                log.exception("Schedule of workflow %s failed", timed.workflow_id)
        if queued:
            self.events.wakeup.set()
        return queued

    async def _one(self, timed: Timed, now: datetime) -> int:
        async with self.db.write() as conn:
            query = sa.select(_S.last_at).where(_S.workflow_id == timed.workflow_id)
            if self.db.is_postgres:
                query = query.with_for_update()
            last = (await conn.execute(query)).scalar_one_or_none()
            if last is None:
                await conn.execute(t.schedules.insert().values(workflow_id=timed.workflow_id, last_at=now))
                return 0
            last = aware(last)
            if now <= last:
                return 0
            if isinstance(timed.config, ScheduleConfig):
                triggers = await self._cron(timed.config, last, now)
            else:
                triggers = await self._dates(timed.config, last, now)
            await conn.execute(
                t.schedules.update().where(_S.workflow_id == timed.workflow_id).values(last_at=now)
            )
            await _queue(conn, timed, triggers, now)
        return len(triggers)

    async def _cron(
        self, config: ScheduleConfig, last: datetime, now: datetime
    ) -> list[dict[str, JSONValue]]:
        fire = config.next_after(last)
        if fire > now:
            return []
        latest, count = fire, 1
        while count < MAX_FIRES:
            following = config.next_after(latest)
            if following > now:
                break
            latest, count = following, count + 1
        missed = now - latest > GRACE or count > 1
        if missed and config.missed == "skip":
            log.info("Skipped %d missed run(s) of a schedule (%s)", count, config.cron)
            return []
        base: dict[str, JSONValue] = {
            "scheduled_at": latest.isoformat(),
            "missed_runs": count - 1 if missed else 0,
        }
        if config.collection is None:
            return [base]
        return [{**base, "record": r} for r in await self._records(config.collection, config.filter)]

    async def _dates(
        self, config: DateFieldConfig, last: datetime, now: datetime
    ) -> list[dict[str, JSONValue]]:
        offset = parse_offset(config.offset) or timedelta()
        start = last if config.missed == "run_once" else max(last, now - GRACE)
        coll = self.records.catalog.get(config.collection)
        zone = ZoneInfo(config.timezone or self.records.timezone)
        dated = coll.fields[config.field].value_kind == "date"
        low, high = (start - offset).astimezone(zone), (now - offset).astimezone(zone)
        # A date fires at its midnight (in `zone`) plus the offset: low < midnight(d) <= high
        # holds exactly for low's date < d <= high's date.
        window: list[JSONValue] = [
            {config.field: {"$gt": low.date().isoformat() if dated else low.isoformat()}},
            {config.field: {"$lte": high.date().isoformat() if dated else high.isoformat()}},
        ]
        if config.condition is not None:
            window.append(config.condition)
        out: list[dict[str, JSONValue]] = []
        for record in await self._records(config.collection, {"$and": window}):
            value = record.get(config.field)
            due = None
            if isinstance(value, str):
                moment = datetime.fromisoformat(value)
                if dated:
                    moment = moment.replace(tzinfo=zone)
                due = (moment + offset).isoformat()
            out.append({"record": record, "due_at": due})
        return out

    async def _records(self, collection: str, flt: JSONValue) -> list[dict[str, JSONValue]]:
        ctx = RequestContext(Actor.system(), source="workflow")
        found: list[dict[str, JSONValue]] = []
        cursor: str | None = None
        while True:
            page: dict[str, Any] = await self.records.list_records(
                ctx, collection, ListQuery(filter=flt, page_size=PAGE, cursor=cursor)
            )
            found += page["data"]
            cursor = page["meta"].get("next_cursor")
            if not cursor:
                return found


async def _queue(
    conn: AsyncConnection, timed: Timed, triggers: list[dict[str, JSONValue]], now: datetime
) -> None:
    if triggers:
        await conn.execute(
            t.executions.insert(),
            [
                queued_execution(timed.workflow_id, timed.version, data, depth=0, actor_id=None, at=now)
                for data in triggers
            ],
        )  # fmt: skip
