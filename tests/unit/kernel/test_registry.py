"""The registry: register, look up, refuse duplicates and late registrations."""

from __future__ import annotations

from typing import ClassVar

import pytest

from deskbase.kernel.errors import DuplicateKey, RegistryFrozen, UnknownKey
from deskbase.kernel.registry import Registry


class Thing:
    key: ClassVar[str] = "thing"


class Other:
    key: ClassVar[str] = "other"


def test_register_get_iterate() -> None:
    reg: Registry[Thing | Other] = Registry("thing")
    thing = reg.register(Thing())
    reg.register(Other())
    assert reg.get("thing") is thing
    assert "other" in reg
    assert [t.key for t in reg] == ["thing", "other"]
    assert len(reg) == 2


def test_errors() -> None:
    reg: Registry[Thing] = Registry("thing")
    reg.register(Thing())
    with pytest.raises(DuplicateKey):
        reg.register(Thing())
    with pytest.raises(UnknownKey) as info:
        reg.get("missing", "filter.x")
    assert info.value.status == 422
    assert info.value.errors[0].field == "filter.x"
    reg.freeze()
    with pytest.raises(RegistryFrozen):
        reg.register(Other())  # type: ignore[arg-type]


def test_public_api_is_locked() -> None:
    import deskbase

    assert deskbase.__all__ == ["__version__"]
