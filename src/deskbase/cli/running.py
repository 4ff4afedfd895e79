"""Running one command against a started App, with errors printed the way a user reads them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

from deskbase.app import App
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.errors import AppError
from deskbase.kernel.settings import Settings

__all__ = ["cli_context", "console", "run_app"]

console = Console()
T = TypeVar("T")


def cli_context() -> RequestContext:
    """Commands act as the system (an administrator); the audit log names the source `cli`."""
    return RequestContext(actor=Actor.system(), source="cli")


def run_app(fn: Callable[[App], Awaitable[T]], *, start: bool = True) -> T:
    """Run `fn(app)` on a new App (started unless `start` is False); an AppError exits with 1."""

    async def go() -> T:
        # Commands run no workflows: the server's workers do (and resume what they left).
        app = App(Settings().model_copy(update={"workflow_workers": 0}))
        try:
            if start:
                await app.start()
            return await fn(app)
        finally:
            await app.stop()

    try:
        return asyncio.run(go())
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        for err in exc.errors:
            line = f"{err.field}: {err.message}"
            if line not in exc.detail:
                console.print(f"  {line}")
        raise typer.Exit(1) from None
