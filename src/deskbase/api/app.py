"""Builds the FastAPI application around an App."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from deskbase import __version__
from deskbase.api.openapi import install_openapi
from deskbase.api.problem import install_problem_handlers
from deskbase.api.responses import JSONResponse
from deskbase.api.routes import (
    actions,
    api_keys,
    attachments,
    audit,
    auth,
    collections,
    departments,
    inbox,
    indexes,
    permissions,
    records,
    roles,
    system,
    users,
    workflows,
)
from deskbase.api.routes.aggregate import router as aggregate_router
from deskbase.api.routes.dashboards import router as dashboards_router
from deskbase.api.routes.export import router as export_router
from deskbase.api.routes.imports import router as imports_router
from deskbase.api.routes.jobs import router as jobs_router
from deskbase.api.routes.views import router as views_router
from deskbase.api.web import SinglePageApp
from deskbase.app import App

__all__ = ["create_api", "create_api_from_env"]


def create_api(app: App) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await app.start()
        # What start-up loaded lives as long as the process: out of the collector's way, so
        # that each collection scans only what requests allocate (about 2% of a request).
        gc.freeze()
        yield
        await app.stop()

    api = FastAPI(
        title="Deskbase",
        version=__version__,
        description="Run-time collections, records and more. Sign in with POST /api/auth/login.",
        openapi_url=None,  # served by install_openapi, per reader
        docs_url=None,
        redoc_url=None,
        default_response_class=JSONResponse,
        lifespan=lifespan,
    )
    api.state.deskbase = app
    install_problem_handlers(api)
    # Records first: routes are matched in order, and lists and writes are most of the traffic
    # (no path of the others overlaps theirs: a record id is an integer segment).
    api.include_router(records.router, prefix="/api")
    api.include_router(aggregate_router, prefix="/api")
    api.include_router(export_router, prefix="/api")
    api.include_router(imports_router, prefix="/api")
    api.include_router(jobs_router, prefix="/api")
    for module in (system, collections, indexes, audit, permissions, attachments):
        api.include_router(module.router, prefix="/api")
    for module in (auth, users, roles, departments, api_keys):  # identity
        api.include_router(module.router, prefix="/api")
    for module in (workflows, actions, inbox):
        api.include_router(module.router, prefix="/api")
    api.include_router(views_router, prefix="/api")
    api.include_router(dashboards_router, prefix="/api")
    install_openapi(api, app)
    web_dir = app.settings.resolved_web_dir
    if (web_dir / "index.html").is_file():  # built by `make web-build`; the API works without it
        api.add_middleware(SinglePageApp, directory=web_dir)
    return api


def create_api_from_env() -> FastAPI:
    """The application of one server process, its settings read from the environment
    (uvicorn's factory for `deskbase serve --workers N`: each process builds its own App)."""
    return create_api(App())
