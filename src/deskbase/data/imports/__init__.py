"""Import of CSV and XLSX files into a collection, run as a background job."""

from __future__ import annotations

from deskbase.data.imports.batch import RowError
from deskbase.data.imports.plan import ImportOptions, ImportPlan, ImportReport, Progress
from deskbase.data.imports.service import ImportService

__all__ = ["ImportOptions", "ImportPlan", "ImportReport", "ImportService", "Progress", "RowError"]
