"""The Pack model built from a realistic IndicatorTable: contents, gaps, wording, layout sizes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import polars as pl
import pytest
from markupsafe import escape

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import Results, compute
from datapakke.geography import Geography, load_geography
from datapakke.numbers import heltal
from datapakke.pack import Pack, build_pack
from datapakke.pack.context import PackContext
from datapakke.pack.definitions import method_key
from datapakke.pack.labels import SIGNIFICANT
from datapakke.pack.messages import KEY_MESSAGES_PER_THEME, TONE_ORDER
from datapakke.pack.phrases import phrase_for
from datapakke.pack.text import lower_first
from datapakke.pack.trend import numbers_table
from datapakke.render.html import render_html, template_environment
from tests.golden.extract import golden_extract

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def results(small_results: Results) -> Results:
    return small_results


def _pack(results: Results, geography: Geography, name: str) -> Pack:
    return build_pack(
        results, geography, geography.key_of(geography.find_area(name)),
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
        assert escape(indicator.title) in html, indicator.title  # WHO's: WHO&#39;s
    for heading in ("Indhold", "Hovedbudskaber", "Nøgletal", "Metode og definitioner"):
        assert f">{heading}</h2>" in html


def test_every_headline_indicator_is_a_key_figure_in_catalogue_order(fyn: Pack) -> None:
    assert fyn.key_figures is not None
    expected = [i.id for i in CATALOGUE.indicators if i.headline]
    assert [r.indicator_id for r in fyn.key_figures.rows] == expected
    with_spine = [r for r in fyn.key_figures.rows if r.spine is not None]
    # A few may lack two clusters with values: at this 1 % scale a standardised rate needs
    # 10 events, which few clusters reach for hip fractures or psychiatric readmissions.
    assert len(with_spine) >= len(expected) - 4
    assert all(r.spine_alt for r in with_spine)


def test_key_messages_are_each_themes_strongest_significant_findings(
    fyn: Pack, results: Results
) -> None:
    rows = {
        r["indicator_id"]: r for r in _cluster_rows(results, "fynsklyngen").iter_rows(named=True)
    }
    for group in fyn.messages:
        compared = [i.id for i in CATALOGUE.in_theme(group.theme_id) if i.compared]
        significant = {i for i in compared if rows[i]["comparison"] in SIGNIFICANT}
        trending = {i for i in compared if rows[i]["trend"] in ("rising", "falling")}
        found = significant | trending
        shown = [m.indicator_id for m in group.messages]
        assert len(set(shown)) == len(shown) == min(len(found), KEY_MESSAGES_PER_THEME)
        assert set(shown) <= found
        left_out = len(found) - len(shown)
        assert group.more == (
            f"Afsnittet «{group.title}» nævner {left_out} fund mere for klyngen."
            if left_out
            else ""
        )
        tones = [m.tone for m in group.messages]
        assert tones == sorted(tones, key=TONE_ORDER.index)  # worse before better before the rest
        for message in group.messages:
            row = rows[message.indicator_id]
            assert message.trend == (row["trend"] if message.trend else "")
            if message.kind == "comparison":
                assert message.tone == row["comparison"] and "signifikant" in message.text
    assert any(m.indicator_id == "psyk_diag_depression" for g in fyn.messages for m in g.messages)


def test_building_twice_gives_the_same_pack(results: Results, geography: Geography) -> None:
    assert _pack(results, geography, "horsens") == _pack(results, geography, "horsens")


def test_suppressed_values_are_labels_never_numbers(fyn: Pack, results: Results) -> None:
    hidden = results.indicators.filter(
        pl.col("flag").is_in(["suppressed_small", "suppressed_complementary", "too_few"]),
        pl.col("year") == results.years[-1],
        pl.col("area_level") == "kommune",
        pl.col("area_code").is_in(
            [str(k) for k in load_geography().areas["fynsklyngen"].kommunekoder]
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
        assert cell.value == label and not cell.verdict
        block = blocks.get(row["indicator_id"])
        if block is None:
            continue
        chart = block.comparison.chart
        if chart is None:  # nothing to show at all: the figure says why in words
            assert block.comparison.empty_reason
        else:
            name = names[row["area_code"]]
            rows = {r.label: r for r in chart.rows}  # type: ignore[union-attr]
            if name in rows:
                assert rows[name].value is None and rows[name].missing == label
            else:  # shown by its published pooled figure, labelled with its years
                pooled = results.pooled.filter(
                    indicator_id=row["indicator_id"], area_level="kommune",
                    area_code=row["area_code"],
                ).row(0, named=True)  # fmt: skip
                years = f"{pooled['first_year']}–{pooled['year'] % 100:02d}"
                assert rows[f"{name} ({years})"].value == pooled["value"] is not None
        numbers = next(r for r in block.comparison.table.rows if r[0] == names[row["area_code"]])
        _name, count, _base, value, lower, upper, *_rest = numbers
        assert value == label and lower is None and upper is None  # the workbook's numbers
        if row["flag"] in count_label:
            assert count == count_label[row["flag"]]
        assert any(f"«{count_label.get(row['flag'], label)}»" in note for note in block.notes)


def test_a_missing_indicator_is_said_in_plain_words(geography: Geography) -> None:
    # The golden extract without its prescriptions: polyfarmaci_65 cannot be computed.
    extract = golden_extract()
    tables = {name: table for name, table in extract.tables.items() if name != "recepter"}
    results = compute(replace(extract, tables=tables), geography)
    unavailable = set(results.unavailable_indicators) - set(results.missing_aggregates)
    assert unavailable == {"polyfarmaci_65"}
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
    labels = [r.label for r in block.comparison.chart.rows]  # type: ignore[union-attr]
    assert labels == ["Klynge Bornholm", "Region Hovedstaden"]
    matrix = pack.sections[1].matrix
    assert matrix is not None
    assert matrix.columns == ("Klyngen", "Regionen", "Hele landet")
    assert "Klynge Bornholm, Region Hovedstaden" in matrix.caption


def test_nine_municipalities_are_all_shown(fyn: Pack) -> None:
    block = next(b for s in fyn.sections for b in s.blocks if b.id == "prev_kol")
    assert len(block.comparison.chart.rows) == 9 + 2  # type: ignore[union-attr]


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
    definitions = {d.indicator_id: d for g in fyn.methods.groups for d in g.definitions}
    assert set(definitions) == {i.id for i in CATALOGUE.indicators}
    forebyg = definitions["forebyggelige_indl_65"]
    assert "DJ12-DJ18" in dict(forebyg.codes)["Diagnosekoder (SKS, aktionsdiagnose)"]
    assert forebyg.group == "65+ år"
    assert forebyg.measure == "Standardiseret rate, pr. 1.000 65+ årige. Lavere er bedre."
    assert forebyg.source.endswith("2021–2023.")
    genindl = dict(definitions["genindl_30d_65"].codes)
    assert genindl["Tælles ikke med (aktionsdiagnose)"].startswith("DC")
    assert definitions["middellevetid_kvinder"].group == "Alle aldre, kvinder"


def test_the_methods_describe_each_method_once_with_the_indicators_that_use_it(
    fyn: Pack,
) -> None:
    assert fyn.methods is not None
    groups = {g.method: g for g in fyn.methods.methods}
    assert sorted(groups) == sorted({method_key(i) for i in CATALOGUE.indicators})
    # A projected count is described apart from the register's counts.
    projected = [i for i in CATALOGUE.indicators if method_key(i) == "projection"]
    assert projected and "ikke en optælling" in groups["projection"].text
    assert not {lower_first(i.display_title) for i in projected} & set(groups["count"].indicators)
    used = [title for g in fyn.methods.methods for title in g.indicators]
    assert len(used) == len(CATALOGUE.indicators)  # every indicator under exactly one method
    standardised = groups["rate_standardised"]
    assert "Standardbefolkning" not in standardised.text  # said once, in words:
    assert "landets befolkning" in standardised.text
    assert "pr. 1. januar 2023 efter køn og 5-års aldersgrupper, den samme for alle år" in (
        standardised.text
    )
    assert "forebyggelige indlæggelser (65+)" in standardised.indicators
    # Each rule once: no rule's heading twice, and the old duplicates are merged.
    headings = [h for h, _text in fyn.methods.rules]
    assert len(headings) == len(set(headings))
    assert not {"Diskretionering", "Konfidensintervaller", "Standardisering"} & set(headings)
    texts = " ".join(t for _h, t in fyn.methods.rules) + " ".join(
        g.text for g in fyn.methods.methods
    )
    shares = any(i.method == "share" for i in CATALOGUE.indicators)
    assert texts.count("Dobson") == 1 and texts.count("Wilson") == int(shares)
    assert texts.count("vises aldrig som nul") == 1


def test_front_page_names_versions_and_notes(fyn: Pack) -> None:
    front = fyn.front
    assert front.catalogue_version == CATALOGUE.version
    assert len(front.members) == 9
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

    horsens = geography.areas["horsensklyngen"]
    covered = tuple(sorted(horsens.kommunekoder))
    partial = replace(results, coverage=Coverage(covered, (horsens.id,), (), complete=False))
    note = _pack(partial, geography, "horsens").front.coverage_note
    assert note is not None
    assert f"dækker {len(covered)} af landets 98 kommuner" in note
    assert "«Hele landet»" in note
    assert _pack(results, geography, "horsens").front.coverage_note is None


def test_municipality_lines_name_every_significant_difference_of_their_theme(
    fyn: Pack, results: Results, geography: Geography
) -> None:
    last = results.years[-1]
    rows = results.indicators.filter(pl.col("area_level") == "kommune", pl.col("year") == last)
    for section in fyn.sections:
        compared = [i for i in CATALOGUE.in_theme(section.id) if i.compared]
        lines = dict(line.split(": ", 1) for line in section.kommune_findings)
        named = set()
        for code in geography.areas["fynsklyngen"].kommunekoder:
            name = geography.kommuner[code].navn
            mine = rows.filter(pl.col("area_code") == str(code), pl.col("value").is_not_null())
            verdicts = dict(zip(mine["indicator_id"], mine["comparison"], strict=True))
            titles = {lower_first(i.display_title): verdicts.get(i.id) for i in compared}
            different = [t for t, v in titles.items() if v in SIGNIFICANT]
            if not different:
                assert name not in lines, (section.id, name)
                continue
            named.add(name)
            for title in different:
                assert title in lines[name], (section.id, name, title)
            for title, verdict in titles.items():
                if verdict not in SIGNIFICANT and not any(title in t for t in different):
                    assert title not in lines[name], (section.id, name, title)
        assert set(lines) == named
        group = next((g for g in fyn.messages if g.theme_id == section.id), None)
        assert (group.kommuner if group else ()) == section.kommune_findings


def test_each_block_summary_gives_the_count_beside_the_rate(fyn: Pack, results: Results) -> None:
    blocks = {b.id: b for s in fyn.sections for b in s.blocks}
    checked = 0
    for indicator in CATALOGUE.indicators:
        counted = phrase_for(indicator).counted
        block = blocks.get(indicator.id)
        if block is None or block.comparison is None or not counted:
            continue
        rows = results.indicators.filter(
            pl.col("indicator_id") == indicator.id, pl.col("area_code") == "fynsklyngen"
        ).sort("year")
        row = rows.filter(pl.col("value").is_not_null() | pl.col("flag").ne("ok")).row(
            -1, named=True
        )
        if row["value"] is None or row["numerator"] is None or indicator.unit == "persons":
            assert f" {counted})" not in block.summary[0]
            continue
        # "Klyngen: 52,1 pr. 1.000 i 2023 (115 borgere med demens), hele landet: ..."
        assert f" ({heltal(row['numerator'])} {counted}), hele landet" in block.summary[0]
        checked += 1
    assert checked >= 10


def test_the_trend_numbers_give_the_areas_count_beside_its_rate_each_year(
    fyn: Pack, results: Results, geography: Geography
) -> None:
    blocks = {b.id: b for s in fyn.sections for b in s.blocks}
    block = blocks["forebyggelige_indl_65"]
    assert block.table is not None
    rows = results.indicators.filter(
        pl.col("indicator_id") == "forebyggelige_indl_65", pl.col("area_code") == "fynsklyngen"
    ).sort("year")
    numerators = [n if n is not None else "<5" for n in rows["numerator"].to_list()]
    headers = [c.header for c in block.table.columns]
    if block.table_under_trend:  # a row per year: År, Klyngen, Antal, Regionen, Landet
        assert headers[:3] == ["År", "Klyngen", "Antal"]
        assert [r[2] for r in block.table.rows] == numerators
    else:  # a row per area, the count right under the area's values, as whole numbers
        counts = next(r for r in block.table.rows if r[0] == "Klyngen, antal")
        assert list(counts[1:]) == numerators
        assert block.table.row_decimals[1] == 0
    # A life expectancy counts no persons or events: no count beside it.
    ctx = PackContext(
        geography=geography, area=geography.key("klynge", "fynsklyngen"),
        results=results, catalogue=results.catalogue,
    )  # fmt: skip
    for by_year in (True, False):
        life = numbers_table(ctx, CATALOGUE.get("middellevetid"), by_year=by_year)
        assert "Antal" not in [c.header for c in life.columns]
        assert not any(str(r[0]).endswith("antal") for r in life.rows)
