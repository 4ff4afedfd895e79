"""Time helpers shared by every layer."""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["aware"]


def aware(value: datetime) -> datetime:
    """Aware UTC (SQLite gives stored timestamps back naive)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
