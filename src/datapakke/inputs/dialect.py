"""Recognise how a CSV file was written: encoding, byte-order mark, separator.

Danish Excel and SAS write ``;``-separated files in cp1252 (Windows) or latin-1;
others write UTF-8, sometimes with a byte-order mark. The first megabyte is
enough to tell them apart.
"""

from __future__ import annotations

import codecs
import gzip
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from datapakke.errors import excerpt

SNIFF_BYTES = 1 << 20
# A gzip file may expand this many times (CSV extracts compress 5-15 times), and to at
# least GZIP_FREE_BYTES whatever its size; beyond that it is refused, not written to disk.
GZIP_RATIO_VARIABLE = "DATAPAKKE_GZIP_MAX_RATIO"
GZIP_DEFAULT_RATIO = 100
GZIP_FREE_BYTES = 64 << 20
SEPARATORS = (";", ",", "\t", "|")
_SEPARATOR_NAMES = {";": "';'", ",": "','", "\t": "tab", "|": "'|'"}


class UnreadableTextError(ValueError):
    """A file that is not a CSV file this tool can read, with what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint or (
            "Export the table again, or remove the file if the table is not part of the extract."
        )


@dataclass(frozen=True)
class Dialect:
    """How one CSV file is written."""

    encoding: str  # a Python codec name: utf-8, utf-8-sig, cp1252 or latin-1
    separator: str
    header: tuple[str, ...]

    @property
    def utf8(self) -> bool:
        """Whether Polars can read the file as it is (UTF-8, with or without BOM)."""
        return self.encoding in ("utf-8", "utf-8-sig")

    def describe(self) -> list[str]:
        """The conventions worth telling the user, in words."""
        said = []
        if self.separator != ",":
            said.append(f"{_SEPARATOR_NAMES[self.separator]} as separator")
        if self.encoding == "utf-8-sig":
            said.append("a UTF-8 byte-order mark")
        elif not self.utf8:
            said.append(f"{self.encoding} encoding (not UTF-8)")
        return said


@contextmanager
def open_bytes(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading bytes, decompressing ``.gz`` files on the fly."""
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            yield handle  # type: ignore[misc]
    else:
        with path.open("rb") as handle:
            yield handle


def sniff(path: Path) -> Dialect:
    """Read the start of ``path`` and decide encoding, separator and header.

    Raises ``UnreadableTextError`` for a file that is empty, not text, or not laid
    out in lines, and ``OSError``/``EOFError``/``zlib.error`` for an unreadable
    (say truncated gzip) file.
    """
    with open_bytes(path) as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise UnreadableTextError("the file is empty")
    if b"\x00" in head:
        raise UnreadableTextError(
            "the file is not text (it holds NUL bytes); is it really a CSV file?"
        )
    if b"\n" not in head and b"\r" in head.rstrip(b"\r"):
        raise UnreadableTextError(
            "the lines end in a carriage return only (old Mac style), so the file reads "
            "as one long line",
            "Save the file again with Windows (CRLF) or Unix (LF) line endings.",
        )
    if b"\n" not in head and len(head) == SNIFF_BYTES:
        raise UnreadableTextError(
            f"the first line is longer than {SNIFF_BYTES // (1 << 20)} MB: a CSV file starts "
            "with a header of column names",
            "Check that this is the table's CSV export (a header line, then one line per row).",
        )
    encoding = _encoding(head)
    text = head.decode(encoding, errors="replace")
    first_line = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    counts = {s: first_line.count(s) for s in SEPARATORS}
    separator = max(SEPARATORS, key=lambda s: counts[s])
    if counts[separator] == 0:
        separator = ","
    header = tuple(_clean(name) for name in first_line.split(separator))
    return Dialect(encoding=encoding, separator=separator, header=header)


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # The sample may end inside a multi-byte character: decode incrementally.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"  # every byte is valid latin-1


def _clean(name: str) -> str:
    return name.strip().strip('"').strip()


def transcode_to_utf8(source: Path, target: Path, encoding: str) -> None:
    """Write ``source`` (maybe gzipped, in ``encoding``) to ``target`` as plain UTF-8, streaming.

    A gzip file that expands beyond ``gzip_expansion_limit`` is refused part-way
    (UnreadableTextError), before it fills the disk or the memory of the reader.
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    limit = None
    if source.name.lower().endswith(".gz"):
        limit = gzip_expansion_limit(source.stat().st_size)
    expanded = 0
    with open_bytes(source) as reader, target.open("wb") as writer:
        while chunk := reader.read(SNIFF_BYTES):
            expanded += len(chunk)
            if limit is not None and expanded > limit.bytes:
                raise limit.exceeded()
            writer.write(decoder.decode(chunk).encode("utf-8"))
        writer.write(decoder.decode(b"", final=True).encode("utf-8"))


@dataclass(frozen=True)
class ExpansionLimit:
    """How far a gzip file of ``compressed`` bytes may expand, and the refusal beyond."""

    compressed: int
    ratio: float

    @property
    def bytes(self) -> int:
        """The most bytes the file may expand to."""
        return max(int(self.compressed * self.ratio), GZIP_FREE_BYTES)

    def exceeded(self) -> UnreadableTextError:
        """The error for a file that expands beyond ``bytes``."""
        return UnreadableTextError(
            f"the gzip file expands more than {self.ratio:g} times "
            f"(beyond {self.bytes / 1e6:,.0f} MB from {self.compressed / 1e6:,.1f} MB); "
            "a CSV extract compresses 5 to 15 times",
            "Check that this is the table's export and not something else (a file that "
            "expands without bound fills the disk). If it is, allow more with "
            f"{GZIP_RATIO_VARIABLE}=1000 (say), or give the file uncompressed.",
        )


def gzip_expansion_limit(compressed: int) -> ExpansionLimit:
    """The expansion allowed: ``DATAPAKKE_GZIP_MAX_RATIO`` times (default 100), at least 64 MB.

    Raises UnreadableTextError when the variable is not a number of at least 1.
    """
    setting = os.environ.get(GZIP_RATIO_VARIABLE, "").strip()
    if not setting:
        return ExpansionLimit(compressed, GZIP_DEFAULT_RATIO)
    try:
        ratio = float(setting)
    except ValueError:
        ratio = 0.0
    if not ratio >= 1 or ratio == float("inf"):
        raise UnreadableTextError(
            f"{GZIP_RATIO_VARIABLE}={excerpt(setting)} is not a number of at least 1",
            f"Set {GZIP_RATIO_VARIABLE} to how many times a gzip file may expand "
            f"(default {GZIP_DEFAULT_RATIO}), or unset it.",
        )
    return ExpansionLimit(compressed, ratio)


READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)
