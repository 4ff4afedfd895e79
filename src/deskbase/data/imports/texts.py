"""The converter of text columns (string, text): the checks of their `to_db`, inlined
because text columns are the most common; a column of plain texts passes in C-level sweeps."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from deskbase.data.imports.cells import text_of

__all__ = ["strings"]

CellError = tuple[int, str, str]
ColumnConverter = Callable[[Sequence[object]], tuple[list[object], list[CellError]]]


def strings(limit: int | None) -> ColumnConverter:
    """string / text: the checks of their `to_db`, inlined because text columns are the most
    common; a column of plain texts passes them in a few C-level sweeps."""

    one_by_one = _one_by_one_strings(limit)

    def convert(cells: Sequence[object]) -> tuple[list[object], list[CellError]]:
        if (
            set(map(type, cells)) <= {str}
            and (limit is None or max(map(len, cells), default=0) <= limit)  # type: ignore[arg-type]
            and "\x00" not in "".join(cells)  # type: ignore[arg-type]
            and not any(map(str.isspace, cells))  # type: ignore[arg-type]
        ):
            return [cell or None for cell in cells], []
        return one_by_one(cells)

    return convert


def _one_by_one_strings(limit: int | None) -> ColumnConverter:
    def convert(cells: Sequence[object]) -> tuple[list[object], list[CellError]]:
        out: list[object] = []
        errors: list[CellError] = []
        append = out.append
        for i, cell in enumerate(cells):
            if cell is None:
                append(None)
                continue
            text = cell if cell.__class__ is str else text_of(cell)
            if not text or text.isspace():
                append(None)
            elif limit is not None and len(text) > limit:
                append(None)
                errors.append((i, f"at most {limit} characters", "too_long"))
            elif "\x00" in text:
                append(None)
                errors.append((i, "must not contain NUL characters", "invalid_format"))
            else:
                append(text)
        return out, errors

    return convert
