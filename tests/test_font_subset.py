"""Font subsets made without reading the dropped tables are the subsets fontTools makes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from datapakke.render.font_subset import drop_tables_unread, dropped_tables

FONT = Path(mpl.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
# A Danish line: its glyphs are what the subset keeps (WeasyPrint asks by glyph id).
TEXT = "Borgere med demens i Æbeltoft, Ørsted og Århus: 52,1 pr. 1.000 (–3 %)"


class _Recorded(TTFont):  # type: ignore[misc]
    """A font that notes every table read from it."""

    read: list[str]

    def __getitem__(self, tag: str) -> Any:
        self.read.append(tag)
        return super().__getitem__(tag)


def _subset(hinting: bool, read: list[str]) -> bytes:
    """``FONT`` subset as WeasyPrint 70 does it (``Font._fonttools_subset``), noting in
    ``read`` every table read."""
    font = _Recorded(io.BytesIO(FONT.read_bytes()))
    font.read = read
    cmap = font.getBestCmap()
    gids = {font.getGlyphID(cmap[ord(char)]) for char in TEXT}
    options = subset.Options(
        retain_gids=True, passthrough_tables=True, ignore_missing_glyphs=True,
        hinting=hinting, desubroutinize=True, notdef_outline=False,
    )  # fmt: skip
    options.drop_tables += ["GSUB", "GPOS", "SVG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=gids)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@pytest.mark.parametrize("hinting", [True, False])
def test_the_subset_is_fonttools_own_without_reading_the_layout_tables(hinting: bool) -> None:
    plain: list[str] = []
    expected = _subset(hinting, plain)
    assert {"GSUB", "GPOS"} <= set(plain)  # what the change saves: fontTools reads them
    unread: list[str] = []
    with drop_tables_unread():
        made = _subset(hinting, unread)
    assert made == expected
    assert not {"GSUB", "GPOS", "kern"} & set(unread)
    assert subset.Subsetter.subset.__name__ == "subset"  # put back after the block


def test_dropped_tables_follow_the_subsetters_rule() -> None:
    font = TTFont(FONT)
    options = subset.Options(hinting=True)
    options.drop_tables += ["GSUB", "GPOS"]
    assert set(dropped_tables(font, options)) == {"GSUB", "GPOS", "kern"}
    options.legacy_kern = True
    assert set(dropped_tables(font, options)) == {"GSUB", "GPOS"}
    options.hinting = False
    assert set(dropped_tables(font, options)) == {"GSUB", "GPOS", "cvt ", "fpgm", "prep"}
