"""What nodes reach at run time: the services of the App, without the App itself."""

from __future__ import annotations

from dataclasses import dataclass

from deskbase.data.records import RecordService
from deskbase.kernel.db import Database
from deskbase.workflow.channels import Channels
from deskbase.workflow.inbox import InboxService
from deskbase.workflow.starts import Starts

__all__ = ["Services"]


@dataclass(frozen=True, slots=True)
class Services:
    db: Database
    records: RecordService
    inbox: InboxService
    starts: Starts
    channels: Channels
