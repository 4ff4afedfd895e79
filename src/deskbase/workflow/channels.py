"""Outbound channels of workflows: email over SMTP and HTTP (chat webhooks, the HTTP node)."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import aiosmtplib
import httpx

from deskbase.kernel.errors import AppError
from deskbase.kernel.settings import Settings

__all__ = ["ChannelError", "Channels"]


class ChannelError(AppError):
    code, status, title = "channel_failed", 502, "A channel failed"


class Channels:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    async def email(self, to: list[str], subject: str, body: str) -> None:
        s = self.settings
        if not s.smtp_host:
            raise ChannelError("No SMTP server is configured (DESKBASE_SMTP_HOST)")
        message = EmailMessage()
        message["From"] = s.smtp_from
        message["To"] = ", ".join(to)
        message["Subject"] = subject
        message.set_content(body)
        try:
            await aiosmtplib.send(
                message,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password,
                start_tls=s.smtp_starttls,
                timeout=s.http_timeout_seconds,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"Sending email to {', '.join(to)} failed: {exc}") from None

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json: Any = None,
        content: str | None = None,
        seconds: float | None = None,
    ) -> httpx.Response:
        limit = min(seconds or self.settings.http_timeout_seconds, 120.0)
        try:
            async with httpx.AsyncClient(timeout=limit, follow_redirects=False) as client:
                return await client.request(method, url, headers=headers, json=json, content=content)
        except httpx.HTTPError as exc:
            raise ChannelError(f"{method} {url} failed: {type(exc).__name__}: {exc}") from None
