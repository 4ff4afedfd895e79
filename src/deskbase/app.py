"""The App: settings, database, registries and services of one Deskbase instance.

It owns one registry per extension point, fills them with the built-in entries, and
freezes them before serving.
"""

from __future__ import annotations

import asyncio
from typing import Any

from deskbase.data.access import Guard
from deskbase.data.access.store import PermissionStore
from deskbase.data.aggregate import AggregateService
from deskbase.data.audit_log import AuditLog
from deskbase.data.export import ExportService
from deskbase.data.files import FileService
from deskbase.data.filters import Operator, builtin_operators
from deskbase.data.imports import ImportService
from deskbase.data.jobs import JobService
from deskbase.data.records import RecordService
from deskbase.data.stats import flush_periodically, stop_flushing
from deskbase.identity.service import IdentityService
from deskbase.kernel.changes import PERMISSIONS, SCHEMA, WORKFLOWS
from deskbase.kernel.db import Database
from deskbase.kernel.events import RecordEvents
from deskbase.kernel.registry import Registry
from deskbase.kernel.settings import Settings
from deskbase.migrations import upgrade
from deskbase.schema.catalog import Catalog
from deskbase.schema.field_types import builtin_field_types
from deskbase.schema.field_types.base import FieldType
from deskbase.schema.indexes import IndexService
from deskbase.schema.search import ensure_search_indexes
from deskbase.schema.service import SchemaService
from deskbase.views import BlockChecker, BlockType, DashboardService, ViewService, builtin_block_types
from deskbase.workflow import (
    Engine,
    InboxService,
    Services,
    Workers,
    WorkflowService,
    builtin_nodes,
    builtin_triggers,
)
from deskbase.workflow.channels import Channels
from deskbase.workflow.nodes.base import NodeType
from deskbase.workflow.scheduler import Scheduler
from deskbase.workflow.starts import Starts
from deskbase.workflow.tasks import TaskService
from deskbase.workflow.triggers.base import TriggerType

__all__ = ["App"]


class App:
    def __init__(
        self, settings: Settings | None = None, *, connect_args: dict[str, Any] | None = None
    ) -> None:
        self.settings = settings or Settings()
        self.db = Database(
            self.settings.resolved_database_url,
            echo=self.settings.sql_echo,
            connect_args=connect_args,
        )
        self.field_types: Registry[FieldType[Any]] = Registry("field type")
        self.operators: Registry[Operator] = Registry("operator")
        for ftype in builtin_field_types():
            self.field_types.register(ftype)
        for op in builtin_operators():
            self.operators.register(op)
        self.field_types.freeze()
        self.operators.freeze()
        self.workflow_triggers: Registry[TriggerType[Any]] = Registry("workflow trigger")
        self.workflow_nodes: Registry[NodeType[Any]] = Registry("workflow node")
        for trigger in builtin_triggers():
            self.workflow_triggers.register(trigger)
        for node in builtin_nodes():
            self.workflow_nodes.register(node)
        self.workflow_triggers.freeze()
        self.workflow_nodes.freeze()
        self.catalog = Catalog()
        self.events = RecordEvents()
        self.schema = SchemaService(self.db, self.field_types, self.catalog)
        self.indexes = IndexService(self.schema)
        self.guard = Guard(
            self.catalog, self.operators, dialect=self.db.dialect, timezone=self.settings.timezone
        )
        self.permissions = PermissionStore(self.db, self.catalog, self.guard)
        self.audit = AuditLog(self.db, self.catalog, self.guard)
        self.records = RecordService(
            self.db,
            self.catalog,
            self.operators,
            self.guard,
            max_page_size=self.settings.max_page_size,
            timezone=self.settings.timezone,
            events=self.events,
        )
        self.exports = ExportService(self.db, self.catalog, self.records)
        self.aggregates = AggregateService(
            self.db, self.catalog, self.records, timezone=self.settings.timezone
        )
        self.identity = IdentityService(self.db, self.settings)
        # A deleted role's rules went with it (foreign key): the Guard forgets them too.
        self.identity.roles.on_deleted.append(self._forget_role)
        self.files = FileService(
            self.db, self.settings.attachments_dir, self.settings.max_upload_mb * 1024 * 1024, self.guard
        )
        self.jobs = JobService(self.db)
        self.imports = ImportService(
            self.db, self.catalog, self.jobs, self.guard, batch_size=self.settings.import_batch_size
        )
        self.inbox = InboxService(self.db)
        self.starts = Starts(self.db, self.catalog, self.guard, self.records, self.events)
        self.channels = Channels(self.settings)  # outbound email and HTTP
        services = Services(self.db, self.records, self.inbox, self.starts, self.channels)
        engine = Engine(services, self.workflow_nodes)
        self.workers = Workers(self.db, engine, self.events, size=self.settings.workflow_workers)
        self.scheduler = Scheduler(self.db, self.records, self.events)
        self.workflows = WorkflowService(
            self.db,
            self.catalog,
            self.workflow_triggers,
            self.workflow_nodes,
            self.events,
            self.workers,
            self.scheduler,
            self.starts,
        )
        self.tasks = TaskService(self.db, self.events)
        self.block_types: Registry[BlockType] = Registry("block type")
        for block in builtin_block_types():
            self.block_types.register(block)
        self.block_types.freeze()
        self.views = ViewService(self.db, self.catalog, self.records)
        blocks = BlockChecker(
            self.catalog, self.operators, self.block_types, self.db.dialect, self.settings.timezone
        )
        self.dashboards = DashboardService(self.db, blocks)
        self.started = False
        self._stats_task: asyncio.Task[None] | None = None
        # What another process of this installation changed (kernel/changes.py):
        feed = self.db.changes
        feed.subscribe(SCHEMA, self._reload_schema)
        feed.subscribe(PERMISSIONS, self.permissions.load)
        feed.subscribe(WORKFLOWS, self.workflows.load)

    async def _reload_schema(self) -> None:
        await self.schema.load()
        await self.permissions.load()  # rules on collections that came or went
        await self.workflows.load()  # triggers on them

    async def _forget_role(self, _role: str) -> None:
        await self.permissions.load()

    async def start(self) -> None:
        """Migrate the system tables, load the catalog, create the first admin if asked."""
        if self.started:
            return
        await upgrade(self.db)
        await self.db.changes.start()  # listening before loading: no change falls in between
        await self.schema.load()
        await self.permissions.load()
        async with self.schema.change(publish=False) as conn:  # search tables a collection lacks
            await ensure_search_indexes(conn, list(self.catalog))
        self._stats_task = asyncio.create_task(flush_periodically(self.db, self.records.stats))
        await self.jobs.start()  # jobs a stopped process left running are failed
        s = self.settings
        if s.admin_email and s.admin_password:
            await self.identity.ensure_first_admin(s.admin_email, s.admin_password)
        await self.workflows.load()
        if s.workflow_workers > 0:
            await self.workers.start()  # also resumes executions a stopped process left
            await self.scheduler.start()
        self.started = True

    async def stop(self) -> None:
        await self.scheduler.stop()
        await self.workers.stop()  # executions under way resume at the next start
        await self.jobs.shutdown()  # running jobs are cancelled and roll back
        await stop_flushing(self._stats_task)
        self._stats_task = None
        await self.records.stats.flush(self.db)
        await self.identity.close()
        await self.db.dispose()
        self.started = False
