"""Packs for any area: a 2027 council, a municipality and a region, in the words of their type."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.compute import Results
from datapakke.geography import Geography, load_geography
from datapakke.pack import Pack, build_pack
from datapakke.pack.chart_specs import ComparisonChart
from datapakke.render.html import render_html, template_environment

RAAD = "sundhedsraad-2027"


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography(RAAD)


@pytest.fixture(scope="module")
def results(council_results: Results) -> Results:
    return council_results


def _pack(results: Results, geography: Geography, level: str, name: str) -> Pack:
    find = {"area": geography.find_area, "kommune": geography.find_kommune,
            "region": geography.find_region}[level]  # fmt: skip
    return build_pack(
        results, geography, geography.key_of(find(name)),  # type: ignore[operator]
        build_date=dt.date(2027, 1, 4), version="9.9.9", synthetic=True,
    )  # fmt: skip


def _html(pack: Pack) -> str:
    svgs = {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pack.charts}
    return render_html(pack, svgs, template_environment())


def _text(html: str) -> str:
    """What a reader sees: the HTML without tags and attributes."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _first_comparison(pack: Pack) -> ComparisonChart:
    block = next(b for s in pack.sections for b in s.blocks if b.id == "doedelighed")
    chart = block.figures[0].chart
    assert isinstance(chart, ComparisonChart)
    return chart


@pytest.fixture(scope="module")
def horsens(results: Results, geography: Geography) -> Pack:
    return _pack(results, geography, "area", "Horsens")


@pytest.fixture(scope="module")
def odder(results: Results, geography: Geography) -> Pack:
    return _pack(results, geography, "kommune", "Odder")


@pytest.fixture(scope="module")
def midtjylland(results: Results, geography: Geography) -> Pack:
    return _pack(results, geography, "region", "Midtjylland")


def test_the_engine_computes_the_councils_and_the_four_regions(results: Results) -> None:
    areas = results.indicators.group_by("area_level").agg(pl.col("area_code").n_unique())
    assert dict(areas.iter_rows()) == {"kommune": 98, "sundhedsraad": 17, "region": 4, "land": 1}
    assert results.area_set == RAAD


def test_a_council_pack_speaks_of_the_council(horsens: Pack) -> None:
    front = horsens.front
    assert horsens.title == "Datapakke: Sundhedsråd Horsens"
    assert front.kicker == "Datapakke for sundhedsrådet"
    assert ("Region", "Region Midtjylland") in front.facts
    assert ("Akuthospital", "Regionshospitalet Horsens") in front.facts
    assert [m.navn for m in front.members] == ["Hedensted", "Horsens", "Odder", "Skanderborg"]
    assert front.membership_note is not None
    assert front.membership_note.startswith("Rådets sammensætning er ikke bekræftet")
    assert "tredjeparts opgørelse" in front.membership_note
    kf = horsens.key_figures
    assert kf is not None
    assert (kf.value_header, kf.spine_header) == ("Rådet", "Spænd blandt rådene")
    assert "blandt alle 17 sundhedsråd" in kf.lead
    assert kf.peers == 17
    assert [m.title for m in horsens.messages][:1] in (
        [], ["Her ligger rådet dårligere end landet"], ["Her ligger rådet bedre end landet"],
        ["Her ligger rådet højere eller lavere end landet (uden at det er bedre eller dårligere)"],
        ["Udviklingen i de øvrige nøgletal"],
    )  # fmt: skip
    labels = [r.label for r in _first_comparison(horsens).rows]
    assert labels == ["Hedensted", "Horsens", "Odder", "Skanderborg", "Sundhedsråd Horsens",
                      "Region Midtjylland"]  # fmt: skip


def test_no_2027_pack_calls_its_area_a_cluster(
    horsens: Pack, odder: Pack, midtjylland: Pack
) -> None:
    for pack in (horsens, odder, midtjylland):
        text = _text(_html(pack)).lower()
        assert "klynge" not in text, pack.title


def test_the_disputed_councils_say_so_on_the_front_page(
    results: Results, geography: Geography
) -> None:
    for council, municipality in (("fyn", "Middelfart"), ("lillebaelt", "Middelfart"),
                                  ("sydvestjylland", "Billund")):  # fmt: skip
        note = _pack(results, geography, "area", council).front.membership_note or ""
        assert note.startswith("Rådets sammensætning er omstridt."), council
        assert municipality in note
    assert _pack(results, geography, "area", "amager-vestegnen").front.membership_note is None


def test_a_municipality_pack_compares_with_its_council_region_and_country(odder: Pack) -> None:
    front = odder.front
    assert front.navn == "Odder"
    assert front.kicker == "Datapakke for kommunen"
    assert front.slug == "kommune-odder"
    assert ("Kommunekode", "727") in front.facts
    assert ("Sundhedsråd", "Sundhedsråd Horsens") in front.facts
    assert ("Region", "Region Midtjylland") in front.facts
    assert front.members == ()  # one municipality: no table of itself
    assert front.membership_note is None
    labels = [r.label for r in _first_comparison(odder).rows]
    assert labels == ["Odder", "Sundhedsråd Horsens", "Region Midtjylland"]
    kf = odder.key_figures
    assert kf is not None
    assert kf.peers == 98
    assert "hvor kommunen ligger blandt alle 98 kommuner" in kf.lead
    assert kf.value_header == "Kommunen"
    assert odder.kommune_messages == ()
    text = _text(_html(odder))
    assert "kommunens kommuner" not in text.lower()
    assert "Kommunen adskiller sig" in text or "Her ligger kommunen" in text


def test_a_region_pack_shows_its_councils_side_by_side(midtjylland: Pack) -> None:
    front = midtjylland.front
    assert front.navn == "Region Midtjylland"
    assert front.kicker == "Datapakke for regionen"
    assert front.slug == "region-midtjylland"
    assert [m.navn for m in front.members] == [  # Danish order: Aarhus as Århus, last
        "Sundhedsråd Horsens", "Sundhedsråd Kronjylland", "Sundhedsråd Midt",
        "Sundhedsråd Vestjylland", "Sundhedsråd Aarhus",
    ]  # fmt: skip
    assert front.member_header == "Sundhedsråd"
    assert front.code_header is None
    assert front.members_caption == "Regionens sundhedsråd"
    labels = [r.label for r in _first_comparison(midtjylland).rows]
    assert labels == [*(m.navn for m in front.members), "Region Midtjylland"]
    kf = midtjylland.key_figures
    assert kf is not None
    assert kf.region_header is None  # the region is the pack's own column
    assert (kf.peers, kf.value_header) == (4, "Regionen")
    assert "blandt alle 4 regioner" in kf.lead
    assert midtjylland.parts_word == "rådene"
    matrix = next(s.matrix for s in midtjylland.sections if s.matrix is not None)
    assert matrix.columns[-2:] == ("Regionen", "Hele landet")
    assert "regionens sundhedsråd" in matrix.caption


def test_region_oestdanmark_holds_six_councils(results: Results, geography: Geography) -> None:
    pack = _pack(results, geography, "region", "Østdanmark")
    assert pack.front.navn == "Region Østdanmark"
    assert len(pack.front.members) == 6
    assert pack.front.folketal == sum(m.folketal for m in pack.front.members)


def test_a_2022_cluster_pack_built_in_2027_says_the_clusters_were_replaced(
    small_results: Results,
) -> None:
    geography = load_geography("klynger-2022")
    pack = build_pack(
        small_results, geography,
        geography.key("klynge", "horsensklyngen"), build_date=dt.date(2027, 1, 4), version="x",
    )  # fmt: skip
    assert pack.front.kicker == "Datapakke for sundhedsklyngen"
    assert "afløst af 17 sundhedsråd" in (pack.front.membership_note or "")
    assert pack.key_figures is not None and "blandt alle 22 klynger" in pack.key_figures.lead
