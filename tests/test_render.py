"""Templates: autoescape, user overrides that extend the bundled set, readable errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from datapakke import charts
from datapakke.build import load_results
from datapakke.errors import InputError
from datapakke.geography import load_geography
from datapakke.pack import Pack, build_pack
from datapakke.render import render_html, template_environment


@pytest.fixture(scope="module")
def pack(small_sample: Path) -> Pack:
    geography = load_geography()
    _, results = load_results(small_sample, geography)
    return build_pack(
        results, geography, geography.klynger["fynsklyngen"],
        build_date=dt.date(2026, 1, 2), version="9.9.9",
    )  # fmt: skip


def _charts(pack: Pack) -> dict[str, str]:
    return {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pack.figures}


def test_bundled_template_renders_every_figure_with_alt_text(pack: Pack) -> None:
    html = render_html(pack, _charts(pack), template_environment())
    assert html.count("<figure") == len(pack.figures) == 5
    for figure in pack.figures:
        assert figure.title in html
    assert "2. januar 2026" in html
    assert "Fynsklyngen uden Middelfart" in html or "ikke bekræftet" in html


def test_user_template_extends_the_bundled_one(pack: Pack, tmp_path: Path) -> None:
    (tmp_path / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}'
        "{% block front_page %}<p>Egen forside for {{ pack.front.klynge_navn }}</p>{% endblock %}",
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
    figure = pack.figures[1]  # the pyramid
    first, second = charts.draw(figure.chart), charts.draw(figure.chart)
    assert first == second
    assert first.startswith("<svg")
    assert "Mænd, Fynsklyngen" in first  # text stays text (svg.fonttype none)
