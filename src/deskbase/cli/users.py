"""`deskbase user create | list | deactivate`: users, from the server's shell."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from deskbase.app import App
from deskbase.cli.running import cli_context, console, run_app
from deskbase.identity.payloads import UserIn, UserPatch
from deskbase.kernel.context import ADMIN_ROLE

__all__ = ["user_cli"]

user_cli = typer.Typer(help="Users.", no_args_is_help=True)


@user_cli.command("create")
def user_create(
    email: Annotated[str, typer.Argument(help="Sign-in email")],
    password: Annotated[
        str,
        typer.Option(help="At least 8 characters with a letter and a digit", prompt=True, hide_input=True),
    ],
    name: Annotated[str, typer.Option(help="Display name")] = "",
    role: Annotated[
        list[str] | None, typer.Option("--role", help="A role (repeat for several; the first is the default)")
    ] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Give the user the admin role")] = False,
) -> None:
    """Create a user; without --role or --admin they get the `member` role."""
    roles = list(role or [])
    if admin and ADMIN_ROLE not in roles:
        roles.append(ADMIN_ROLE)

    async def go(app: App) -> None:
        body = UserIn(email=email, password=password, name=name, roles=roles)
        user = await app.identity.users.create_user(cli_context(), body)
        console.print(f"Created user {user.id} <{user.email}> with roles {', '.join(user.roles)}")

    run_app(go)


@user_cli.command("list")
def user_list() -> None:
    """Every user with their roles (the default first) and departments."""

    async def go(app: App) -> None:
        table = Table()
        for column in ("id", "email", "name", "roles", "departments", "active"):
            table.add_column(column)
        for u in await app.identity.users.list_users(cli_context()):
            table.add_row(
                str(u.id),
                u.email,
                u.name,
                ", ".join(u.roles),
                ", ".join(d.name for d in u.departments),
                "yes" if u.active else "no",
            )
        console.print(table)

    run_app(go)


@user_cli.command("deactivate")
def user_deactivate(email: Annotated[str, typer.Argument(help="The user's email")]) -> None:
    """Deactivate a user: they cannot sign in, and their sessions and API keys end."""

    async def go(app: App) -> None:
        ctx = cli_context()
        user = await app.identity.users.get_user_by_email(ctx, email)
        await app.identity.users.update_user(ctx, user.id, UserPatch(active=False))
        console.print(f"Deactivated {user.email}; their sessions and API keys ended")

    run_app(go)
