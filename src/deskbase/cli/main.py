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
) -> None:
    """Start the HTTP server (the API at /api)."""
    app = App()
    if demo:
        asyncio.run(_prepare_demo(app))
    s = app.settings
    console.print(
        f"Deskbase on [bold]http://{host}:{port}[/bold] (API docs at /api/docs), data in {s.data_dir}"
    )
    if s.admin_email:
        console.print(f"Sign in as [bold]{s.admin_email}[/bold] with the password in DESKBASE_ADMIN_PASSWORD")
    uvicorn.run(create_api(app), host=host, port=port, log_level="info", access_log=False)


async def _prepare_demo(app: App) -> None:
    await app.start()
    try:
        created = await install_demo(app)
        if created:
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
