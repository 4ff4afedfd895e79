"""ActorCache: expiry, invalidation, and lookups that raced an invalidation."""

from __future__ import annotations

import time

from deskbase.identity.cache import ActorCache
from deskbase.kernel.context import Actor

ANN = Actor(id=1, email="ann@example.com", roles=("agent",))
BOB = Actor(id=2, email="bob@example.com", roles=("lead", "agent"))


def test_entries_expire() -> None:
    cache = ActorCache(ttl=1.0)
    cache.put("t1", ANN, cache.generation)
    cache.put("t2", BOB, cache.generation, max_age=0.2)  # the session ends sooner than the ttl
    assert cache.get("t1") is ANN
    assert cache.get("t2") is BOB
    time.sleep(0.3)
    assert cache.get("t1") is ANN
    assert cache.get("t2") is None
    time.sleep(0.8)
    assert cache.get("t1") is None
    assert len(cache) == 0


def test_invalidation_by_token_user_and_role() -> None:
    cache = ActorCache(ttl=60)
    for token, actor in (("a1", ANN), ("a2", ANN), ("b1", BOB)):
        cache.put(token, actor, cache.generation)
    cache.drop_token("a1")
    assert (cache.get("a1"), cache.get("a2")) == (None, ANN)
    cache.drop_user(1)
    assert (cache.get("a2"), cache.get("b1")) == (None, BOB)
    cache.drop_role("lead")
    assert cache.get("b1") is None
    cache.put("b1", BOB, cache.generation)
    cache.clear()
    assert len(cache) == 0


def test_a_lookup_that_raced_an_invalidation_is_not_stored() -> None:
    cache = ActorCache(ttl=60)
    seen = cache.generation  # a lookup starts, reads the database …
    cache.drop_user(1)  # … while the user is deactivated
    cache.put("a1", ANN, seen)
    assert cache.get("a1") is None


def test_a_zero_ttl_turns_it_off_and_the_size_is_bounded() -> None:
    off = ActorCache(ttl=0)
    off.put("a1", ANN, off.generation)
    assert off.get("a1") is None
    small = ActorCache(ttl=60, max_size=3)
    for i in range(5):
        small.put(f"t{i}", ANN, small.generation)
    assert len(small) == 3
    assert small.get("t4") is ANN
    assert small.get("t0") is None
