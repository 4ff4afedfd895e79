"""`deskbase workflow list | show | create | enable | disable | executions`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from deskbase.app import App
from deskbase.cli.running import cli_context, console, run_app

__all__ = ["workflow_cli"]

workflow_cli = typer.Typer(help="Workflows.", no_args_is_help=True)


@workflow_cli.command("list")
def workflow_list() -> None:
    """Every workflow, with its trigger and version."""

    async def go(app: App) -> None:
        table = Table()
        for column in ("id", "name", "enabled", "version", "trigger", "nodes"):
            table.add_column(column)
        for wf in await app.workflows.list(cli_context()):
            assert isinstance(wf, dict)
            trigger = wf["trigger"]
            kind = trigger.get("type") if isinstance(trigger, dict) else ""
            nodes = wf["nodes"]
            count = len(nodes) if isinstance(nodes, list) else 0
            on = "yes" if wf["enabled"] else "no"
            table.add_row(str(wf["id"]), str(wf["name"]), on, str(wf["version"]), str(kind), str(count))
        console.print(table)

    run_app(go)


@workflow_cli.command("show")
def workflow_show(workflow_id: Annotated[int, typer.Argument(help="The workflow's id")]) -> None:
    """The workflow as JSON (the wire format)."""

    async def go(app: App) -> None:
        console.print_json(json.dumps(await app.workflows.get(cli_context(), workflow_id)))

    run_app(go)


@workflow_cli.command("create")
def workflow_create(
    file: Annotated[Path, typer.Argument(help="A JSON file in the wire format", exists=True)],
) -> None:
    """Create a workflow from a JSON file."""
    try:
        raw: Any = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        console.print(f"[red]{file} is not valid JSON: {exc}[/red]")
        raise typer.Exit(1) from None

    async def go(app: App) -> None:
        wf = await app.workflows.create(cli_context(), raw if isinstance(raw, dict) else {})
        console.print(
            f"Created workflow {wf['id']} ({wf['name']}), {'enabled' if wf['enabled'] else 'disabled'}"
        )

    run_app(go)


def _switch(workflow_id: int, enabled: bool) -> None:
    async def go(app: App) -> None:
        wf = await app.workflows.update(cli_context(), workflow_id, {"enabled": enabled})
        console.print(f"Workflow {wf['id']} ({wf['name']}) is {'enabled' if enabled else 'disabled'}")

    run_app(go)


@workflow_cli.command("enable")
def workflow_enable(workflow_id: Annotated[int, typer.Argument(help="The workflow's id")]) -> None:
    """Enable a workflow."""
    _switch(workflow_id, True)


@workflow_cli.command("disable")
def workflow_disable(workflow_id: Annotated[int, typer.Argument(help="The workflow's id")]) -> None:
    """Disable a workflow (executions under way finish)."""
    _switch(workflow_id, False)


@workflow_cli.command("executions")
def workflow_executions(
    workflow_id: Annotated[int, typer.Argument(help="The workflow's id")],
    limit: Annotated[int, typer.Option(help="How many, newest first")] = 20,
) -> None:
    """The latest executions and their nodes' statuses."""

    async def go(app: App) -> None:
        page = await app.workflows.executions(cli_context(), workflow_id, limit=limit)
        table = Table()
        for column in ("id", "version", "status", "started", "nodes", "error"):
            table.add_column(column)
        data = page["data"]
        assert isinstance(data, list)
        for ex in data:
            assert isinstance(ex, dict)
            nodes = ex["nodes"]
            steps = (
                " → ".join(f"{n['key']}:{n['status']}" for n in nodes if isinstance(n, dict))
                if isinstance(nodes, list)
                else ""
            )
            table.add_row(str(ex["id"]), str(ex["version"]), str(ex["status"]), str(ex["started_at"] or ""),
                          steps, str(ex["error"] or ""))  # fmt: skip
        console.print(table)

    run_app(go)
