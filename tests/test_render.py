"""Templates: autoescape, user overrides, readable errors, and a snapshot of one section."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import matplotlib as mpl
import polars as pl
import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import Results
from datapakke.engine.table import conform
from datapakke.errors import InputError
from datapakke.geography import load_geography
from datapakke.pack import Pack, build_pack
from datapakke.pack.context import PackContext
from datapakke.pack.model import Section
from datapakke.pack.themes import theme_section
from datapakke.render import charts
from datapakke.render.charts import style
from datapakke.render.html import draw_charts, render_html, template_environment


@pytest.fixture(scope="module")
def pack(small_results: Results) -> Pack:
    geography = load_geography()
    return build_pack(
        small_results, geography, geography.key("klynge", "fynsklyngen"),
        build_date=dt.date(2026, 1, 2), version="9.9.9",
    )  # fmt: skip


def _charts(pack: Pack) -> dict[str, str]:
    return {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pack.charts}


def test_bundled_template_renders_every_figure_with_alt_text(pack: Pack) -> None:
    html = render_html(pack, _charts(pack), template_environment())
    assert html.count("<img ") == len(pack.charts) + sum(
        1
        for r in pack.key_figures.rows  # type: ignore[union-attr]
        if r.spine is not None
    )
    for figure in pack.figures:
        assert figure.alt
        assert (figure.caption or figure.title) in html
    assert "2. januar 2026" in html
    assert "Fynsklyngen uden Middelfart" in html or "ikke bekræftet" in html


def test_user_template_extends_the_bundled_one(pack: Pack, tmp_path: Path) -> None:
    (tmp_path / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}'
        "{% block front_page %}<p>Egen forside for {{ pack.front.navn }}</p>{% endblock %}",
        encoding="utf-8",
    )
    html = render_html(pack, _charts(pack), template_environment(tmp_path))
    assert "<p>Egen forside for Fynsklyngen</p>" in html
    assert "Populationsoverblik" in html  # the rest comes from the bundled template


def test_values_are_escaped(pack: Pack, tmp_path: Path) -> None:
    (tmp_path / "pack.html.j2").write_text("{{ '<b>' }}", encoding="utf-8")
    assert render_html(pack, {}, template_environment(tmp_path)) == "&lt;b&gt;"


def test_template_error_names_file_and_line(pack: Pack, tmp_path: Path) -> None:
    (tmp_path / "pack.html.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"pack\.html\.j2:2: template syntax error"):
        render_html(pack, {}, template_environment(tmp_path))


def test_missing_template_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such template folder"):
        template_environment(tmp_path / "nope")


def test_charts_are_deterministic_svg(pack: Pack) -> None:
    figure = next(f for f in pack.figures if f.id == "befolkningspyramide")
    assert figure.chart is not None
    first, second = charts.draw(figure.chart), charts.draw(figure.chart)
    assert first == second
    assert first.startswith("<svg")
    assert "Mænd, Fynsklyngen" in first  # text stays text (svg.fonttype none)


def test_a_packs_charts_drawn_in_one_house_style_block_are_each_drawn_alone(
    pack: Pack, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = []
    rc_context = mpl.rc_context
    monkeypatch.setattr(mpl, "rc_context", lambda rc: applied.append(rc) or rc_context(rc))
    drawn = draw_charts(pack)
    assert len(applied) == 1  # the house style set and restored once, not per chart
    monkeypatch.undo()
    alone = {f.id: charts.draw(f.chart) for f in pack.charts if f.chart}
    assert drawn == alone
    # Both fixed-size and cropped charts (savefig.bbox is set by each chart).
    kinds = {type(f.chart) for f in pack.charts}
    assert {charts.ComparisonChart, charts.PyramidChart} <= kinds


def test_the_house_style_is_restored_after_its_outer_block() -> None:
    before = dict(mpl.rcParams)
    with style.house_style():
        with style.house_style():
            assert mpl.rcParams["svg.fonttype"] == "none"
        assert mpl.rcParams["svg.fonttype"] == "none"  # the inner block restores nothing
    assert dict(mpl.rcParams) == before


# --- Snapshot: the Kronikerområdet chapter of a hand-made IndicatorTable -------------------

YEARS = (2022, 2023, 2024)
CATALOGUE = load_catalogue()


def _handmade_results() -> Results:
    """Horsensklyngen's areas with fixed values: differences, a gap of each kind, a missing one."""
    geography = load_geography()
    klynge = geography.areas["horsensklyngen"]
    areas = [("kommune", str(k), geography.kommuner[k].navn) for k in sorted(klynge.kommunekoder)]
    areas += [("klynge", klynge.id, klynge.navn), ("region", "1082", "Region Midtjylland"),
              ("land", "DK", "Hele landet")]  # fmt: skip
    comparisons = ("similar", "higher", "lower", "similar", "similar", "higher", "similar")
    rows: list[dict[str, Any]] = []
    for n, indicator in enumerate(CATALOGUE.in_theme("kronikere")):
        for a, (level, code, name) in enumerate(areas):
            for y, year in enumerate(YEARS):
                value = 10.0 + n + a * 0.5 + y * 0.25
                flag, comparison = "ok", comparisons[a]
                if indicator.id == "prev_osteoporose":
                    flag = "not_available"  # as when the extract lacks a table
                elif level == "kommune" and a == 2 and n == 0:
                    flag = "suppressed_small"
                elif level == "kommune" and a == 3 and n == 2:
                    flag = "too_few"
                shown = flag == "ok"
                rising = shown and level == "klynge" and n == 1
                rows.append({
                    "indicator_id": indicator.id, "theme": indicator.theme, "area_level": level,
                    "area_code": code, "area_name": name, "year": year,
                    "numerator": 100 + a if flag != "suppressed_small" else None,
                    "denominator": 1000,
                    "value": value if shown else None,
                    "lower": value - 0.8 if shown else None,
                    "upper": value + 0.8 if shown else None, "unit": indicator.unit,
                    "comparison": comparison if shown and level != "land" else "not_compared",
                    "trend": "rising" if rising else "no_significant_change",
                    "flag": flag,
                })  # fmt: skip
    population = pl.DataFrame(
        schema={"area_level": pl.String, "area_code": pl.String, "area_name": pl.String,
                "year": pl.Int32, "aldersgruppe": pl.Int8, "koen": pl.String,
                "personer": pl.Int64},
    )  # fmt: skip
    return Results(
        indicators=conform(pl.DataFrame(rows).lazy()).collect(),
        population=population,
        years=YEARS,
        missing_tables=(),
    )


def _section() -> Section:
    geography = load_geography()
    ctx = PackContext(
        geography, geography.key("klynge", "horsensklyngen"), _handmade_results(), CATALOGUE
    )
    return theme_section(ctx, CATALOGUE.theme("kronikere"))


class HTMLSnapshot(SingleFileSnapshotExtension):
    """A snapshot kept as an .html file of its own, to read and diff as HTML."""

    file_extension = "html"
    _write_mode = WriteMode.TEXT


def test_section_snapshot(snapshot: SnapshotAssertion) -> None:
    # A missing or different snapshot fails; after a deliberate change run
    # `make test-update` and review the diff of tests/__snapshots__/.
    section = _section()
    environment = template_environment()
    template = environment.from_string(
        '{% import "macros.html.j2" as m %}{% include "section.html.j2" %}'
    )
    svgs = {f.id: f"<svg id='{f.id}'/>" for b in section.blocks for f in b.figures if f.chart}
    html = template.render(section=section, charts=svgs)
    assert html == snapshot.use_extension(HTMLSnapshot)


def test_handmade_section_shows_gaps_and_differences() -> None:
    section = _section()
    assert section.matrix is not None
    cells = {r.indicator_id: r.cells for r in section.matrix.rows}
    column = section.matrix.columns.index
    # Made hidden above: the third municipality by code (Skanderborg), the fourth (Hedensted).
    assert (
        cells["prev_type2_diabetes"][column("Skanderborg")].value == "skjult"
    )  # a rate: never "<5"
    assert cells["prev_kol"][column("Hedensted")].value == "for få tilfælde"
    assert cells["prev_kol"][column("Klyngen")].verdict == ""  # similar: no word
    assert "prev_osteoporose" not in cells
    osteoporose = next(b for b in section.blocks if b.id == "prev_osteoporose")
    assert not osteoporose.figures and "kunne ikke beregnes" in osteoporose.summary[0]
    assert [m.tone for m in section.findings][-1] == "rising"
