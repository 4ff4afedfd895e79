"""The HTTP request node: call another system; its answer is the node's output."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from deskbase.kernel.types import JSONValue
from deskbase.workflow.nodes.base import Done, Failed, NodeConfig, NodeRun, NodeType, Outcome

__all__ = ["HttpRequestNode"]


class HttpConfig(NodeConfig):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    url: str = Field(min_length=1, max_length=2000)
    headers: dict[str, str] = Field(default_factory=dict)
    body: JSONValue = None  # JSON (an object or a list), or text
    timeout: float = Field(default=10.0, gt=0, le=120)
    fail_on_error: bool = True  # a 4xx/5xx answer fails the node (and so is retried)


class HttpRequestNode(NodeType[HttpConfig]):
    key = "http_request"
    Config = HttpConfig

    async def run(self, config: HttpConfig, run: NodeRun) -> Outcome:
        if not config.url.startswith(("http://", "https://")):
            return Failed(f"not an http(s) URL: {config.url!r}")
        text = config.body if isinstance(config.body, str) else None
        payload = None if text is not None or config.body is None else config.body
        response = await run.services.channels.request(
            config.method,
            config.url,
            headers=config.headers,
            json=payload,
            content=text,
            seconds=config.timeout,
        )
        try:
            body: JSONValue = response.json()
        except ValueError:
            body = response.text[:100_000]
        output: dict[str, JSONValue] = {
            "status": response.status_code,
            "headers": dict(response.headers),
            "body": body,
        }
        if config.fail_on_error and response.status_code >= 400:
            return Failed(f"{config.method} {config.url} answered {response.status_code}")
        return Done(output)
