"""Recognise how a CSV file was written: encoding, byte-order mark, separator.

Danish Excel and SAS write ``;``-separated files in cp1252 (Windows) or latin-1;
others write UTF-8, sometimes with a byte-order mark. The first megabyte is
enough to tell them apart.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

SNIFF_BYTES = 1 << 20
SEPARATORS = (";", ",", "\t", "|")
_SEPARATOR_NAMES = {";": "';'", ",": "','", "\t": "tab", "|": "'|'"}


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

    Raises ``ValueError`` for a file that is empty or not text, and
    ``OSError``/``EOFError``/``zlib.error`` for an unreadable (say truncated gzip) file.
    """
    with open_bytes(path) as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise ValueError("the file is empty")
    if b"\x00" in head:
        raise ValueError("the file is not text (it holds NUL bytes); is it really a CSV file?")
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
    """Write ``source`` (maybe gzipped, in ``encoding``) to ``target`` as plain UTF-8, streaming."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    with open_bytes(source) as reader, target.open("wb") as writer:
        while chunk := reader.read(SNIFF_BYTES):
            writer.write(decoder.decode(chunk).encode("utf-8"))
        writer.write(decoder.decode(b"", final=True).encode("utf-8"))


READ_ERRORS = (OSError, EOFError, zlib.error, ValueError)
