"""HTTP load through wrk: one thread, N keep-alive connections, percentiles from wrk's Lua `done`.

wrk is C and light, so most of the 2 cores stay with the server; its own CPU time is measured
(from wait4's rusage) and reported next to the server's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from serverproc import Server

__all__ = ["WRK_INSTALL", "Load", "have_wrk", "run_wrk"]

WRK_INSTALL = "apt-get update && apt-get install -y wrk"

_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"mean":%.1f,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"max":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""

_GET = """
wrk.method = "GET"
wrk.headers["Authorization"] = {auth}
wrk.path = {path}
"""

# A POST whose body is a Lua format string with one %d (a counter, so titles differ).
_POST = """
wrk.method = "POST"
wrk.headers["Authorization"] = {auth}
wrk.headers["Content-Type"] = "application/json"
local n = 0
local id = 0
setup = function(thread) id = id + 1; thread:set("tid", id) end
request = function()
  n = n + 1
  return wrk.format("POST", {path}, nil, string.format({body}, (tid or 0) * 100000000 + n, n % 1000 + 1))
end
"""


@dataclass(frozen=True, slots=True)
class Load:
    """One wrk run. Latencies in ms; cpu figures are cores used on average during the run."""

    connections: int
    requests: int
    seconds: float
    p50: float
    p90: float
    p95: float
    p99: float
    max: float
    errors: int
    server_cores: float
    client_cores: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def have_wrk() -> str | None:
    return shutil.which("wrk")


def _lua(s: str) -> str:
    return json.dumps(s, ensure_ascii=True)  # a JSON string is a valid Lua string literal here


def run_wrk(
    server: Server,
    path: str,
    *,
    connections: int,
    seconds: float,
    post_body: str | None = None,
    warmup: float = 1.0,
) -> Load:
    """Runs wrk against `path` (GET, or POST of `post_body` with %d placeholders: unique n, customer)."""
    auth = _lua(f"Bearer {server.token}")
    if post_body is None:
        script = _GET.format(auth=auth, path=_lua(path))
    else:
        script = _POST.format(auth=auth, path=_lua(path), body=_lua(post_body))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script + _DONE)
        lua = Path(f.name)
    try:
        if warmup:
            _wrk(server, lua, connections, warmup)
        return _wrk(server, lua, connections, seconds)
    finally:
        lua.unlink()


def _wrk(server: Server, lua: Path, connections: int, seconds: float) -> Load:
    cmd = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(lua),
        server.url,
    ]
    cpu0, t0 = server.cpu(), time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - t0
    server_cpu = server.cpu() - cpu0
    line = next((x for x in out.splitlines() if x.startswith("WRKJSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{out}")
    r = json.loads(line[len("WRKJSON ") :])
    secs = r["duration_us"] / 1e6
    return Load(
        connections=connections,
        requests=r["requests"],
        seconds=secs,
        p50=r["p50"] / 1000,
        p90=r["p90"] / 1000,
        p95=r["p95"] / 1000,
        p99=r["p99"] / 1000,
        max=r["max"] / 1000,
        errors=sum(r[k] for k in ("connect", "read", "write", "status", "timeout")),
        server_cores=server_cpu / wall,
        client_cores=(rusage.ru_utime + rusage.ru_stime) / wall,
    )
