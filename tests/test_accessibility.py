"""A built pack read back: tags, language, alt texts, headers, bookmarks, contents, attachment.

Everything is checked on the session's built pack (Horsensklyngen from the small sample,
``built_pack`` in conftest.py), on the files themselves with pypdf and fastexcel.
"""

from __future__ import annotations

import re

import fastexcel
import pytest
from pypdf import PdfReader

from datapakke.engine.catalogue import load_catalogue
from datapakke.pack import Pack
from datapakke.render.workbook import sheet_names
from tests.conftest import READS_BUILT_PACK, BuiltPack
from tests.helpers import structure_elements

pytestmark = READS_BUILT_PACK


@pytest.fixture(scope="module")
def reader(built_pack: BuiltPack) -> PdfReader:
    return PdfReader(built_pack.pdf)


@pytest.fixture(scope="module")
def pack(built_pack: BuiltPack) -> Pack:
    return built_pack.pack


@pytest.fixture(scope="module")
def text(built_pack: BuiltPack) -> str:
    """The whole text, with line breaks and no-break spaces as plain spaces."""
    raw = "\n".join(built_pack.pages)
    return re.sub(r"\s+", " ", raw.replace("\u00a0", " "))


def test_the_pdf_is_tagged_in_danish_with_a_title(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert reader.metadata is not None
    assert reader.metadata.title == "Datapakke: Horsensklyngen"


def test_every_figure_has_alt_text_and_tables_have_headers(reader: PdfReader, pack: Pack) -> None:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    figures = structure_elements(tree, "/Figure")
    spines = [r for r in pack.key_figures.rows if r.spine is not None]  # type: ignore[union-attr]
    assert len(figures) == len(pack.charts) + len(spines)
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    headers = structure_elements(tree, "/TH")
    assert len(headers) > 100
    assert structure_elements(tree, "/Table") and structure_elements(tree, "/Caption")
    assert {f"/H{n}" for n in (1, 2, 3)} <= {
        e.get("/S")
        for e in structure_elements(tree, "/H1")
        + structure_elements(tree, "/H2")
        + structure_elements(tree, "/H3")
    }


def test_every_theme_heading_and_catalogue_title_is_in_the_text(text: str) -> None:
    catalogue = load_catalogue()
    for theme in catalogue.themes:
        assert theme.title in text, theme.title
    for indicator in catalogue.indicators:
        assert indicator.title in text, indicator.title
    for heading in ("Indhold", "Hovedbudskaber", "Nøgletal", "Metode og definitioner"):
        assert heading in text


def test_key_messages_are_in_the_text(text: str, pack: Pack) -> None:
    # Only age-adjusted values are compared, so a small sample may have no finding in a
    # theme: then its note (no finding, or the parts that stand out) is on the page.
    assert pack.messages
    flat = " ".join(text.split())
    for group in pack.messages:
        assert group.messages or group.kommune_note, group.theme_id
        for message in group.messages:
            assert message.text.replace("\u00a0", " ") in text
        if group.kommune_note:
            assert " ".join(group.kommune_note.replace("\u00a0", " ").split()) in flat


def test_gaps_are_labelled_and_explained(text: str) -> None:
    assert "<5" in text
    assert "færre end 5 personer eller hændelser" in text
    assert "for få tilfælde" in text
    # Both kinds of hidden value have their own footnote.
    assert "antallet er mellem 1 og 4 personer" in text
    assert "tallet er ikke selv under 5, men er skjult" in text.replace("\n", " ")


def test_bookmarks_and_contents_page_numbers_agree(
    reader: PdfReader, built_pack: BuiltPack
) -> None:
    outline = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    contents = built_pack.pages[1]
    for title in ("Hovedbudskaber", "Nøgletal", "Populationsoverblik", "De sårbare ældre",
                  "Kronikerområdet", "Psykiatriområdet", "Metode og definitioner"):  # fmt: skip
        assert title in outline, title
        line = next(x for x in contents.splitlines() if x.startswith(title))
        assert line.rstrip().endswith(f" {outline[title] + 1}"), line


def test_running_header_and_page_numbers(built_pack: BuiltPack) -> None:
    page = built_pack.pages[4]
    assert "Horsensklyngen" in page
    assert re.search(rf"Side 5 af {len(built_pack.pages)}", page)


def test_workbook_is_beside_the_pdf_and_inside_it(
    reader: PdfReader, built_pack: BuiltPack, pack: Pack
) -> None:
    beside = built_pack.xlsx.read_bytes()
    attachments = reader.attachments
    assert list(attachments) == [built_pack.xlsx.name]
    assert attachments[built_pack.xlsx.name] == [beside]
    sheets = fastexcel.read_excel(beside).sheet_names
    assert sheets == sheet_names(pack)
    for figure in pack.figures:  # every chart's numbers; the maps' are on one sheet
        assert figure.id[:31] in sheets, figure.id
    assert {"hovedbudskaber", "noegletal", "kort"} <= set(sheets)


def test_workbook_keeps_gaps_as_labels(built_pack: BuiltPack) -> None:
    workbook = fastexcel.read_excel(built_pack.xlsx)
    counts, values = [], []
    for name in workbook.sheet_names:
        if name.endswith("-omraader"):
            frame = workbook.load_sheet_by_name(name, header_row=2).to_polars()
            counts += [str(v) for v in frame.get_column(frame.columns[1]).to_list()]
            values += [str(v) for v in frame.get_column(frame.columns[3]).to_list()]
    # "<5" is a count; a rate or share of a hidden row says "skjult", never "<5".
    assert "<5" in counts and "skjult" in counts
    assert "skjult" in values and "for få tilfælde" in values and "<5" not in values
