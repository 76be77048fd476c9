"""Font subsets made without reading the tables the subset drops.

WeasyPrint (70, without HarfBuzz-subset) subsets each embedded font with fontTools, which
drops GSUB and GPOS (and with GPOS the legacy ``kern``). fontTools 4.68 first reads and
converts GDEF, GSUB and GPOS in full (``_compact_layout_tables``) and only then drops what
it was told to: for DejaVu Sans about 0.12 CPU-s a font, half of subsetting it, in every
PDF (three fonts a pack, the four-page profile too). Removing those tables from the
(lazily read) font before the subsetter starts, by the subsetter's own rule, gives the
same font without reading them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any


def dropped_tables(font: Any, options: Any) -> list[str]:
    """The tables of ``font`` the subsetter drops before anything else, by its own rule
    (``Subsetter._prune_pre_subset``: listed to drop, hinting without hinting, ``kern``
    beside GPOS unless legacy kerning is kept)."""
    return [
        tag
        for tag in font.keys()  # noqa: SIM118 (a TTFont cannot be iterated)
        if tag.strip() in options.drop_tables
        or (tag.strip() in options.hinting_tables and not options.hinting)
        or (tag == "kern" and not options.legacy_kern and "GPOS" in font)
    ]


@contextlib.contextmanager
def drop_tables_unread() -> Iterator[None]:
    """While the block runs, fontTools' subsetter removes the tables it drops before it
    reads any (the same subset)."""
    from fontTools import subset

    original = subset.Subsetter.subset

    def drop_first(subsetter: Any, font: Any) -> Any:
        for tag in dropped_tables(font, subsetter.options):
            del font[tag]
        return original(subsetter, font)

    subset.Subsetter.subset = drop_first
    try:
        yield
    finally:
        subset.Subsetter.subset = original
