"""A typed registry: one instance per extension point (field types, filter operators, …)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar, Generic, Protocol, TypeVar

from deskbase.kernel.errors import DuplicateKey, RegistryFrozen, UnknownKey

__all__ = ["Keyed", "Registry"]


class Keyed(Protocol):
    key: ClassVar[str]


T = TypeVar("T", bound=Keyed)


class Registry(Generic[T]):
    """Holds the entries of one extension point, by their persisted `key`.

    ```python
    field_types: Registry[FieldType[Any]] = Registry("field type")
    field_types.register(StringFieldType())
    field_types.get("string")      # UnknownKey (a 422) for a key nobody registered
    field_types.freeze()           # after every plugin's setup() ran
    ```
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._frozen = False

    def register(self, item: T) -> T:
        if self._frozen:
            raise RegistryFrozen(f"The {self.kind} registry is frozen; register in setup()")
        if item.key in self._items:
            raise DuplicateKey(f"{self.kind} {item.key!r} is registered twice")
        self._items[item.key] = item
        return item

    def get(self, key: str, path: str | None = None) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise UnknownKey(self.kind, key, path) from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)

    def freeze(self) -> None:
        self._frozen = True
