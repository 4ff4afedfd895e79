"""The demo workspace of `make run`: a small service desk built through the public services."""

from __future__ import annotations

from datetime import timedelta

from deskbase.app import App
from deskbase.kernel.context import Actor, RequestContext
from deskbase.kernel.types import JSONValue
from deskbase.schema.payloads import CollectionIn

__all__ = ["install_demo"]

_PRIORITIES = [
    {"value": "low", "label": "Low", "color": "green"},
    {"value": "normal", "label": "Normal", "color": "blue"},
    {"value": "high", "label": "High", "color": "orange"},
    {"value": "urgent", "label": "Urgent", "color": "red"},
]
_STATUSES = [
    {"value": "new", "label": "New", "color": "blue"},
    {"value": "assigned", "label": "Assigned", "color": "cyan"},
    {"value": "in_progress", "label": "In progress", "color": "purple"},
    {"value": "pending", "label": "Pending", "color": "gold"},
    {"value": "resolved", "label": "Resolved", "color": "green"},
    {"value": "closed", "label": "Closed", "color": "gray"},
]


async def install_demo(app: App) -> bool:
    """Create the demo collections and records unless any collection exists already."""
    if any(True for _ in app.catalog):
        return False
    ctx = RequestContext(Actor.system(), source="demo")
    await app.schema.create_collection(
        ctx,
        CollectionIn.model_validate(
            {
                "name": "customers",
                "title": "Customers",
                "fields": [
                    {
                        "name": "name",
                        "type": "string",
                        "title": "Name",
                        "required": True,
                        "unique": True,
                    },
                    {"name": "email", "type": "email", "title": "Email"},
                    {"name": "phone", "type": "phone", "title": "Phone"},
                    {
                        "name": "level",
                        "type": "select",
                        "title": "Level",
                        "options": {
                            "choices": [
                                {"value": "standard", "label": "Standard", "color": "blue"},
                                {"value": "vip", "label": "VIP", "color": "gold"},
                            ]
                        },
                    },
                ],
            }
        ),
    )
    await app.schema.create_collection(
        ctx,
        CollectionIn.model_validate(
            {
                "name": "tags",
                "title": "Tags",
                "fields": [
                    {
                        "name": "name",
                        "type": "string",
                        "title": "Name",
                        "required": True,
                        "unique": True,
                    }
                ],
            }
        ),
    )
    await app.schema.create_collection(
        ctx,
        CollectionIn.model_validate(
            {
                "name": "tickets",
                "title": "Tickets",
                "fields": [
                    {
                        "name": "code",
                        "type": "auto_number",
                        "title": "Number",
                        "options": {"pattern": "TK-{YYYY}-{seq:6}"},
                    },
                    {"name": "title", "type": "string", "title": "Title", "required": True},
                    {"name": "description", "type": "rich_text", "title": "Description"},
                    {
                        "name": "status",
                        "type": "select",
                        "title": "Status",
                        "default": "new",
                        "indexed": True,
                        "options": {"choices": _STATUSES},
                    },
                    {
                        "name": "priority",
                        "type": "select",
                        "title": "Priority",
                        "default": "normal",
                        "options": {"choices": _PRIORITIES},
                    },
                    {
                        "name": "biz_type",
                        "type": "select",
                        "title": "Business type",
                        "default": "general",
                        "options": {
                            "choices": [
                                {"value": "general", "label": "General"},
                                {"value": "repair", "label": "Equipment repair"},
                            ]
                        },
                    },
                    {
                        "name": "customer",
                        "type": "many_to_one",
                        "title": "Customer",
                        "options": {"target": "customers", "on_delete": "restrict"},
                    },
                    {
                        "name": "tags",
                        "type": "many_to_many",
                        "title": "Tags",
                        "options": {"target": "tags"},
                    },
                    {"name": "due_at", "type": "datetime", "title": "Due at"},
                    {
                        "name": "cost",
                        "type": "currency",
                        "title": "Cost",
                        "options": {"currency": "CNY"},
                    },
                ],
            }
        ),
    )
    await app.schema.create_collection(
        ctx,
        CollectionIn.model_validate(
            {
                "name": "ticket_repair",
                "title": "Repair details",
                "extends": {"master": "tickets", "discriminator": "biz_type", "value": "repair"},
                "fields": [
                    {
                        "name": "serial_no",
                        "type": "string",
                        "title": "Serial number",
                        "required": True,
                    },
                    {
                        "name": "fault_code",
                        "type": "select",
                        "title": "Fault code",
                        "options": {
                            "choices": [
                                {"value": "power", "label": "Power"},
                                {"value": "display", "label": "Display"},
                                {"value": "network", "label": "Network"},
                            ]
                        },
                    },
                    {"name": "spare_parts", "type": "text", "title": "Spare parts"},
                ],
            }
        ),
    )
    customers = await app.records.create_records(
        ctx,
        "customers",
        [
            {"name": "Acme 上海分公司", "email": "ops@acme.example", "level": "vip"},
            {"name": "Globex Ltd", "email": "it@globex.example", "level": "standard"},
            {"name": "北京星辰律师事务所", "phone": "+86 10 8888 0000", "level": "standard"},
        ],
    )
    tags = await app.records.create_records(
        ctx, "tags", [{"name": n} for n in ("printer", "network", "账号", "urgent")]
    )
    due = ctx.now + timedelta(days=2)
    await app.records.create_records(
        ctx,
        "tickets",
        [
            {
                "title": "打印机无法连接",
                "priority": "high",
                "customer": customers[0]["id"],
                "tags": [tags[0]["id"]],
                "due_at": due.isoformat(),
                "biz_type": "repair",
                "ticket_repair": {"serial_no": "HP-4411-XZ", "fault_code": "network"},
            },
            {
                "title": "VPN login fails after password change",
                "status": "assigned",
                "customer": customers[1]["id"],
                "tags": [tags[1]["id"], tags[2]["id"]],
            },
            {
                "title": "Invoice copy for October",
                "priority": "low",
                "customer": customers[2]["id"],
                "cost": "120.00",
            },
            {
                "title": "显示器闪屏",
                "priority": "urgent",
                "status": "in_progress",
                "biz_type": "repair",
                "customer": customers[0]["id"],
                "tags": [tags[3]["id"]],
                "ticket_repair": {
                    "serial_no": "DL-2207-AB",
                    "fault_code": "display",
                    "spare_parts": "LCD panel",
                },
            },
        ],
    )
    await app.dashboards.create_dashboard(ctx, _DASHBOARD)
    return True


def _block(block_id: str, kind: str, title: str, query: JSONValue, x: int, w: int, h: int) -> JSONValue:
    layout: JSONValue = {"x": x, "y": 0, "w": w, "h": h}
    return {
        "id": block_id,
        "type": kind,
        "title": title,
        "collection": "tickets",
        "query": query,
        "layout": layout,
    }


# A shared dashboard, so that the dashboards page shows charts at once.
_DASHBOARD: JSONValue = {
    "name": "Service desk",
    "shared": True,
    "blocks": [
        _block(
            "open",
            "number",
            "Open tickets",
            {"measures": ["count"], "filter": {"status": {"$ne": "closed"}}},
            0,
            3,
            2,
        ),
        _block(
            "by-status", "bar", "Tickets by status", {"group_by": ["status"], "measures": ["count"]}, 3, 5, 4
        ),
        _block(
            "by-priority",
            "pie",
            "Tickets by priority",
            {"group_by": ["priority"], "measures": ["count"]},
            8,
            4,
            4,
        ),
    ],
}
