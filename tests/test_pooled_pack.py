"""Pooled figures in the pack: a municipality whose latest year is hidden is shown in the
comparison chart by its published pooled figure, labelled with its years, and in the
chart's data with its count beside the country's; a municipality whose latest year is
shown never is, and one without a published pooled row stays hidden."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from datapakke.engine.compute import POOLED_SCHEMA, Results
from datapakke.geography import AreaKey, Geography
from datapakke.numbers import tal
from datapakke.pack.assemble import build_pack
from datapakke.pack.chart_specs import ComparisonChart
from datapakke.pack.context import PackContext
from datapakke.pack.model import IndicatorBlock, Pack
from datapakke.render.html import render_html, template_environment
from datapakke.render.workbook import pack_workbook
from datapakke.run.export import export_results
from tests.conftest import READS_BUILT_PACK, BuiltPack

INDICATOR = "prev_osteoporose"
YEAR = 2023
FIRST_YEAR = 2021


def _latest(results: Results, area: AreaKey) -> dict[str, Any]:
    return results.indicators.filter(
        indicator_id=INDICATOR, area_level=area.level, area_code=area.code, year=YEAR
    ).row(0, named=True)


def _row(results: Results, area: AreaKey, **values: Any) -> dict[str, Any]:
    """A pooled row of INDICATOR for ``area``, shaped as the engine writes it."""
    single = _latest(results, area)
    return {
        **{name: single.get(name) for name in POOLED_SCHEMA.names()},
        "flag": "ok",
        "trend": "not_computed",
        "first_year": FIRST_YEAR,
        "period": f"{FIRST_YEAR}-{YEAR} samlet",
        **values,
    }


@dataclasses.dataclass(frozen=True)
class Pooled:
    results: Results
    pack: Pack
    block: IndicatorBlock
    hidden: AreaKey
    shown: AreaKey
    others: tuple[AreaKey, ...]


@pytest.fixture(scope="module")
def pooled(small_results: Results, geography: Geography) -> Pooled:
    """Horsensklyngen's pack with pooled rows of INDICATOR: one for a municipality whose
    2023 is hidden, one for a municipality whose 2023 is shown, and the country's."""
    area = geography.key("klynge", "horsensklyngen")
    ctx = PackContext(geography, area, small_results, small_results.catalogue)
    parts = ctx.parts
    hidden = [p for p in parts if _latest(small_results, p)["value"] is None]
    shown = [p for p in parts if _latest(small_results, p)["value"] is not None]
    assert hidden and shown, "the sample must hide one municipality's 2023 and show another's"
    country = ctx.country
    rows = [
        _row(small_results, hidden[0], numerator=28, denominator=21_000, value=1.333,
             lower=0.86, upper=1.93, comparison="similar"),
        _row(small_results, shown[0], numerator=40, denominator=30_000, value=1.2,
             lower=0.9, upper=1.6, comparison="similar"),
        _row(small_results, country, numerator=1_729, denominator=1_300_000, value=1.33,
             lower=1.27, upper=1.39, comparison="not_compared"),
    ]  # fmt: skip
    catalogue = small_results.catalogue
    indicators = tuple(
        i.model_copy(update={"pool_small_areas": 5}) if i.id == INDICATOR else i
        for i in catalogue.indicators
    )
    results = dataclasses.replace(
        small_results,
        catalogue=catalogue.model_copy(update={"indicators": indicators}),
        pooled=pl.DataFrame(rows, schema=POOLED_SCHEMA),
    )
    pack = build_pack(
        results, geography, area, build_date=dt.date(2026, 12, 1), version="test", synthetic=True
    )
    block = next(b for s in pack.sections for b in s.blocks if b.id == INDICATOR)
    return Pooled(results, pack, block, hidden[0], shown[0], tuple(hidden[1:]))


def test_the_comparison_chart_shows_a_hidden_municipality_by_its_pooled_figure(
    pooled: Pooled,
) -> None:
    figure = pooled.block.comparison
    assert figure is not None and isinstance(figure.chart, ComparisonChart)
    rows = {r.label: r for r in figure.chart.rows}
    # The municipality whose 2023 is hidden: its pooled figure, labelled with its years.
    row = rows[f"{pooled.hidden.name} (2021–23)"]
    assert (row.value, row.lower, row.upper, row.verdict) == (1.333, 0.86, 1.93, "som landet")
    assert pooled.hidden.name not in rows
    # The one shown for 2023 keeps its 2023 value (its pooled row is not used).
    assert rows[pooled.shown.name].value == _latest(pooled.results, pooled.shown)["value"]
    # One without a published pooled row stays hidden.
    for other in pooled.others:
        assert rows[other.name].value is None and rows[other.name].missing
    assert figure.caption.endswith(", 2023 (2021–23: 2021–2023 samlet)")
    assert f"For 2021–2023 samlet: {pooled.hidden.name} 1,3 (som landet)." in figure.alt


def test_the_summary_says_what_the_pooled_figures_are_compared_with(pooled: Pooled) -> None:
    # The chart's line is the country's 2023; a pooled figure's verdict is against the
    # country's 2021-2023, so the sentence gives that figure.
    assert pooled.block.summary[-1] == (
        f"Tallet for 2023 kan ikke vises for {pooled.hidden.name}; figuren viser i stedet "
        "tallet for 2021–2023 samlet, der sammenlignes med hele landets tal for de samme "
        "år: 1,3\xa0pr. 1.000."
    )


def test_the_chart_data_has_the_hidden_year_the_pooled_row_and_the_countrys(
    pooled: Pooled,
) -> None:
    figure = pooled.block.comparison
    assert figure is not None
    names = [row[0] for row in figure.table.rows]
    at = names.index(pooled.hidden.name)
    assert names[at + 1] == f"{pooled.hidden.name}, 2021–2023 samlet"
    assert figure.table.rows[at][1] in {"<5", "skjult"}  # the hidden year stays hidden
    assert figure.table.rows[at + 1][1:4] == (28, 21_000, 1.333)
    assert names[-1] == "Hele landet, 2021–2023 samlet"
    assert figure.table.rows[-1][1:4] == (1_729, 1_300_000, 1.33)


def test_other_indicators_show_no_pooled_figure(pooled: Pooled) -> None:
    blocks = [b for s in pooled.pack.sections for b in s.blocks if b.id != INDICATOR]
    assert blocks
    for block in blocks:
        assert "samlet" not in " ".join(block.summary)
        assert all("samlet" not in f.caption for f in block.figures)


def test_the_methods_say_once_what_a_pooled_figure_is(pooled: Pooled) -> None:
    rules = [text for title, text in pooled.pack.methods.rules if title == "Flere år samlet"]
    assert len(rules) == 1
    assert "personer med knogleskørhed" in rules[0]
    assert "samlet" in rules[0]


def test_without_pooling_the_methods_do_not_mention_it(
    small_results: Results, geography: Geography
) -> None:
    area = geography.key("klynge", "horsensklyngen")
    catalogue = small_results.catalogue
    unpooled = catalogue.model_copy(
        update={"indicators": tuple(
            i.model_copy(update={"pool_small_areas": None}) for i in catalogue.indicators
        )}
    )  # fmt: skip
    results = dataclasses.replace(
        small_results, catalogue=unpooled, pooled=small_results.pooled.clear()
    )
    pack = build_pack(results, geography, area, build_date=dt.date(2026, 12, 1), version="t")
    assert all(title != "Flere år samlet" for title, _text in pack.methods.rules)
    assert all("samlet" not in f.caption for s in pack.sections for b in s.blocks
               for f in b.figures)  # fmt: skip


def test_the_pooled_figure_is_in_the_html_and_the_packs_workbook(pooled: Pooled) -> None:
    svgs = {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pooled.pack.charts}
    html = render_html(pooled.pack, svgs, template_environment())
    assert "2023 (2021–23: 2021–2023 samlet)" in html
    book = openpyxl.load_workbook(io.BytesIO(pack_workbook(pooled.pack)))
    cells = {c for row in book[f"{INDICATOR}-omraader"].iter_rows(values_only=True) for c in row}
    assert f"{pooled.hidden.name}, 2021–2023 samlet" in cells


def test_the_exported_workbook_has_the_pooled_figures_and_csv_the_single_years(
    pooled: Pooled, tmp_path: Path
) -> None:
    # One indicator's single years keep the files small.
    results = dataclasses.replace(
        pooled.results, indicators=pooled.results.indicators.filter(indicator_id=INDICATOR)
    )
    sheet = openpyxl.load_workbook(export_results(results, tmp_path / "x.xlsx"))["samlet"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[-3:] == ("trend", "flag", "first_year")
    by_area = {row[header.index("area_name")]: row for row in rows}
    hidden = by_area[pooled.hidden.name]
    assert (hidden[header.index("first_year")], hidden[header.index("year")]) == (2021, 2023)
    assert hidden[header.index("numerator")] == 28
    assert len(rows) == 3
    csv = pl.read_csv(export_results(results, tmp_path / "x.csv"), infer_schema=False)
    assert "first_year" not in csv.columns
    assert csv.height == results.indicators.height
    assert set(csv["year"]) == {str(y) for y in results.years}


@READS_BUILT_PACK
def test_the_built_pdf_shows_pooled_figures_with_their_years(built_pack: BuiltPack) -> None:
    # Horsensklyngen of the small sample, with the bundled catalogue's pooling.
    shown = [
        (block, row)
        for section in built_pack.pack.sections
        for block in section.blocks
        if block.comparison is not None and isinstance(block.comparison.chart, ComparisonChart)
        for row in block.comparison.chart.rows
        if row.label.endswith("(2021–23)")
    ]
    assert shown, "the bundled catalogue pools, and the sample hides municipal years"
    for block, row in shown:
        page = next(p for p in built_pack.pages if block.title in p and row.label in p)
        assert tal(row.value, 1) in page or tal(row.value, 2) in page
        assert "2021–2023 samlet" in page
