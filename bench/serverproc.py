"""A real `deskbase serve` process for the benchmarks, and a signed-in HTTP client to it.

The server runs as `.venv/bin/deskbase serve` (one process, or `--workers N`) on a free port;
its memory (VmRSS, VmHWM) and CPU time are read from /proc/<pid>.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

__all__ = ["ADMIN", "Server", "free_port", "proc_cpu_seconds", "proc_status_kb"]

ADMIN = ("bench@example.com", "bench-password-1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_status_kb(pid: int, key: str) -> int:
    """A `kB` line of /proc/<pid>/status, such as VmRSS or VmHWM."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    def __init__(
        self,
        data_dir: Path,
        database_url: str | None,
        log: Path,
        extra_env: dict[str, str],
        workers: int = 1,
    ) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.log = log
        self.extra_env = extra_env
        self.workers = workers  # `serve --workers`: the parent supervises, the children serve
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.token = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> None:
        env = {
            **os.environ,
            "DESKBASE_DATA_DIR": str(self.data_dir),
            "DESKBASE_ADMIN_EMAIL": ADMIN[0],
            "DESKBASE_ADMIN_PASSWORD": ADMIN[1],
            **self.extra_env,
        }
        env.pop("DESKBASE_DATABASE_URL", None)
        if self.database_url:
            env["DESKBASE_DATABASE_URL"] = self.database_url
        exe = Path(sys.executable).parent / "deskbase"
        cmd = [
            str(exe),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}; see {self.log}")
            try:
                if httpx.get(self.url + "/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within 60 s; see {self.log}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
        self.login()

    def login(self) -> str:
        resp = httpx.post(self.url + "/api/auth/login", json={"email": ADMIN[0], "password": ADMIN[1]})
        resp.raise_for_status()
        self.token = str(resp.json()["token"])
        return self.token

    def client(self, timeout: float = 600) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=timeout
        )

    def pids(self) -> list[int]:
        """The server's processes: the one started, and with workers its children."""
        return [self.pid, *_descendants(self.pid)]

    def _each(self, read: Callable[[int], float]) -> list[float]:
        out = []
        for pid in self.pids():
            try:
                out.append(read(pid))
            except (OSError, ValueError):  # it ended meanwhile
                continue
        return out

    def rss_mb(self) -> float:
        """The largest process's resident memory (with one worker: the server's)."""
        return max(self._each(lambda pid: proc_status_kb(pid, "VmRSS"))) / 1024

    def total_rss_mb(self) -> float:
        return sum(self._each(lambda pid: proc_status_kb(pid, "VmRSS"))) / 1024

    def hwm_mb(self) -> float:
        """The largest peak (VmHWM) of one process since it started."""
        return max(self._each(lambda pid: proc_status_kb(pid, "VmHWM"))) / 1024

    def cpu(self) -> float:
        """CPU seconds of every process of the server (children that ended are not counted)."""
        return sum(self._each(proc_cpu_seconds))

    def openapi_paths(self) -> dict[str, Any]:
        with self.client() as c:
            resp = c.get("/api/openapi.json")
            resp.raise_for_status()
            paths: dict[str, Any] = resp.json()["paths"]
            return paths


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    out: list[int] = []
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo += children.get(child, [])
    return out
