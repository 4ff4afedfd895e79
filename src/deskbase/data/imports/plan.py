"""An import's options, its checked plan (open file, mapping, converters) and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deskbase.data.imports.batch import Converters, RowError
from deskbase.data.imports.mapping import Mapping, resolve_mapping
from deskbase.data.imports.source import Source, open_source
from deskbase.kernel.errors import ExtensionWrite, FieldError, ValidationFailed
from deskbase.kernel.types import JSONValue
from deskbase.schema.catalog import Catalog
from deskbase.schema.model import Collection

__all__ = ["ImportOptions", "ImportPlan", "ImportReport", "Mode", "Progress", "open_plan"]

Mode = Literal["all_or_nothing", "skip_invalid"]


class Progress(Protocol):
    """Where an import reports to (a JobHandle, or the command line's progress bar)."""

    async def progress(
        self, done: int, total: int | None, errors: list[dict[str, JSONValue]], error_count: int
    ) -> None: ...

    def check(self) -> None:
        """Raise if the import must stop (its transaction then rolls back)."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    mapping: dict[str, str | None] | None = None  # column header -> field path (None: ignore)
    key: str | None = None  # a unique field (or "id"): rows whose key exists update that record
    mode: Mode = "all_or_nothing"
    dry_run: bool = False
    run_workflows: bool = False  # accepted and kept: imports fire no automations yet
    timezone: str = "UTC"  # for date-times written without an offset

    def to_json(self) -> dict[str, JSONValue]:
        mapping: dict[str, JSONValue] | None = None if self.mapping is None else dict(self.mapping.items())
        return {
            "mapping": mapping,
            "key": self.key,
            "mode": self.mode,
            "dry_run": self.dry_run,
            "run_workflows": self.run_workflows,
            "timezone": self.timezone,
        }


@dataclass(slots=True)
class ImportPlan:
    """A checked import: the open file, where each column goes, how cells are converted."""

    collection: Collection
    source: Source
    mapping: Mapping
    options: ImportOptions
    converters: Converters

    def close(self) -> None:
        self.source.close()


@dataclass(slots=True)
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ones, capped
    committed: bool = False

    def to_json(self, plan: ImportPlan) -> dict[str, JSONValue]:
        ignored: list[JSONValue] = list(plan.mapping.ignored)
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "dry_run": plan.options.dry_run,
            "committed": self.committed,
            "mapping": plan.mapping.to_json(),
            "ignored": ignored,
        }

    def summary(self, plan: ImportPlan) -> tuple[bool, str]:
        """(succeeded, a sentence saying what happened)."""
        bad = f"{self.error_count} error(s) in {self.skipped} row(s)"
        if self.error_count and plan.options.mode == "all_or_nothing":
            return False, f"{bad}; nothing was imported"
        verb = "would be" if plan.options.dry_run else "were"
        message = f"{self.created} record(s) {verb} created and {self.updated} updated"
        if self.skipped:
            message += f"; {self.skipped} row(s) skipped ({bad})"
        return True, message


def open_plan(catalog: Catalog, name: str, path: Path, filename: str, options: ImportOptions) -> ImportPlan:
    """Open the file, read its header and resolve the mapping; ValidationFailed if it cannot work."""
    coll = catalog.get(name)
    if coll.extends is not None:
        raise ExtensionWrite(f"{name!r} extends {coll.extends.master!r}: import into {coll.extends.master!r}")
    try:
        zone: tzinfo = UTC if options.timezone.upper() == "UTC" else ZoneInfo(options.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed(
            f"Unknown time zone {options.timezone!r}",
            errors=[FieldError("timezone", "unknown time zone", "invalid")],
        ) from None
    source = open_source(path, filename)
    try:
        if not any(source.headers):
            raise ValidationFailed(
                "The file has no header row", errors=[FieldError("file", "no header row", "invalid_file")]
            )
        try:
            mapping = resolve_mapping(coll, catalog, source.headers, options.mapping, options.key)
        except ValidationFailed as refused:
            # The file's header row goes with the refusal: a client can offer to map its columns
            # (CSV or XLSX alike) without reading the file itself.
            raise ValidationFailed(
                refused.detail, errors=refused.errors, columns=[str(h) for h in source.headers]
            ) from None
        converters = Converters.build(mapping, options.key, zone)
    except BaseException:
        source.close()
        raise
    return ImportPlan(coll, source, mapping, options, converters)
