"""Deskbase: a configuration-first low-code platform for work orders and case management."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
