"""Who runs a piece of background work (a job, a workflow execution): an owner string
"host:pid:instance" per App, and whether the process it names is gone.

On this host a process's id tells (signal 0 asks whether it exists); on another host only the
work's heartbeat can, which each caller judges by its own rhythm.
"""

from __future__ import annotations

import os
import secrets
import socket

__all__ = ["new_owner", "pid_gone", "same_process"]


def _host() -> str:
    return socket.gethostname()[:60]  # (owner columns hold 100 characters)


def new_owner() -> str:
    """A fresh owner for an App of this process."""
    return f"{_host()}:{os.getpid()}:{secrets.token_hex(4)}"


def _pid(owner: str | None) -> int | None:
    """The process id in `owner` when it names this host, else None."""
    host, _, rest = (owner or "").partition(":")
    pid = rest.partition(":")[0]
    return int(pid) if host == _host() and pid.isdigit() else None


def same_process(owner: str | None) -> bool:
    """Whether `owner` names this very process (this App, or another one of the same process)."""
    return _pid(owner) == os.getpid()


def pid_gone(owner: str | None) -> bool | None:
    """Whether the process `owner` names has exited: None when it runs on another host (or the
    owner names none), where only a heartbeat can tell."""
    pid = _pid(owner)
    if pid is None:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # it exists, as another user's
    return False
