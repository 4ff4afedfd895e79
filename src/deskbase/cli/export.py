"""`deskbase export COLLECTION FILE`: a filtered, sorted list to CSV or XLSX, with a progress bar."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from deskbase.app import App
from deskbase.data.export import ExportQuery, Format
from deskbase.data.query import parse_filter_param, parse_list, parse_sort
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.errors import AppError, FieldError, ValidationFailed

__all__ = ["export_command"]

console = Console(stderr=True)


def export_command(
    collection: Annotated[str, typer.Argument(help="Collection to export")],
    file: Annotated[Path, typer.Argument(help="Output file (.csv or .xlsx)", dir_okay=False)],
    format: Annotated[
        str | None, typer.Option("--format", help="csv or xlsx (default: from the file name)")
    ] = None,
    filter: Annotated[str | None, typer.Option(help='JSON filter, e.g. {"status": "open"}')] = None,
    sort: Annotated[str | None, typer.Option(help="e.g. -created_at,priority")] = None,
    fields: Annotated[str | None, typer.Option(help="Columns in order, e.g. title,status")] = None,
    header: Annotated[str, typer.Option(help="Header row: title or name")] = "title",
) -> None:
    """Export records to a CSV (UTF-8 with BOM) or XLSX file."""
    try:
        kind = _format(format, file)
        style = _header(header)
        query = ExportQuery(
            format=kind,
            filter=parse_filter_param(filter),
            sort=parse_sort(sort),
            fields=parse_list(fields) or None,
            header=style,
        )
        rows = asyncio.run(_export(collection, file, query))
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for err in exc.errors:
            console.print(f"  {err.field}: {err.message}")
        raise typer.Exit(1) from None
    console.print(f"Exported {rows:,} {collection} records to {file}")


async def _export(name: str, file: Path, query: ExportQuery) -> int:
    app = App()
    try:
        await app.start()
        ctx = RequestContext(actor=Actor.system(), source="cli")
        export = app.exports.prepare(ctx, name, query)
        total = await app.exports.count(export)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        rows = 0
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(f"{name} → {file.name}", total=total)

            def progress(done: int) -> None:
                nonlocal rows
                rows = done
                bar.update(task, completed=done)

            if query.format == "xlsx":
                return await app.exports.xlsx(export, file, progress)
            with file.open("wb") as out:
                async for piece in app.exports.csv(export, progress):
                    out.write(piece)
        return rows
    finally:
        await app.stop()


def _format(value: str | None, file: Path) -> Format:
    kind = (value or file.suffix.lstrip(".") or "csv").lower()
    if kind == "csv":
        return "csv"
    if kind == "xlsx":
        return "xlsx"
    raise ValidationFailed(
        f"Unknown format {kind!r}: use csv or xlsx",
        errors=[FieldError("format", "csv or xlsx", "invalid_choice")],
    )


def _header(value: str) -> Literal["title", "name"]:
    if value == "title":
        return "title"
    if value == "name":
        return "name"
    raise ValidationFailed(
        f"Unknown header style {value!r}: use title or name",
        errors=[FieldError("header", "title or name", "invalid_choice")],
    )
