"""The full pack is dense: no page less than about 60 % filled except a section's last.

The filled share of a page is measured from the PDF (pdfplumber): how far down the
page's body (between the top and bottom margins of pack.css) its lowest text, line,
rectangle or image reaches. A page's section is its running header (the chapter's
title, top right); the front page has none and counts as a section of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import FULL_PACKS, READS_BUILT_PACK, READS_FULL_PACKS

MM = 72 / 25.4
# The page margins of pack.css (@page margin: 19mm 17mm 17mm 17mm).
TOP, BOTTOM = 19 * MM, 17 * MM
MIN_FILLED = 0.55  # "about 60 %": a page of two blocks whose next block did not fit
# Horsensklyngen is the session's ``built_pack``, the others its ``full_packs``.
PACKS = (
    pytest.param("horsensklyngen", marks=READS_BUILT_PACK),
    *(pytest.param(slug, marks=READS_FULL_PACKS) for slug in FULL_PACKS),
)


@dataclass(frozen=True)
class PageFill:
    """One page: its number, its section (running header) and how far down it is filled."""

    number: int
    section: str
    filled: float


def page_fills(pdf_path: Path) -> list[PageFill]:
    """Each page's section and filled share of its body."""
    fills = []
    with pdfplumber.open(pdf_path) as document:
        for number, page in enumerate(document.pages, start=1):
            body_top, body_bottom = TOP, page.height - BOTTOM
            objects = [*page.chars, *page.rects, *page.lines, *page.curves, *page.images]
            bottoms = [o["bottom"] for o in objects if body_top <= o["top"] < body_bottom]
            filled = (max(bottoms) - body_top) / (body_bottom - body_top) if bottoms else 0.0
            header = page.crop((page.width / 2, 0, page.width, body_top - 2 * MM))
            section = (header.extract_text() or "").strip() or f"side {number}"
            fills.append(PageFill(number, section, filled))
    return fills


def sparse_pages(fills: list[PageFill]) -> list[PageFill]:
    """The pages under MIN_FILLED that are not the last of their section."""
    return [
        fill
        for fill, following in zip(fills, [*fills[1:], None], strict=True)
        if fill.filled < MIN_FILLED and following is not None and following.section == fill.section
    ]


def test_the_measure_finds_a_half_empty_page_inside_a_section(tmp_path: Path) -> None:
    import datetime as dt

    from datapakke.render.pdf import write_pdf

    # Three pages of one section: a full one, a half-empty one, and a last one.
    filler = "<p>" + "Tekst. " * 700 + "</p>"
    html = (
        "<html><head><style>@page { size: A4; margin: 19mm 17mm 17mm 17mm; "
        "@top-right { content: 'Afsnit' } } p { font-size: 11pt; margin: 0 }</style></head>"
        f"<body>{filler}<p style='break-before: page'>Kort.</p>"
        f"<p style='break-before: page'>Sidst.</p></body></html>"
    )
    target = tmp_path / "x.pdf"
    write_pdf(html, target, created=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    fills = page_fills(target)
    assert [f.section for f in fills] == ["Afsnit"] * 3
    assert fills[0].filled > 0.6 > fills[1].filled
    assert [f.number for f in sparse_pages(fills)] == [2]  # not the section's last page


@pytest.mark.slow
@pytest.mark.parametrize("slug", PACKS)
def test_no_page_of_the_full_pack_is_less_than_60_percent_filled_but_a_sections_last(
    slug: str, request: pytest.FixtureRequest
) -> None:
    if slug == "horsensklyngen":
        pdf_path = request.getfixturevalue("built_pack").pdf
    else:
        pdf_path = request.getfixturevalue("full_packs") / f"{slug}.pdf"
    fills = page_fills(pdf_path)
    assert len({f.section for f in fills}) >= 6  # the sections were told apart
    assert sparse_pages(fills) == []
