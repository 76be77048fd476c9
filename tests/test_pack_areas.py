"""Packs for any area: a 2027 council, a municipality and a region, in the words of their type."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl
import pytest

from datapakke.engine.compute import Results
from datapakke.geography import Geography, load_geography
from datapakke.pack import Pack, build_pack
from datapakke.pack.chart_specs import ComparisonChart
from datapakke.render.html import render_html, template_environment

RAAD = "sundhedsraad-2027"


@pytest.fixture(scope="module")
def councils() -> Geography:
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
def horsens(results: Results, councils: Geography) -> Pack:
    return _pack(results, councils, "area", "Horsens")


@pytest.fixture(scope="module")
def odder(results: Results, councils: Geography) -> Pack:
    return _pack(results, councils, "kommune", "Odder")


@pytest.fixture(scope="module")
def midtjylland(results: Results, councils: Geography) -> Pack:
    return _pack(results, councils, "region", "Midtjylland")


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
    assert (kf.value_header, kf.range_header) == ("Rådet", "Spænd blandt de 17 sundhedsråd")
    assert "hvor rådet ligger blandt de sundhedsråd, der har et tal" in kf.lead
    peers = {r.peers for r in kf.rows if r.spine is not None}
    assert max(peers) == 17 and min(peers) >= 1  # councils with a value, never more than 17
    assert "Rådet" in horsens.message_summary or "rådet" in horsens.message_summary
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
    results: Results, councils: Geography
) -> None:
    for council, municipality in (("fyn", "Middelfart"), ("lillebaelt", "Middelfart"),
                                  ("sydvestjylland", "Billund")):  # fmt: skip
        note = _pack(results, councils, "area", council).front.membership_note or ""
        assert note.startswith("Rådets sammensætning er omstridt."), council
        assert municipality in note
    assert _pack(results, councils, "area", "amager-vestegnen").front.membership_note is None


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
    assert kf.range_header == "Spænd blandt de 98 kommuner"
    assert "hvor kommunen ligger blandt de kommuner, der har et tal" in kf.lead
    assert kf.value_header == "Kommunen"
    assert all(not s.kommune_findings for s in odder.sections)
    text = _text(_html(odder))
    assert "kommunens kommuner" not in text.lower()
    assert "hvor kommunen ligger blandt de kommuner" in text


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
    assert (kf.range_header, kf.value_header) == ("Spænd blandt de 4 regioner", "Regionen")
    assert kf.lead.startswith("Alle nøgletal for Region Midtjylland med hele landet;")
    lines = [line for s in midtjylland.sections for line in s.kommune_findings]
    assert all(line.split(": ")[0] in labels[:-1] for line in lines)  # the parts are councils
    matrix = next(s.matrix for s in midtjylland.sections if s.matrix is not None)
    assert matrix.columns[-2:] == ("Regionen", "Hele landet")
    assert "regionens sundhedsråd" in matrix.caption


def test_region_oestdanmark_holds_six_councils(results: Results, councils: Geography) -> None:
    pack = _pack(results, councils, "region", "Østdanmark")
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
    assert pack.key_figures is not None
    assert pack.key_figures.range_header == "Spænd blandt de 22 klynger"
