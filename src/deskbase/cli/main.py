"""`deskbase serve | db upgrade | user create`: the command line, built with typer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer
import uvicorn
from rich.console import Console

from deskbase.api import create_api
from deskbase.app import App
from deskbase.cli.analyze import analyze_command
from deskbase.cli.demo import install_demo
from deskbase.cli.export import export_command
from deskbase.cli.imports import import_command
from deskbase.kernel.errors import AppError
from deskbase.migrations import upgrade

__all__ = ["main"]

cli = typer.Typer(
    help="Deskbase: a low-code platform for work orders and case management.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database maintenance.", no_args_is_help=True)
user_cli = typer.Typer(help="Users.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(user_cli, name="user")
db_cli.command("analyze")(analyze_command)
cli.command("export")(export_command)
cli.command("import")(import_command)
console = Console()
T = TypeVar("T")


def _run(fn: Callable[[App], Awaitable[T]]) -> T:
    async def go() -> T:
        app = App()
        try:
            return await fn(app)
        finally:
            await app.stop()

    try:
        return asyncio.run(go())
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for err in exc.errors:
            console.print(f"  {err.field}: {err.message}")
        raise typer.Exit(1) from None


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
    _run(lambda app: upgrade(app.db))
    console.print("Database is up to date")


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Sign-in email")],
    password: Annotated[str, typer.Option(help="At least 8 characters", prompt=True, hide_input=True)],
    name: Annotated[str, typer.Option(help="Display name")] = "",
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator")] = False,
) -> None:
    """Create a user."""

    async def go(app: App) -> None:
        await app.start()
        user = await app.identity.create_user(email, password, name, is_admin=admin)
        console.print(f"Created user {user.id} <{user.email}>{' (admin)' if admin else ''}")

    _run(go)


def main() -> None:
    cli()
