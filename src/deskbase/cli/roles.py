"""`deskbase role list | create | assign`: roles, from the server's shell."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from deskbase.app import App
from deskbase.cli.running import cli_context, console, run_app
from deskbase.identity.payloads import RoleIn, UserPatch

__all__ = ["role_cli"]

role_cli = typer.Typer(help="Roles.", no_args_is_help=True)


@role_cli.command("list")
def role_list() -> None:
    """Every role."""

    async def go(app: App) -> None:
        table = Table()
        for column in ("name", "title", "built-in", "description"):
            table.add_column(column)
        for r in await app.identity.roles.list_roles(cli_context()):
            table.add_row(r.name, r.title, "yes" if r.to_json()["builtin"] else "", r.description or "")
        console.print(table)

    run_app(go)


@role_cli.command("create")
def role_create(
    name: Annotated[str, typer.Argument(help="Lower-case identifier, e.g. agent")],
    title: Annotated[str | None, typer.Option(help="Display name")] = None,
    description: Annotated[str | None, typer.Option(help="What the role is for")] = None,
) -> None:
    """Create a role (it can do nothing until permissions are granted to it)."""

    async def go(app: App) -> None:
        role = await app.identity.roles.create_role(
            cli_context(), RoleIn(name=name, title=title, description=description)
        )
        console.print(f"Created role {role.name} ({role.title})")

    run_app(go)


@role_cli.command("assign")
def role_assign(
    email: Annotated[str, typer.Argument(help="The user's email")],
    role: Annotated[str, typer.Argument(help="The role to add")],
    default: Annotated[bool, typer.Option("--default", help="Make it the user's default role")] = False,
) -> None:
    """Give a user one more role."""

    async def go(app: App) -> None:
        ctx = cli_context()
        user = await app.identity.users.get_user_by_email(ctx, email)
        patch = UserPatch(roles=[*user.roles, role], default_role=role if default else None)
        user = await app.identity.users.update_user(ctx, user.id, patch)
        console.print(f"{user.email} has the roles {', '.join(user.roles)} (default {user.default_role})")

    run_app(go)
