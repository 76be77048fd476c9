"""The four-page profile (--profil kort): exactly four pages for any area, every headline
indicator with its count on pages 2-3, 5-8 key sentences on page 1, population and ageing
on page 4, and a plain note where no projection was supplied."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from pypdf import PdfReader

from datapakke.engine.compute import Results
from datapakke.geography import Geography, load_geography
from datapakke.numbers import heltal, tal
from datapakke.pack import Pack
from datapakke.render import html as render
from datapakke.render import pdf
from datapakke.render.html import format_value
from datapakke.run.build import pack_model
from tests.helpers import invoke

DAY = dt.date(2025, 1, 2)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _squash(text: str) -> str:
    """Text without white space or hyphens, for cells that a table wraps over lines."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", text)


def _profile_pages(pack: Pack, tmp_path: Path) -> list[str]:
    """The profile rendered as the build renders it, each PDF page's text."""
    environment = render.template_environment()
    html = render.render_html(
        pack, render.draw_charts(pack, "kort"), environment, render.PROFILE_TEMPLATE
    )
    target = tmp_path / "profil.pdf"
    created = dt.datetime.combine(DAY, dt.time(), tzinfo=dt.UTC)
    pdf.write_pdf(html, target, created=created)
    return [_plain(page.extract_text() or "") for page in PdfReader(target).pages]


@pytest.fixture(scope="module")
def horsens(small_results: Results, geography: Geography) -> Pack:
    return pack_model(
        small_results, geography, geography.key("klynge", "horsensklyngen"), synthetic=True, day=DAY
    )


@pytest.fixture(scope="module")
def horsens_pages(horsens: Pack, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ...]:
    """Horsensklyngen's profile, rendered once for the tests that read its pages."""
    return tuple(_profile_pages(horsens, tmp_path_factory.mktemp("horsens")))


def test_horsens_profile_is_four_pages_with_every_headline_indicator_and_its_count(
    horsens: Pack, horsens_pages: tuple[str, ...]
) -> None:
    pages = horsens_pages
    assert len(pages) == 4
    profile, key_figures = horsens.profile, horsens.key_figures
    assert profile is not None and key_figures is not None
    first, second = key_figures.pages
    assert first and second  # the key figures spread over pages 2 and 3
    for page, groups in zip(pages[1:3], (first, second), strict=True):
        squashed = _squash(page)  # table cells wrap: compare without any white space
        for row in (r for g in groups for r in g.rows):
            title = _squash(row.title)
            assert title in squashed, row.title
            # The count, the value and the country's follow on the row's line(s).
            start = squashed.index(title[:14])
            line = squashed[start : start + 160]
            for cell in (format_value(row.count), format_value(row.cluster, row.decimals)):
                assert _squash(cell) in line, (row.title, cell, line)
            assert _squash(format_value(row.country, row.decimals)) in line
    shown = [r.indicator_id for g in (*first, *second) for r in g.rows]
    assert shown == [r.indicator_id for r in key_figures.rows]
    assert sum(isinstance(r.count, int) for r in key_figures.rows) >= 10  # counts beside rates


def test_page_one_has_the_population_and_five_to_eight_key_sentences_across_the_themes(
    horsens: Pack, horsens_pages: tuple[str, ...]
) -> None:
    profile = horsens.profile
    assert profile is not None
    assert 5 <= profile.sentence_count <= 8
    themes_with_data = [g.theme_id for g in horsens.messages]
    assert [t.theme_id for t in profile.themes] == themes_with_data
    page = horsens_pages[0]
    assert _plain(profile.population) in page
    for theme in profile.themes:
        assert theme.sentences, theme.title
        for message in theme.sentences:
            assert _plain(message.text) in page
    # Each sentence is one of the theme's own findings (or says there are none).
    findings = {m.text for g in horsens.messages for m in g.messages}
    for message in (m for t in profile.themes for m in t.sentences):
        assert message.text in findings or message.text.startswith("Ingen af klyngens")


def test_the_population_sentence_gives_counts_beside_the_shares(
    horsens: Pack, small_results: Results
) -> None:
    profile = horsens.profile
    assert profile is not None
    row = small_results.indicators.filter(
        pl.col("indicator_id") == "andel_65plus",
        pl.col("area_code") == "horsensklyngen",
        pl.col("year") == small_results.years[-1],
    ).row(0, named=True)
    assert f"{tal(row['value'])} pct. ({heltal(row['numerator'])}) er 65+ årige" in (
        profile.population
    )


def test_page_four_shows_ageing_and_the_projection_of_the_65_and_80_year_olds(
    horsens: Pack, small_results: Results, horsens_pages: tuple[str, ...]
) -> None:
    profile = horsens.profile
    assert profile is not None
    page = horsens_pages[3]
    assert "Befolkning og aldring" in page
    # The ageing table: the area's 65+ and 80+ as counts beside their shares.
    area_row = next(r for r in profile.ageing.rows if r[0] == "Horsensklyngen")
    folketal = small_results.indicators.filter(
        pl.col("indicator_id") == "folketal",
        pl.col("area_code") == "horsensklyngen",
        pl.col("year") == small_results.years[-1],
    )["value"][0]
    assert area_row[1] == folketal
    assert f"Horsensklyngen {heltal(folketal)} {heltal(area_row[2])}" in page
    # The projection: the registers' persons now and the projected ones in 5 and 10 years.
    assert profile.projection is not None
    frame = small_results.projection.filter(
        pl.col("area_code") == "horsensklyngen", pl.col("sex").is_null()
    ).sort("age_min", "horizon")
    for age, row in zip(("65+", "80+"), profile.projection.rows, strict=True):
        group = frame.filter(pl.col("age_group").str.strip_suffix(" år") == age)
        now, *later = group["persons_base"][0], *group["persons"].to_list()
        assert row[1:-1] == (now, *later)
        assert row[-1] == pytest.approx(100.0 * (later[-1] - now) / now)
        assert f"{heltal(now)} {' '.join(heltal(n) for n in later)}" in page


def test_without_a_projection_page_four_says_so_plainly(
    small_results: Results, geography: Geography, tmp_path: Path
) -> None:
    results = replace(small_results, projection=small_results.projection.clear())
    horsens = geography.key("klynge", "horsensklyngen")
    pack = pack_model(results, geography, horsens, day=DAY)
    assert pack.profile is not None and pack.profile.projection is None
    page = _profile_pages(pack, tmp_path)[3]
    assert "Datapakken har ikke fået tallene fra" in page
    assert "om 5 og 10 år (fremskrivning)" not in page


def test_build_profil_kort_writes_the_profile_beside_the_workbook_and_no_full_pack(
    tiny_sample: Path, tmp_path: Path
) -> None:
    result = invoke(
        "build", "--klynge", "Bornholm", "--data", tiny_sample, "--out", tmp_path,
        "--profil", "kort",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "bornholm-profil.pdf").is_file()
    assert (tmp_path / "bornholm.xlsx").is_file()
    assert not (tmp_path / "bornholm.pdf").exists()
    reader = PdfReader(tmp_path / "bornholm-profil.pdf")
    assert len(reader.pages) == 4
    # The numbers travel inside the profile too.
    assert "bornholm.xlsx" in reader.attachments
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="bornholm-profil.pdf">Profil (PDF)' in index


def test_an_unknown_profil_is_a_usage_error(tiny_sample: Path, tmp_path: Path) -> None:
    result = invoke("build", "--klynge", "Bornholm", "--data", tiny_sample, "--profil", "lang")
    assert result.exit_code == 2
    assert "fuld" in result.output and "kort" in result.output


def _page_counts(folder: Path) -> dict[str, int]:
    return {
        f"{folder.name}/{path.name}": len(PdfReader(io.BytesIO(path.read_bytes())).pages)
        for path in sorted(folder.glob("*-profil.pdf"))
    }


@pytest.mark.slow
def test_every_cluster_council_region_and_some_municipalities_get_exactly_four_pages(
    bundled_sample: Path, tmp_path: Path
) -> None:
    data = bundled_sample
    clusters = tmp_path / "klynger"
    result = invoke(
        "build", "--all", "--inddeling", "klynger-2022", "--data", data, "--out", clusters,
        "--profil", "kort", "--jobs", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    counts = _page_counts(clusters)
    assert len(counts) == len(load_geography("klynger-2022").areas) == 22
    councils = tmp_path / "raad"
    regions = [f"--region={r.navn}" for r in load_geography("sundhedsraad-2027").regioner.values()]
    result = invoke(
        "build", "--all", "--inddeling", "sundhedsraad-2027", "--data", data, "--out", councils,
        "--profil", "kort", "--jobs", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    others = tmp_path / "andre"
    result = invoke(
        "build", "--inddeling", "sundhedsraad-2027", "--data", data, "--out", others,
        "--profil", "kort", "--jobs", "2", *regions,
        "--kommune", "Bornholm", "--kommune", "Læsø", "--kommune", "København",
        "--kommune", "Aarhus",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    counts |= _page_counts(councils) | _page_counts(others)
    assert len(counts) == 22 + 17 + len(regions) + 4
    assert {name: n for name, n in counts.items() if n != 4} == {}


def test_page_four_leaves_a_long_list_of_parts_to_the_full_pack(
    small_results: Results, geography: Geography, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datapakke.pack import profile as profile_module

    fyn = geography.key("klynge", "fynsklyngen")
    pack = pack_model(small_results, geography, fyn, day=DAY)
    assert pack.profile is not None
    assert len(pack.profile.ageing.rows) == 9 + 3  # the nine municipalities, area, region, land
    monkeypatch.setattr(profile_module, "MAX_AGEING_PARTS", 8)
    pack = pack_model(small_results, geography, fyn, day=DAY)
    assert pack.profile is not None
    assert [r[0] for r in pack.profile.ageing.rows] == [
        "Fynsklyngen", "Region Syddanmark", "Hele landet",
    ]  # fmt: skip
    assert pack.profile.ageing.notes == ("De 9 kommuner står i den fulde datapakke.",)


def test_the_profiles_files_are_named_beside_the_full_packs() -> None:
    from datapakke.run.build import pack_files

    assert pack_files("bornholm", {"pdf"}, ("kort",)) == ("bornholm-profil.pdf", "bornholm.xlsx")
    assert pack_files("bornholm", {"pdf", "html"}, ("fuld", "kort")) == (
        "bornholm.html", "bornholm.pdf", "bornholm-profil.html", "bornholm-profil.pdf",
        "bornholm.xlsx",
    )  # fmt: skip
