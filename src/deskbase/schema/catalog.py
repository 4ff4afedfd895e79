"""The catalog: every collection of the workspace, loaded from the system tables."""

from __future__ import annotations

from collections.abc import Iterator

from deskbase.kernel.errors import CollectionNotFound
from deskbase.schema.model import Collection

__all__ = ["Catalog"]


class Catalog:
    """In-memory view of the collections; the schema service rebuilds it after each change."""

    def __init__(self, collections: dict[str, Collection] | None = None) -> None:
        self._collections: dict[str, Collection] = dict(collections or {})
        self.version = 0

    def get(self, name: str) -> Collection:
        try:
            return self._collections[name]
        except KeyError:
            raise CollectionNotFound(f"Collection {name!r} does not exist") from None

    def find(self, name: str) -> Collection | None:
        return self._collections.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._collections

    def __iter__(self) -> Iterator[Collection]:
        return iter(self._collections.values())

    def replace(self, collections: dict[str, Collection]) -> None:
        self._collections = collections
        self.version += 1
