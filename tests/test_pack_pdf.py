"""The built PDF read back: the key-figures table and its legend on one page, the
Hovedbudskaber as the model says, and honest words throughout."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.engine.catalogue import SAMPLED_METHODS, load_catalogue
from datapakke.engine.compute import Results
from datapakke.geography import Geography
from datapakke.pack import Pack
from datapakke.pack.labels import trend_legend
from tests.conftest import READS_BUILT_PACK, READS_FULL_PACKS, BuiltPack


def _plain(text: str) -> str:
    """Page text with every run of white space (line breaks, no-break spaces) as one space,
    and a line broken after a hyphen ("95 %-" / "konfidensinterval") joined again."""
    text = re.sub(r"-\n", "-", text.replace("\u00a0", " "))
    return re.sub(r"\s+", " ", text).strip()


def _pages(built_pack: BuiltPack) -> list[str]:
    return [_plain(page) for page in built_pack.pages]


def _key_figures_on_two_pages(pages: list[str], pack: Pack) -> tuple[str, str]:
    """The two pages of the key-figures table: each holds its own themes' rows whole, the
    first the legend, the second the notes, and nothing spills onto the page after."""
    key_figures = pack.key_figures
    assert key_figures is not None
    caption = f"Nøgletal for {pack.front.navn}, {key_figures.year}"
    (number,) = [n for n, text in enumerate(pages) if caption in text and "(fortsat)" not in text]
    first, second = pages[number], pages[number + 1]
    assert f"{caption} (fortsat)" in second
    assert "Sammenlignet med hele landet:" in first
    for page, groups in zip((first, second), key_figures.pages, strict=True):
        assert groups, "both pages hold themes"
        assert _plain(key_figures.range_header) in page
        for group in groups:
            assert _plain(group.title) in page, group.title
            for row in group.rows:
                assert _plain(row.title) in page, row.title
    assert not any(_plain(r.title) in first for g in key_figures.pages[1] for r in g.rows[-1:])
    for note in key_figures.notes:
        assert _plain(note) in second, note[:40]
    following = pages[number + 2]
    assert not any(_plain(row.title) in following for row in key_figures.rows[-3:])
    assert "Spændet: den lyse bjælke" not in following
    return first, second


@READS_BUILT_PACK
def test_the_key_figures_table_takes_two_pages_split_at_a_theme_with_its_legend_and_notes(
    built_pack: BuiltPack,
) -> None:
    _key_figures_on_two_pages(_pages(built_pack), built_pack.pack)


@READS_BUILT_PACK
def test_the_key_figures_page_says_which_figures_are_age_adjusted_and_how_trends_are_tested(
    built_pack: BuiltPack,
) -> None:
    key_figures = built_pack.pack.key_figures
    assert key_figures is not None
    page = " ".join(p for p in _pages(built_pack) if "Nøgletal for" in p)  # both pages
    assert "Aldersjusteret" in page
    catalogue = load_catalogue()
    for row in key_figures.rows:
        indicator = catalogue.get(row.indicator_id)
        sampled = indicator.method in SAMPLED_METHODS
        expected = "ja" if indicator.age_adjusted else "nej" if sampled else "–"
        assert row.adjustment == expected, row.indicator_id
    assert {r.adjustment for r in key_figures.rows} >= {"ja", "–"}
    assert _plain(trend_legend(5, "99,8 %")) in page
    assert "ingen sikker ændring" in page


@READS_BUILT_PACK
def test_hovedbudskaber_print_the_models_findings_per_theme(built_pack: BuiltPack) -> None:
    pages = _pages(built_pack)
    start = next(n for n, p in enumerate(pages) if p.startswith("Hovedbudskaber Det vigtigste"))
    text = " ".join(pages[start : start + 2])
    assert _plain(built_pack.pack.message_summary) in text
    assert built_pack.pack.messages, "the sample has findings to tell"
    for group in built_pack.pack.messages:
        assert group.title in text
        for message in group.messages:
            assert _plain(message.text) in text
        for line in group.kommuner:
            assert _plain(line) in text


@READS_BUILT_PACK
def test_no_sentence_calls_a_rate_of_persons_more_persons_or_an_untested_trend_unchanged(
    built_pack: BuiltPack,
) -> None:
    text = " ".join(_pages(built_pack))
    assert not re.search(r"signifikant (flere|færre) (personer|borgere)", text)
    assert "→ uændret" not in text
    assert not re.search(r"udvikling\w*[^.]{0,40}\buændret\b", text, flags=re.IGNORECASE)


@pytest.mark.slow
@READS_FULL_PACKS
@pytest.mark.parametrize("klynge", ["bornholm", "fynsklyngen"])
def test_one_and_nine_municipalities_keep_the_key_figures_on_their_two_pages(
    klynge: str, full_packs: Path, small_results: Results, geography: Geography
) -> None:
    from datapakke.run.build import pack_model

    chosen = geography.key("klynge", klynge)
    pages = [_plain(p.extract_text() or "") for p in PdfReader(full_packs / f"{klynge}.pdf").pages]
    _key_figures_on_two_pages(pages, pack_model(small_results, geography, chosen))
    hovedbudskaber = next(p for p in pages if p.startswith("Hovedbudskaber Det vigtigste"))
    assert ("og de kommuner, der skiller sig ud" in hovedbudskaber) == (klynge == "fynsklyngen")
