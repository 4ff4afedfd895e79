"""A short-lived in-process memory of resolved tokens, so that most requests skip the database.

Invalidation is immediate in this process (sign-out, deactivation, role and department
changes); `on_change` tells the other processes, which forget all their entries (and would
notice within `ttl` seconds anyway, when their entries expire).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from deskbase.kernel.context import Actor

__all__ = ["ActorCache"]


class ActorCache:
    """Token → Actor for `ttl` seconds (0 turns it off), at most `max_size` entries.

    `generation` changes on every invalidation: a lookup that began before one must not store
    what it read (`put` with the generation seen at its start is then ignored).
    """

    def __init__(self, ttl: float, max_size: int = 10_000) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self.generation = 0
        self._entries: dict[str, tuple[Actor, float]] = {}
        self.on_change: Callable[[], None] | None = None  # after every invalidation made here

    def get(self, token: str) -> Actor | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        if entry[1] <= time.monotonic():
            self._entries.pop(token, None)
            return None
        return entry[0]

    def put(self, token: str, actor: Actor, generation: int, max_age: float | None = None) -> None:
        """Remember `actor` for `ttl` seconds, or `max_age` if the token expires sooner."""
        if self.ttl <= 0 or generation != self.generation:
            return
        age = self.ttl if max_age is None else min(self.ttl, max_age)
        if age <= 0:
            return
        now = time.monotonic()
        if len(self._entries) >= self.max_size:
            self._entries = {k: v for k, v in self._entries.items() if v[1] > now}
            while len(self._entries) >= self.max_size:  # still full: forget the oldest
                del self._entries[next(iter(self._entries))]
        self._entries[token] = (actor, now + age)

    def drop_token(self, token: str) -> None:
        self._entries.pop(token, None)
        self._changed()

    def drop_user(self, user_id: int) -> None:
        self._entries = {k: v for k, v in self._entries.items() if v[0].id != user_id}
        self._changed()

    def drop_role(self, role: str) -> None:
        self._entries = {k: v for k, v in self._entries.items() if role not in v[0].roles}
        self._changed()

    def clear(self, *, announce: bool = True) -> None:
        """Forget every entry; `announce=False` when another process's change is the cause."""
        self._entries = {}
        self._changed(announce)

    def _changed(self, announce: bool = True) -> None:
        self.generation += 1
        if announce and self.on_change is not None:
            self.on_change()

    def __len__(self) -> int:
        return len(self._entries)
