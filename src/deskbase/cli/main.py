"""`deskbase serve | db | user | role | workflow | import | export`: the command line (typer)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
import uvicorn

from deskbase.api import create_api
from deskbase.app import App
from deskbase.cli.analyze import analyze_command
from deskbase.cli.demo import install_demo
from deskbase.cli.export import export_command
from deskbase.cli.imports import import_command
from deskbase.cli.roles import role_cli
from deskbase.cli.running import console, run_app
from deskbase.cli.users import user_cli
from deskbase.cli.workflows import workflow_cli
from deskbase.migrations import upgrade

__all__ = ["main"]

cli = typer.Typer(
    help="Deskbase: a low-code platform for work orders and case management.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")
cli.add_typer(role_cli, name="role")
cli.add_typer(workflow_cli, name="workflow")
db_cli.command("analyze")(analyze_command)
cli.command("export")(export_command)
cli.command("import")(import_command)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    demo: Annotated[bool, typer.Option(help="Create the demo workspace if the database is empty")] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (PostgreSQL only: SQLite runs in one)")
    ] = 1,
) -> None:
    """Start the HTTP server (the API at /api)."""
    app = App()
    s = app.settings
    if workers > 1 and not app.db.is_postgres:
        console.print(
            "[red]--workers above 1 needs PostgreSQL[/red] (DESKBASE_DATABASE_URL): SQLite runs one process"
        )
        raise typer.Exit(2)
    if demo or workers > 1:  # (several processes: migrated and set up once, before they start)
        asyncio.run(_prepare(app, demo=demo))
    console.print(
        f"Deskbase on [bold]http://{host}:{port}[/bold] (API docs at /api/docs), data in {s.data_dir}"
        + (f", {workers} processes" if workers > 1 else "")
    )
    if s.admin_email:
        console.print(f"Sign in as [bold]{s.admin_email}[/bold] with the password in DESKBASE_ADMIN_PASSWORD")
    if workers > 1:
        uvicorn.run(
            "deskbase.api.app:create_api_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            access_log=False,
        )
    else:
        uvicorn.run(create_api(app), host=host, port=port, log_level="info", access_log=False)


async def _prepare(app: App, *, demo: bool) -> None:
    await app.start()
    try:
        if demo and await install_demo(app):
            console.print("Created the demo workspace (customers, tags, tickets, ticket_repair)")
    finally:
        await app.stop()


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Apply the system-table migrations."""
    run_app(lambda app: upgrade(app.db), start=False)
    console.print("Database is up to date")


def main() -> None:
    cli()
