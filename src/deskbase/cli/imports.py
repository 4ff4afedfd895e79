"""`deskbase import COLLECTION FILE`: a CSV or XLSX file into a collection, in this process,
with a progress bar (rows done of total, rate). Ctrl-C rolls the import back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Any, cast

import orjson
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from deskbase.app import App
from deskbase.data.imports import ImportOptions, ImportPlan, ImportReport
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.errors import AppError, FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue

__all__ = ["import_command"]

console = Console(stderr=True)
_MODES = ("all_or_nothing", "skip_invalid")
_SHOWN_ERRORS = 20


class _Bar:
    """The import's progress, drawn by rich."""

    def __init__(self, bar: Progress, task: TaskID) -> None:
        self.bar, self.task = bar, task

    async def progress(
        self, done: int, total: int | None, errors: list[dict[str, JSONValue]], error_count: int
    ) -> None:
        rate = self.bar.tasks[0].speed
        label = f"{rate:,.0f} rows/s" if rate else ""
        self.bar.update(self.task, completed=done, total=total, rate=label, errors=error_count)

    def check(self) -> None:
        return None


def _options(key: str | None, dry_run: bool, mode: str, mapping: str | None, timezone: str) -> ImportOptions:
    if mode not in _MODES:
        raise ValidationFailed(
            f"--mode must be one of {', '.join(_MODES)}", errors=[FieldError("mode", "unknown mode")]
        )
    parsed: Any = None
    if mapping:
        try:
            parsed = orjson.loads(mapping)
        except orjson.JSONDecodeError:
            parsed = []
        if not isinstance(parsed, dict):
            raise ValidationFailed(
                '--mapping must be a JSON object such as {"Customer": "customer.name"}',
                errors=[FieldError("mapping", "a JSON object")],
            )
    return ImportOptions(parsed, key, cast(Any, mode), dry_run, timezone=timezone)


async def _import(collection: str, file: Path, options: ImportOptions) -> tuple[ImportPlan, ImportReport]:
    app = App()
    try:
        await app.start()
        ctx = RequestContext(actor=Actor.system(), source="cli")
        plan = await asyncio.to_thread(app.imports.open, collection, file, file.name, options)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task(f"Importing {file.name}", total=None, rate="", errors=0)
            report = await app.imports.run(ctx, plan, _Bar(bar, task))
        return plan, report
    finally:
        await app.stop()


def _show(plan: ImportPlan, report: ImportReport) -> bool:
    for item in plan.mapping.ignored:
        console.print(f"[yellow]Ignored column {item['column']!r}: {item['reason']}[/yellow]")
    for error in report.errors[:_SHOWN_ERRORS]:
        console.print(f"  row {error.row}, {error.column or error.field}: {error.message}")
    if report.error_count > _SHOWN_ERRORS:
        console.print(f"  … and {report.error_count - _SHOWN_ERRORS} more")
    succeeded, message = report.summary(plan)
    console.print(f"[{'green' if succeeded else 'red'}]{message}[/]")
    return succeeded


def import_command(
    collection: Annotated[str, typer.Argument(help="Collection to import into")],
    file: Annotated[
        Path, typer.Argument(help="A .csv (UTF-8 or GB18030) or .xlsx file", exists=True, dir_okay=False)
    ],
    key: Annotated[
        str | None, typer.Option(help="A unique field: rows whose value exists update that record")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check everything, write nothing")] = False,
    mode: Annotated[str, typer.Option(help="all_or_nothing or skip_invalid")] = "all_or_nothing",
    mapping: Annotated[
        str | None, typer.Option(help='JSON: {"column header": "field" | "relation.key" | null}')
    ] = None,
    timezone: Annotated[str, typer.Option(help="Time zone of date-times without an offset")] = "UTC",
) -> None:
    """Import a CSV or XLSX file into a collection (one transaction; nothing is written on failure)."""
    try:
        options = _options(key, dry_run, mode, mapping, timezone)
        plan, report = asyncio.run(_import(collection, file, options))
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for err in exc.errors:
            console.print(f"  {err.field}: {err.message}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        console.print("[red]Interrupted: nothing was imported[/red]")
        raise typer.Exit(130) from None
    if not _show(plan, report):
        raise typer.Exit(1)
