"""The benchmark's collections as API payloads: `customers` and `tickets` (1M rows)."""

from __future__ import annotations

from typing import Any

__all__ = ["CUSTOMERS", "TICKETS"]

CUSTOMERS: dict[str, Any] = {
    "name": "customers",
    "title": "Customers",
    "fields": [
        {"name": "name", "type": "string", "required": True, "unique": True},
        {
            "name": "level",
            "type": "select",
            "options": {"choices": [{"value": "standard"}, {"value": "vip"}]},
        },
    ],
}


def _choices(*values: str) -> dict[str, Any]:
    return {"choices": [{"value": x} for x in values]}


TICKETS: dict[str, Any] = {
    "name": "tickets",
    "title": "Tickets",
    "fields": [
        {"name": "title", "type": "string", "required": True},
        {"name": "description", "type": "text"},
        {
            "name": "status",
            "type": "select",
            "indexed": True,
            "default": "new",
            "options": _choices("new", "assigned", "in_progress", "pending", "resolved", "closed"),
        },
        {"name": "priority", "type": "select", "options": _choices("low", "normal", "high", "urgent")},
        {
            "name": "channel",
            "type": "select",
            "options": _choices("email", "portal", "phone", "wechat", "api"),
        },
        {
            "name": "customer",
            "type": "many_to_one",
            "options": {"target": "customers", "on_delete": "restrict"},
        },
        {"name": "opened_at", "type": "datetime", "title": "Opened at"},
        {"name": "due_date", "type": "date"},
        {"name": "amount", "type": "decimal", "options": {"precision": 12, "scale": 2}},
    ],
}
