"""Reading import files a batch at a time: CSV (UTF-8 with or without BOM, UTF-16, GB18030)
and XLSX (openpyxl, read-only). Only the current batch is ever in memory."""

from __future__ import annotations

import codecs
import csv
import itertools
from abc import ABC, abstractmethod
from collections.abc import Generator, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from deskbase.kernel.errors import FieldError, ValidationFailed

__all__ = ["CsvSource", "Rows", "Source", "XlsxSource", "open_source"]

Rows = tuple[list[int], list[Sequence[object]]]  # file row numbers (header = 1) and the rows
_SAMPLE = 1 << 16
_DELIMITERS = (",", "\t", ";")


def _bad_file(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[FieldError("file", message, "invalid_file")])


class Source(ABC):
    """An open import file: `headers`, an estimated `total` of data rows, and `read(n)`."""

    headers: list[str]

    @abstractmethod
    def count(self) -> int | None:
        """How many data rows the file holds (an estimate when cells span lines)."""

    @abstractmethod
    def read(self, size: int) -> Rows | None:
        """The next `size` non-empty rows, or None at the end."""

    @abstractmethod
    def close(self) -> None: ...

    def _take(self, rows: Iterator[tuple[int, Sequence[object]]], size: int) -> Rows | None:
        numbers: list[int] = []
        out: list[Sequence[object]] = []
        for number, row in itertools.islice(rows, size):
            numbers.append(number)
            out.append(row)
        return (numbers, out) if numbers else None


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030 (Chinese Excel's "CSV")."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        raise _bad_file("The file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8") from None


class CsvSource(Source):
    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as raw:
            self.encoding = detect_encoding(raw.read(_SAMPLE))
        self.file: IO[str] = path.open(encoding=self.encoding, newline="")
        try:
            first = self.file.readline()
            counts = {d: first.count(d) for d in _DELIMITERS}
            self.delimiter = max(_DELIMITERS, key=lambda d: counts[d])
            self.file.seek(0)
            self.reader = csv.reader(self.file, delimiter=self.delimiter)
            self.headers = [h.strip() for h in next(self.reader, [])]
        except (UnicodeDecodeError, csv.Error) as exc:
            self.file.close()
            raise _bad_file(f"The file's first line cannot be read: {exc}") from None
        self.next_number = 2  # the file row number of the next record (the header is row 1)

    def count(self) -> int | None:
        newlines = 0
        ends_with_newline = True
        with self.path.open("rb") as raw:
            while chunk := raw.read(1 << 20):
                newlines += chunk.count(b"\n")
                ends_with_newline = chunk.endswith(b"\n")
        lines = newlines + (0 if ends_with_newline else 1)
        if self.encoding == "utf-16":
            return None  # newline bytes do not count lines in UTF-16
        return max(lines - 1, 0)

    def read(self, size: int) -> Rows | None:
        # Whole batches through islice: no per-row Python frame (a CSV reader yields [] for a
        # blank line, so numbering by position stays right).
        first = self.next_number
        try:
            rows: list[Sequence[object]] = list(itertools.islice(self.reader, size))
        except UnicodeDecodeError:
            raise _bad_file(f"Near line {self.reader.line_num + 1}: not valid {self.encoding} text") from None
        except csv.Error as exc:
            raise _bad_file(f"Line {self.reader.line_num} cannot be read as CSV: {exc}") from None
        if not rows:
            return None
        self.next_number += len(rows)
        numbers = list(range(first, first + len(rows)))
        if not all(rows):
            kept = [(n, r) for n, r in zip(numbers, rows, strict=True) if r]
            numbers, rows = [n for n, _ in kept], [r for _, r in kept]
        return numbers, rows

    def close(self) -> None:
        self.file.close()


class XlsxSource(Source):
    """The first sheet of a workbook; cells come typed (numbers, datetimes, booleans)."""

    def __init__(self, path: Path) -> None:
        try:
            self.book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise _bad_file(f"The file is not a readable XLSX workbook: {exc}") from None
        if not self.book.worksheets:
            self.book.close()
            raise _bad_file("The workbook has no sheet")
        self.sheet: Any = self.book.worksheets[0]
        self._cells: Generator[Sequence[object], None, None] = self.sheet.iter_rows(values_only=True)
        first = next(self._cells, ())
        self.headers = ["" if h is None else str(h).strip() for h in first]
        self.rows = self._numbered(self._cells)

    def _numbered(self, rows: Iterator[Sequence[object]]) -> Iterator[tuple[int, Sequence[object]]]:
        for number, row in enumerate(rows, start=2):
            if any(cell is not None and cell != "" for cell in row):
                yield number, row

    def count(self) -> int | None:
        last = self.sheet.max_row
        return max(int(last) - 1, 0) if isinstance(last, int) else None

    def read(self, size: int) -> Rows | None:
        return self._take(self.rows, size)

    def close(self) -> None:
        # The sheet's reader holds the workbook's file open until it is finished or closed.
        self._cells.close()
        self.book.close()


def open_source(path: Path, filename: str) -> Source:
    """A CSV or XLSX source, told apart by the file's content (XLSX is a ZIP archive)."""
    with path.open("rb") as raw:
        magic = raw.read(4)
    if magic == b"PK\x03\x04":
        return XlsxSource(path)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise _bad_file("The file is named .xlsx but is not an XLSX workbook")
    if filename.lower().endswith(".xls"):
        raise _bad_file("Old .xls workbooks are not supported: save the file as .xlsx or CSV")
    return CsvSource(path)
