"""Dashboard block types: the charts a block can draw, in a registry plugins can add to."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from deskbase.data.aggregate import MAX_GROUPS

if TYPE_CHECKING:
    from deskbase.kernel.errors import FieldError
    from deskbase.views.blocks import BlockQuery

__all__ = [
    "BarBlockType",
    "BlockType",
    "FunnelBlockType",
    "LineBlockType",
    "NumberBlockType",
    "PieBlockType",
    "SankeyBlockType",
    "builtin_block_types",
]


class BlockType:
    """A kind of dashboard block, registered under its persisted `key` (the web app draws it).

    A block holds what the aggregate API takes (`group_by`, `measures`, `filter`, …); its type
    says how many group keys its chart needs, and may refuse more in `check`. The aggregate
    API checks the rest (field kinds, the reader's rights) each time the block is drawn.

    ```python
    class HeatmapBlockType(BlockType):
        key = "heatmap"
        min_groups = max_groups = 2   # rows and columns

    app.block_types.register(HeatmapBlockType())
    ```
    """

    key: ClassVar[str]
    min_groups: ClassVar[int] = 0
    max_groups: ClassVar[int] = MAX_GROUPS
    groups_message: ClassVar[str] = ""  # the problem when the count is wrong; "" says the range

    def check(self, query: BlockQuery, where: str) -> list[FieldError]:
        """Problems of a block's query beyond its number of group keys (paths under `where`,
        e.g. `blocks.3.query`); none by default."""
        return []


class NumberBlockType(BlockType):
    key = "number"
    max_groups = 0
    groups_message = "a number block has no group_by"


class BarBlockType(BlockType):
    key = "bar"


class LineBlockType(BlockType):
    key = "line"


class PieBlockType(BlockType):
    key = "pie"


class FunnelBlockType(BlockType):
    key = "funnel"


class SankeyBlockType(BlockType):
    key = "sankey"
    min_groups = max_groups = 2  # the flow's source and target
    groups_message = "a sankey block groups by exactly two keys"


def builtin_block_types() -> list[BlockType]:
    return [
        NumberBlockType(),
        BarBlockType(),
        LineBlockType(),
        PieBlockType(),
        FunnelBlockType(),
        SankeyBlockType(),
    ]
