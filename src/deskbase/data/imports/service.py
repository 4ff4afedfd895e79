"""ImportService: a CSV or XLSX file into a collection, in batches, in one transaction.

Each batch is read and converted in a worker thread while the previous one is checked and
written, so reading overlaps the database's work. Every batch's valid rows are written
whatever the mode (later batches are checked against them); at the end the transaction
commits, or rolls back for a dry run, a cancel, or an all-or-nothing import with errors.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.access import Guard
from deskbase.data.filters import Restrict
from deskbase.data.imports.batch import Batch, convert_batch
from deskbase.data.imports.checks import (
    ImportState,
    check_missing,
    check_required,
    check_unique,
    find_targets,
    resolve_relations,
    select_in,
)
from deskbase.data.imports.extensions import ExtensionRows, Extensions
from deskbase.data.imports.links import Links
from deskbase.data.imports.plan import ImportOptions, ImportPlan, ImportReport, Progress, open_plan
from deskbase.data.imports.writer import Writer
from deskbase.data.jobs import Job, JobHandle, JobOutcome, JobService
from deskbase.kernel.audit import Entry, record
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import UniqueViolation
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection
from deskbase.schema.search import deferred_search_inserts

__all__ = ["ImportService"]


class _Rollback(Exception):
    """Leaves the import's transaction without committing it."""


@dataclass(frozen=True, slots=True)
class _Access:
    """A role's rules for one import: related records it may link to, and the record scopes
    that new rows (create) and keyed rows (update) must fall in; None: no limit."""

    visible: Restrict | None = None
    create: sa.ColumnElement[bool] | None = None
    update: sa.ColumnElement[bool] | None = None

    @property
    def unlimited(self) -> bool:
        return self.visible is None and self.create is None and self.update is None


class ImportService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        jobs: JobService,
        guard: Guard,
        *,
        batch_size: int = 5000,
        max_errors: int = 1000,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.jobs = jobs
        self.guard = guard
        self.batch_size = batch_size
        self.max_errors = max_errors
        # Awaited after each batch, before the cancel check: lets tests pause an import.
        self.after_batch: Callable[[], Awaitable[None]] | None = None

    def open(self, name: str, path: Path, filename: str, options: ImportOptions) -> ImportPlan:
        """Open the file and check the mapping and options (blocking: call it in a thread)."""
        return open_plan(self.catalog, name, path, filename, options)

    async def start(
        self, ctx: RequestContext, name: str, path: Path, filename: str, options: ImportOptions
    ) -> Job:
        """Check the file and the options, then import in a background job. `path` is
        deleted when the job ends, or at once if the import cannot start."""
        try:
            self.guard.grant(ctx, self.catalog.get(name), "import")
            plan = await asyncio.to_thread(self.open, name, path, filename, options)
        except BaseException:
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        try:
            self._access(ctx, plan)
        except BaseException:
            plan.close()
            await asyncio.to_thread(path.unlink, missing_ok=True)
            raise
        params = {**options.to_json(), "filename": filename}

        async def work(handle: JobHandle) -> JobOutcome:
            report = await self.run(ctx, plan, handle)
            succeeded, message = report.summary(plan)
            return JobOutcome("succeeded" if succeeded else "failed", report.to_json(plan), message)

        def cleanup() -> None:
            plan.close()
            path.unlink(missing_ok=True)

        try:
            return await self.jobs.submit(ctx, "import", name, params, work, cleanup)
        except BaseException:
            cleanup()
            raise

    def _access(self, ctx: RequestContext, plan: ImportPlan) -> _Access:
        """Refuse (403) an import the role may not run or columns it may not write."""
        coll = plan.collection
        grant = self.guard.grant(ctx, coll, "import")
        paths = [c.path for c in plan.mapping.columns]
        grant.forbidden(paths, "mapping")
        update = None
        if plan.options.key is not None:
            update = self.guard.grant(ctx, coll, "update")
            update.forbidden(paths, "mapping")
        if grant.unrestricted:
            return _Access()
        return _Access(
            self.guard.restrict(ctx),
            self.guard.where(ctx, grant),
            self.guard.where(ctx, update) if update is not None else None,
        )

    async def run(self, ctx: RequestContext, plan: ImportPlan, progress: Progress) -> ImportReport:
        """Import the whole file in one transaction; the plan's file is closed at the end."""
        report = ImportReport()
        try:
            access = self._access(ctx, plan)
            total = await asyncio.to_thread(plan.source.count)
            await progress.progress(0, total, [], 0)
            with contextlib.suppress(_Rollback):
                await self._transaction(ctx, plan, progress, report, total, access)
        except IntegrityError as exc:
            raise UniqueViolation(
                "The import conflicts with records written meanwhile (a unique value or a reference); "
                "nothing was imported"
            ) from exc
        finally:
            plan.close()
        return report

    async def _transaction(
        self,
        ctx: RequestContext,
        plan: ImportPlan,
        progress: Progress,
        report: ImportReport,
        total: int | None,
        access: _Access,
    ) -> None:
        coll, opts = plan.collection, plan.options
        async with self.db.write() as conn, self.db.read() as reader:
            # The first statement also opens the transaction that a COPY then joins.
            max_id = (await conn.execute(sa.select(sa.func.max(coll.table.c.id)))).scalar_one()
            state = ImportState(int(max_id or 0))
            writer = Writer(ctx, coll, plan.mapping, conn.dialect)
            extensions = Extensions(ctx, coll, plan.mapping, conn.dialect, writer)
            links = Links(coll, plan.mapping)
            streams = _streams(plan, writer, extensions, links) and access.unlimited
            lane = _Lane()
            pending = self._next(plan)
            # Pure inserts index their text in one pass at the end instead of row by row.
            deferred = deferred_search_inserts(conn, coll) if opts.key is None else contextlib.nullcontext()
            async with deferred:
                try:
                    while (batch := await pending) is not None:
                        pending = self._next(plan)  # read and convert the next batch meanwhile
                        if streams:
                            await self._stream(conn, reader, plan, batch, writer, report, lane)
                        else:
                            await lane.settle()
                            await self._write(
                                conn, plan, batch, state, (writer, extensions, links), report, access
                            )
                        await progress.progress(
                            report.rows,
                            max(total or 0, report.rows),
                            [e.to_json() for e in report.errors],
                            report.error_count,
                        )
                        if self.after_batch is not None:
                            await self.after_batch()
                        progress.check()
                    await lane.settle()
                finally:
                    await lane.abandon()
                    with contextlib.suppress(Exception):
                        await pending  # the worker thread is done with the file before it is closed
            errors = [e.to_json() for e in report.errors]
            await progress.progress(report.rows, report.rows, errors, report.error_count)  # the exact total
            if opts.dry_run or (report.error_count and opts.mode == "all_or_nothing"):
                raise _Rollback
            await record(
                conn,
                ctx,
                Entry(
                    "record.import",
                    coll.name,
                    detail={
                        "created": report.created,
                        "updated": report.updated,
                        "skipped": report.skipped,
                        "key": opts.key,
                    },
                ),
            )
            report.committed = True

    async def _stream(
        self,
        conn: AsyncConnection,
        reader: AsyncConnection,
        plan: ImportPlan,
        batch: Batch,
        writer: Writer,
        report: ImportReport,
        lane: _Lane,
    ) -> None:
        """A batch of new records that needs nothing of the import's own table: related keys are
        looked up on another connection and rows encoded while the previous batch is written."""
        coll, mapping = plan.collection, plan.mapping
        check_required(coll, mapping, batch)
        await resolve_relations(reader, self.catalog, mapping, batch)
        check_missing(coll, mapping, batch, list(writer.defaults))
        good = batch.good()
        prepared = await writer.prepare(conn, batch, good)  # no auto numbers here: conn is not used
        await lane.settle()
        lane.start(writer.send(conn, prepared))
        _count(report, batch, len(good), 0, self.max_errors)

    def _next(self, plan: ImportPlan) -> asyncio.Future[Batch | None]:
        def produce() -> Batch | None:
            rows = plan.source.read(self.batch_size)
            return None if rows is None else convert_batch(plan.mapping, plan.converters, *rows)

        return asyncio.ensure_future(asyncio.to_thread(produce))

    async def _write(
        self,
        conn: AsyncConnection,
        plan: ImportPlan,
        batch: Batch,
        state: ImportState,
        writers: tuple[Writer, Extensions, Links],
        report: ImportReport,
        access: _Access,
    ) -> None:
        coll, mapping = plan.collection, plan.mapping
        writer, extensions, links = writers
        check_required(coll, mapping, batch)
        await resolve_relations(conn, self.catalog, mapping, batch, access.visible)
        await find_targets(conn, coll, mapping, batch, state, access.update)
        check_missing(coll, mapping, batch, list(writer.defaults))
        await check_unique(conn, coll, mapping, batch)
        ext_rows = await extensions.check(conn, batch)
        while True:
            good = batch.good()
            inserts = [i for i in good if batch.targets[i] is None]
            updates = [i for i in good if batch.targets[i] is not None]
            needs_ids = (extensions.active or links.active or access.create is not None) and inserts
            async with conn.begin_nested() if access.create is not None else contextlib.nullcontext() as step:
                new_ids = await writer.reserve_ids(conn, len(inserts)) if needs_ids else None
                await writer.insert(conn, batch, inserts, new_ids)
                updated = [i for i in (batch.targets[p] for p in updates) if i is not None]
                await writer.update(conn, batch, updates, updated)
                await extensions.write(conn, batch, ext_rows, dict(zip(inserts, new_ids or [], strict=False)))
                if links.active:
                    await links.write(conn, batch, inserts, new_ids or [], updates)
                outside = await _outside(conn, coll, access.create, inserts, new_ids or [])
                if not outside:
                    break
                # Rows that land outside the create scope fail; the batch is written again without them.
                for pos in outside:
                    batch.fail(pos, None, "outside the records your role may create", "outside_scope")
                _drop(ext_rows, set(outside))
                assert step is not None
                await step.rollback()
        state.updated.update(updated)
        _count(report, batch, len(inserts), len(updates), self.max_errors)


async def _outside(
    conn: AsyncConnection,
    coll: Collection,
    scope: sa.ColumnElement[bool] | None,
    positions: list[int],
    ids: list[int],
) -> list[int]:
    """Positions of the rows just inserted (as `ids`) that fall outside `scope`."""
    if scope is None or not ids:
        return []
    table = coll.table
    inside = {i for _, i in await select_in(conn, table.c.id, table.c.id, ids, scope)}
    return [pos for pos, new_id in zip(positions, ids, strict=True) if new_id not in inside]


def _drop(rows: ExtensionRows, positions: set[int]) -> None:
    for by_name in (rows.create, rows.update):
        for name, kept in by_name.items():
            by_name[name] = [p for p in kept if p not in positions]


def _count(report: ImportReport, batch: Batch, created: int, updated: int, max_errors: int) -> None:
    report.rows += len(batch)
    report.created += created
    report.updated += updated
    report.skipped += len(batch) - created - updated
    report.error_count += len(batch.errors)
    room = max(max_errors - len(report.errors), 0)
    report.errors += sorted(batch.errors, key=lambda e: e.row)[:room]


def _streams(plan: ImportPlan, writer: Writer, extensions: Extensions, links: Links) -> bool:
    """Whether batches can be written while the next is prepared: only new records, and no
    check that reads the import's own table (keys, unique values, self relations, numbers)."""
    coll, mapping = plan.collection, plan.mapping
    if mapping.key is not None or extensions.active or links.active or writer.sequences:
        return False
    for column in mapping.columns:
        rel = column.field.relation
        if (column.field.unique and column.owner is coll) or (
            rel is not None and (rel.target == coll.name or rel.target in coll.extensions)
        ):
            return False
    return True


class _Lane:
    """The one write in flight on the import's connection."""

    def __init__(self) -> None:
        self.task: asyncio.Task[None] | None = None

    def start(self, write: Coroutine[Any, Any, None]) -> None:
        self.task = asyncio.create_task(write)

    async def settle(self) -> None:
        """Wait for the write in flight (raising its error) before the connection is used again."""
        task, self.task = self.task, None
        if task is not None:
            await task

    async def abandon(self) -> None:
        """Let the write in flight finish, without raising its error: cancelling it mid-statement
        would leave the connection unusable, and its transaction (and SQLite's lock) open.
        The import then rolls back as a whole."""
        task, self.task = self.task, None
        if task is not None:
            await asyncio.wait({task})
            if not task.cancelled():
                task.exception()  # retrieved: the error that stopped the import is the one raised
