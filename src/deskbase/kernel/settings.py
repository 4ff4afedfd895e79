"""Settings, read from `DESKBASE_*` environment variables; nothing is needed to start."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DESKBASE_", frozen=True)

    data_dir: Path = Path("./data")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; `postgresql://…` selects PostgreSQL"
    )
    admin_email: str | None = None
    admin_password: str | None = None
    session_ttl_hours: int = 24 * 14
    # A resolved token is remembered this long; other processes see a sign-out that late.
    auth_cache_seconds: float = 5.0
    password_min_length: int = 8
    # Failed sign-ins allowed per email and per client address within the window.
    login_max_failures_per_email: int = 5
    login_max_failures_per_address: int = 20
    login_failure_window_seconds: int = 15 * 60
    # argon2id cost: OWASP's 19 MiB, 2 passes, 1 lane (see docs/decisions.md).
    password_hash_memory_kib: int = 19 * 1024
    password_hash_time_cost: int = 2
    password_hash_parallelism: int = 1
    max_upload_mb: int = 25
    max_import_mb: int = 500  # CSV / XLSX files for import, streamed to disk
    import_batch_size: int = 5000  # rows read, checked and written at a time by an import
    max_page_size: int = 500
    workflow_workers: int = 32  # workflow executions run at once by this process (0: none here)
    # Outbound email for the `notify` node's `email` channel (none configured: that channel fails).
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str = "deskbase@localhost"
    http_timeout_seconds: float = 10.0  # the longest an HTTP request node or a chat webhook may take
    timezone: str = "UTC"
    sql_echo: bool = False
    web_dir: Path | None = Field(
        default=None, description="The built web app served at `/`; by default web/dist of the checkout"
    )

    @property
    def resolved_database_url(self) -> str:
        """The async driver URL: aiosqlite for SQLite, asyncpg for PostgreSQL."""
        url = self.database_url or f"sqlite:///{(self.data_dir / 'deskbase.db').resolve()}"
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if url.startswith(plain):
                return driver + url[len(plain) :]
        return url

    @property
    def resolved_web_dir(self) -> Path:
        """Where the built web app is looked for (it is served only if its index.html exists)."""
        return self.web_dir or Path(__file__).resolve().parents[3] / "web" / "dist"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @property
    def imports_dir(self) -> Path:
        """Where uploaded import files wait for their job (deleted when it ends)."""
        return self.data_dir / "imports"
