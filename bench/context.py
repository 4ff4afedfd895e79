"""The state of one database's benchmark run, and what the server under test offers."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from figures import Figure
from serverproc import Server

__all__ = ["Bench", "detect_features", "list_path"]

FEATURES = ("import", "jobs", "export", "aggregate", "search", "indexes", "roles")


def detect_features(server: Server) -> dict[str, bool]:
    """Which issue-3 capabilities this server has, read from its OpenAPI document."""
    paths = server.openapi_paths()
    generic_list = paths.get("/api/data/{collection}", {}).get("get", {})
    params = {p.get("name") for p in generic_list.get("parameters", [])}
    return {
        "import": any(p.startswith("/api/data/") and p.endswith("/import") for p in paths),
        "jobs": any(p.startswith("/api/jobs") for p in paths),
        "export": any(p.startswith("/api/data/") and p.endswith("/export") for p in paths),
        "aggregate": any(p.startswith("/api/data/") and p.endswith("/aggregate") for p in paths),
        "search": "q" in params,
        "indexes": any(p.startswith("/api/collections/") and p.endswith("/indexes") for p in paths),
        "roles": "/api/roles/{name}/permissions" in paths,
    }


def list_path(collection: str, **params: Any) -> str:
    query = {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v) for k, v in params.items()}
    return f"/api/data/{collection}?" + urllib.parse.urlencode(query)


@dataclass(slots=True)
class Bench:
    kind: str  # "sqlite" | "postgresql"
    rows: int
    workdir: Path
    server: Server
    tickets_csv: Path
    customers_csv: Path
    stats: dict[str, Any]
    dsn: str = ""  # PostgreSQL: the bench database, for asyncpg
    features: dict[str, bool] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    customer_ids: dict[str, int] = field(default_factory=dict)
    user_id: int = 1
    loaded: int = 0

    @property
    def sqlite(self) -> bool:
        return self.kind == "sqlite"

    @property
    def db_path(self) -> Path:
        return self.server.data_dir / "deskbase.db"

    @property
    def raw_db_path(self) -> Path:
        return self.workdir / "raw.db"

    def add(self, fig: Figure) -> Figure:
        self.figures.append(fig)
        line = f"{fig.section} / {fig.name}: {fig.shown()}  raw {fig.raw_shown()}  {fig.verdict()}"
        print(f"  [{self.kind}] {line}", flush=True)
        return fig

    def note(self, section: str, text: str) -> None:
        self.notes.setdefault(section, []).append(text)

    def p(self, n: int) -> str:
        """A bind placeholder for the raw driver: ? (sqlite3) or $n (asyncpg)."""
        return "?" if self.sqlite else f"${n}"
