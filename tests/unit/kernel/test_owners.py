"""Owners of background work: whether the process an owner names is gone."""

from __future__ import annotations

import os
import socket

from deskbase.kernel.owners import new_owner, pid_gone, same_process
from tests.factories import dead_pid


def test_an_owner_names_this_process_until_it_is_gone() -> None:
    mine = new_owner()
    assert same_process(mine)
    assert pid_gone(mine) is False
    here = socket.gethostname()[:60]
    gone = f"{here}:{dead_pid()}:x"
    assert pid_gone(gone) is True
    assert not same_process(gone)
    assert pid_gone(f"{here}:{os.getppid()}:y") is False  # alive, not this process


def test_another_host_or_no_owner_is_left_to_the_heartbeat() -> None:
    assert pid_gone("elsewhere:1:a") is None
    assert pid_gone(None) is None
    assert pid_gone("") is None
    assert not same_process("elsewhere:1:a")
