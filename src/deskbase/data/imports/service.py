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
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from deskbase.data.imports.batch import Batch, convert_batch
from deskbase.data.imports.checks import (
    ImportState,
    check_missing,
    check_required,
    check_unique,
    find_targets,
    resolve_relations,
)
from deskbase.data.imports.extensions import Extensions
from deskbase.data.imports.links import Links
from deskbase.data.imports.plan import ImportOptions, ImportPlan, ImportReport, Progress, open_plan
from deskbase.data.imports.writer import Writer
from deskbase.data.jobs import Job, JobHandle, JobOutcome, JobService
from deskbase.kernel.context import RequestContext
from deskbase.kernel.db import Database
from deskbase.kernel.errors import UniqueViolation
from deskbase.schema.catalog import Catalog
from deskbase.schema.search import deferred_search_inserts

__all__ = ["ImportService"]


class _Rollback(Exception):
    """Leaves the import's transaction without committing it."""


class ImportService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        jobs: JobService,
        *,
        batch_size: int = 5000,
        max_errors: int = 1000,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.jobs = jobs
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
            plan = await asyncio.to_thread(self.open, name, path, filename, options)
        except BaseException:
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

    async def run(self, ctx: RequestContext, plan: ImportPlan, progress: Progress) -> ImportReport:
        """Import the whole file in one transaction; the plan's file is closed at the end."""
        report = ImportReport()
        try:
            total = await asyncio.to_thread(plan.source.count)
            await progress.progress(0, total, [], 0)
            with contextlib.suppress(_Rollback):
                await self._transaction(ctx, plan, progress, report, total)
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
    ) -> None:
        coll, opts = plan.collection, plan.options
        async with self.db.write() as conn, self.db.read() as reader:
            # The first statement also opens the transaction that a COPY then joins.
            max_id = (await conn.execute(sa.select(sa.func.max(coll.table.c.id)))).scalar_one()
            state = ImportState(int(max_id or 0))
            writer = Writer(ctx, coll, plan.mapping, conn.dialect)
            extensions = Extensions(ctx, coll, plan.mapping, conn.dialect, writer)
            links = Links(coll, plan.mapping)
            streams = _streams(plan, writer, extensions, links)
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
                            await self._write(conn, plan, batch, state, (writer, extensions, links), report)
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
    ) -> None:
        coll, mapping = plan.collection, plan.mapping
        writer, extensions, links = writers
        check_required(coll, mapping, batch)
        await resolve_relations(conn, self.catalog, mapping, batch)
        await find_targets(conn, coll, mapping, batch, state)
        check_missing(coll, mapping, batch, list(writer.defaults))
        await check_unique(conn, coll, mapping, batch)
        ext_rows = await extensions.check(conn, batch)
        good = batch.good()
        inserts = [i for i in good if batch.targets[i] is None]
        updates = [i for i in good if batch.targets[i] is not None]
        needs_ids = (extensions.active or links.active) and inserts
        new_ids = await writer.reserve_ids(conn, len(inserts)) if needs_ids else None
        await writer.insert(conn, batch, inserts, new_ids)
        updated = [i for i in (batch.targets[p] for p in updates) if i is not None]
        await writer.update(conn, batch, updates, updated)
        state.updated.update(updated)
        await extensions.write(conn, batch, ext_rows, dict(zip(inserts, new_ids or [], strict=False)))
        if links.active:
            await links.write(conn, batch, inserts, new_ids or [], updates)
        _count(report, batch, len(inserts), len(updates), self.max_errors)


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
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
        if task is not None:
            await asyncio.wait({task})
            if not task.cancelled():
                task.exception()  # retrieved: the error that stopped the import is the one raised
