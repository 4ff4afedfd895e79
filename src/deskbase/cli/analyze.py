"""`deskbase db analyze COLLECTION [--create]`: slow list-query shapes and the index for each.

It reads what running servers wrote to ds_query_stats (every 30 seconds and when they stop).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from deskbase.app import App
from deskbase.data.stats import analyze_shapes, load_stats
from deskbase.kernel.errors import AppError
from deskbase.kernel.types import JSONValue
from deskbase.schema.indexes import IndexIn

__all__ = ["analyze_command"]

console = Console(width=160)


def analyze_command(
    collection: Annotated[str, typer.Argument(help="The collection whose list queries to analyze")],
    create: Annotated[
        bool, typer.Option("--create", help="Create the index suggested for the costliest unserved shape")
    ] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many shapes")] = 20,
) -> None:
    """Report list-query shapes by total time, with the composite index that would serve each."""
    try:
        asyncio.run(_analyze(collection, create, limit))
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for err in exc.errors:
            console.print(f"  {err.field}: {err.message}")
        raise typer.Exit(1) from None


async def _analyze(collection: str, create: bool, limit: int) -> None:
    app = App()
    try:
        await app.start()
        coll = app.catalog.get(collection)
        composite = [(r.name, list(r.fields)) for r in app.indexes.list_indexes(collection)]
        report = analyze_shapes(coll, await load_stats(app.db, app.records.stats, collection), composite)
        if not report:
            console.print(f"No list queries of {collection!r} recorded yet.")
            return
        table = Table(title=f"List queries of {collection}, by total time")
        for column in ("filter", "sort", "count", "total ms", "avg ms", "max ms"):
            table.add_column(column, justify="left" if column in ("filter", "sort") else "right")
        table.add_column("suggested index")
        table.add_column("served by")
        for item in report[:limit]:
            table.add_row(
                _filter(item["shape"]),
                _names(item["shape"], "sort") or "-",
                str(item["count"]),
                f"{item['total_ms']:.1f}",
                f"{item['avg_ms']:.2f}",
                f"{item['max_ms']:.1f}",
                _list(item["suggested_index"]) or "-",
                _served(item),
            )
        console.print(table)
        if create:
            await _create(app, collection, report)
    finally:
        await app.stop()


async def _create(app: App, collection: str, report: list[dict[str, JSONValue]]) -> None:
    for item in report:
        fields = item["suggested_index"]
        if item["served_by"] is None and isinstance(fields, list) and fields:
            row = await app.indexes.create_index(collection, IndexIn(fields=[str(f) for f in fields]))
            console.print(f"Created index [bold]{row.name}[/bold] on {collection} ({', '.join(row.fields)})")
            return
    console.print("Every recorded shape is served by an index already; nothing to create.")


def _names(shape: JSONValue, key: str) -> str:
    values = shape.get(key) if isinstance(shape, dict) else None
    return ", ".join(str(v) for v in values) if isinstance(values, list) else ""


def _list(value: JSONValue) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else ""


def _served(item: dict[str, JSONValue]) -> str:
    if not item["suggested_index"]:
        return "-"
    return str(item["served_by"] or "[yellow]none[/yellow]")


def _filter(shape: JSONValue) -> str:
    """`status (equality), priority (range), q=`."""
    parts = [
        f"{name} ({key})"
        for key in ("equality", "range", "text", "other")
        for name in _names(shape, key).split(", ")
        if name
    ]
    if isinstance(shape, dict) and shape.get("search"):
        parts.append("q=")
    return ", ".join(parts) or "-"
