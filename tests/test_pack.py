"""The Pack model built from a realistic IndicatorTable: contents, gaps, wording, layout sizes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import Results
from datapakke.geography import Geography, load_geography
from datapakke.pack import Pack, build_pack
from datapakke.pack.labels import SIGNIFICANT
from datapakke.render.html import render_html, template_environment
from tests.fabricated import fabricated_from

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def geography() -> Geography:
    return load_geography()


@pytest.fixture(scope="module")
def results(small_sample: Path) -> Results:
    return fabricated_from(small_sample)


def _pack(results: Results, geography: Geography, name: str) -> Pack:
    return build_pack(
        results, geography, geography.find_klynge(name),
        build_date=dt.date(2026, 1, 2), version="9.9.9", synthetic=True,
    )  # fmt: skip


def _html(pack: Pack) -> str:
    svgs = {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pack.charts}
    return render_html(pack, svgs, template_environment())


@pytest.fixture(scope="module")
def fyn(results: Results, geography: Geography) -> Pack:
    return _pack(results, geography, "fynsklyngen")


def _cluster_rows(results: Results, klynge_id: str) -> pl.DataFrame:
    last = results.years[-1]
    return results.indicators.filter(
        pl.col("area_level") == "klynge", pl.col("area_code") == klynge_id, pl.col("year") == last
    )


def test_every_theme_and_catalogue_title_is_in_the_pack(fyn: Pack) -> None:
    html = _html(fyn)
    for theme in CATALOGUE.themes:
        assert f">{theme.title}</h2>" in html, theme.title
    for indicator in CATALOGUE.indicators:
        assert indicator.title in html, indicator.title
    for heading in ("Indhold", "Hovedbudskaber", "Nøgletal", "Metode og definitioner"):
        assert f">{heading}</h2>" in html


def test_every_headline_indicator_is_a_key_figure_in_catalogue_order(fyn: Pack) -> None:
    assert fyn.key_figures is not None
    expected = [i.id for i in CATALOGUE.indicators if i.headline]
    assert [r.indicator_id for r in fyn.key_figures.rows] == expected
    with_spine = [r for r in fyn.key_figures.rows if r.spine is not None]
    assert len(with_spine) >= len(expected) - 2  # a few may lack two clusters with values
    assert all(r.spine_alt for r in with_spine)


def test_key_messages_are_exactly_the_significant_headline_differences(
    fyn: Pack, results: Results
) -> None:
    rows = {
        r["indicator_id"]: r for r in _cluster_rows(results, "fynsklyngen").iter_rows(named=True)
    }
    headline = {i.id for i in CATALOGUE.indicators if i.headline and i.compared}
    messages = [m for g in fyn.messages for m in g.messages]
    comparisons = [m for m in messages if m.kind == "comparison"]
    assert {m.indicator_id for m in comparisons} == {
        i for i in headline if rows[i]["comparison"] in SIGNIFICANT
    }
    assert {m.indicator_id for m in messages if m.trend} == {
        i for i in headline if rows[i]["trend"] in ("rising", "falling")
    }
    for message in messages:  # one message per indicator, a trend told where it is one
        assert message.trend == (rows[message.indicator_id]["trend"] if message.trend else "")
    assert len({m.indicator_id for m in messages}) == len(messages)
    for message in comparisons:
        assert message.tone == rows[message.indicator_id]["comparison"]
        assert "signifikant" in message.text
    for group in fyn.messages:  # a group holds only its own kind of finding
        assert len({m.tone for m in group.messages} - {"higher", "lower", "rising", "falling"}) <= 1


def test_building_twice_gives_the_same_pack(results: Results, geography: Geography) -> None:
    assert _pack(results, geography, "horsens") == _pack(results, geography, "horsens")


def test_suppressed_values_are_labels_never_numbers(fyn: Pack, results: Results) -> None:
    hidden = results.indicators.filter(
        pl.col("flag").is_in(["suppressed_small", "suppressed_complementary", "too_few"]),
        pl.col("year") == results.years[-1],
        pl.col("area_level") == "kommune",
        pl.col("area_code").is_in(
            [str(k) for k in load_geography().klynger["fynsklyngen"].kommunekoder]
        ),
    )
    assert hidden.height > 0, "the small sample should have suppressed municipalities"
    names = {str(k): load_geography().kommuner[k].navn for k in load_geography().kommuner}
    blocks = {b.id: b for s in fyn.sections for b in s.blocks}
    matrices = {
        r.indicator_id: (s.matrix, r) for s in fyn.sections if s.matrix for r in s.matrix.rows
    }
    assert set(hidden["flag"]) >= {"suppressed_small", "suppressed_complementary"}
    for row in hidden.iter_rows(named=True):
        # A rate or share is never "<5" (it would read as a rate under 5); the count is
        # "<5" only when it is 1-4, and "skjult" when hidden to protect another.
        label = "for få tilfælde" if row["flag"] == "too_few" else "skjult"
        count_label = {"suppressed_small": "<5", "suppressed_complementary": "skjult"}
        matrix, matrix_row = matrices[row["indicator_id"]]
        cell = matrix_row.cells[matrix.columns.index(names[row["area_code"]])]
        assert cell.text == label and not cell.verdict
        block = blocks.get(row["indicator_id"])
        if block is None:
            continue
        chart = block.figures[0].chart
        if chart is None:  # nothing to show at all: the figure says why in words
            assert block.figures[0].empty_reason
        else:
            chart_row = next(
                r
                for r in chart.rows  # type: ignore[union-attr]
                if r.label == names[row["area_code"]]
            )
            assert chart_row.value is None and chart_row.missing == label
        numbers = next(r for r in block.figures[0].table.rows if r[0] == names[row["area_code"]])
        _name, count, _base, value, lower, upper, *_rest = numbers
        assert value == label and lower is None and upper is None  # the workbook's numbers
        if row["flag"] in count_label:
            assert count == count_label[row["flag"]]
        assert any(f"«{count_label.get(row['flag'], label)}»" in note for note in block.notes)


def test_a_missing_indicator_is_said_in_plain_words(
    small_sample: Path, geography: Geography
) -> None:
    results = fabricated_from(small_sample, missing=("polyfarmaci_65",))
    pack = _pack(results, geography, "horsens")
    block = next(b for s in pack.sections for b in s.blocks if b.id == "polyfarmaci_65")
    assert not block.figures
    assert "registerudtrækket" in block.summary[0]
    assert "beregnes" in block.summary[0]
    theme = next(s for s in pack.sections if s.id == "saarbare_aeldre")
    assert "polyfarmaci blandt 65+ årige" in " ".join(theme.paragraphs)
    assert theme.matrix is not None
    assert "polyfarmaci_65" not in {r.indicator_id for r in theme.matrix.rows}
    key = next(r for r in pack.key_figures.rows if r.indicator_id == "polyfarmaci_65")  # type: ignore[union-attr]
    assert key.cluster == "ikke opgjort" and key.spine is None


def test_a_one_municipality_cluster_shows_the_cluster_once(
    results: Results, geography: Geography
) -> None:
    pack = _pack(results, geography, "bornholm")
    block = next(b for s in pack.sections for b in s.blocks if b.id == "doedelighed")
    labels = [r.label for r in block.figures[0].chart.rows]  # type: ignore[union-attr]
    assert labels == ["Klynge Bornholm", "Region Hovedstaden"]
    matrix = pack.sections[1].matrix
    assert matrix is not None
    assert matrix.columns == ("Klyngen", "Regionen", "Hele landet")
    assert "Klynge Bornholm, Region Hovedstaden" in matrix.caption


def test_nine_municipalities_are_all_shown(fyn: Pack) -> None:
    block = next(b for s in fyn.sections for b in s.blocks if b.id == "prev_kol")
    assert len(block.figures[0].chart.rows) == 9 + 2  # type: ignore[union-attr]


def test_every_figure_has_alt_text_from_its_data(fyn: Pack) -> None:
    for figure in fyn.figures:
        assert figure.alt.strip(), figure.id
        if figure.chart is None:
            assert figure.empty_reason
    doed = next(f for f in fyn.figures if f.id == "doedelighed-omraader")
    assert "Fynsklyngen" in doed.alt and "hele landet" in doed.alt
    assert re.search(r"\d+,\d", doed.alt)


def test_methods_are_generated_from_the_catalogue(fyn: Pack) -> None:
    assert fyn.methods is not None
    definitions = {d.indicator_id: dict(d.items) for g in fyn.methods.groups for d in g.definitions}
    assert set(definitions) == {i.id for i in CATALOGUE.indicators}
    forebyg = definitions["forebyggelige_indl_65"]
    assert "DJ12-DJ18" in forebyg["Diagnosekoder (SKS, aktionsdiagnose)"]
    assert forebyg["Befolkningsgruppe"] == "65+ år"
    assert forebyg["Vurdering"] == "Lavere er bedre"
    assert "Standardbefolkning: landets befolkning" in forebyg["Opgørelse"]
    assert (
        "pr. 1. januar 2023 efter køn og 5-års aldersgrupper, den samme for alle år"
        in (forebyg["Opgørelse"])
    )
    assert forebyg["Kilde og år"].endswith("2021–2023.")
    assert definitions["genindl_30d_65"]["Tælles ikke med (aktionsdiagnose)"].startswith("DC")
    assert definitions["middellevetid_kvinder"]["Befolkningsgruppe"] == "Alle aldre, kvinder"


def test_front_page_names_versions_and_notes(fyn: Pack) -> None:
    front = fyn.front
    assert front.catalogue_version == CATALOGUE.version
    assert len(front.kommuner) == 9
    assert front.membership_note and "ikke bekræftet" in front.membership_note
    assert front.data_note and "Syntetiske data" in front.data_note
    assert front.coverage_note is None  # the sample covers the whole country


def test_front_page_says_where_copenhagen_is_counted(
    results: Results, geography: Geography
) -> None:
    byen = _pack(results, geography, "byen").front.membership_note
    syd = _pack(results, geography, "hovedstaden-syd").front.membership_note
    assert byen and "Amager-delen" in byen and "ikke bekræftet" not in byen
    assert syd and "indgår i sin helhed i Klynge Byen" in syd
    assert _pack(results, geography, "horsensklyngen").front.membership_note is None


def test_partial_coverage_is_said_on_the_front_page(results: Results, geography: Geography) -> None:
    from dataclasses import replace

    from datapakke.engine.compute import Coverage

    horsens = geography.klynger["horsensklyngen"]
    covered = tuple(sorted(horsens.kommunekoder))
    partial = replace(results, coverage=Coverage(covered, (horsens.id,), (), complete=False))
    note = _pack(partial, geography, "horsens").front.coverage_note
    assert note is not None
    assert f"dækker {len(covered)} af landets 98 kommuner" in note
    assert "«Hele landet»" in note
    assert _pack(results, geography, "horsens").front.coverage_note is None


def test_municipality_messages_count_their_significant_key_figures(
    fyn: Pack, results: Results, geography: Geography
) -> None:
    judged = [i for i in CATALOGUE.indicators if i.headline and i.compared and i.polarity != "none"]
    last = results.years[-1]
    rows = results.indicators.filter(pl.col("area_level") == "kommune", pl.col("year") == last)
    expected = []
    for code in sorted(geography.klynger["fynsklyngen"].kommunekoder):
        mine = rows.filter(pl.col("area_code") == str(code))
        verdicts = dict(zip(mine["indicator_id"], mine["comparison"], strict=True))
        worse = sum(verdicts.get(i.id) == "worse" for i in judged)
        better = sum(verdicts.get(i.id) == "better" for i in judged)
        if worse or better:
            expected.append((geography.kommuner[code].navn, worse, better))
    found = []
    for text in fyn.kommune_messages:
        name = text.split(":")[0]
        worse = re.search(r"dårligere end landet på (\d+)", text)
        better = re.search(r"bedre på (\d+)", text)
        found.append((name, int(worse[1]) if worse else 0, int(better[1]) if better else 0))
    assert sorted(found) == sorted(expected)
