"""Pooled figures in the pack: a municipality whose latest year is hidden is shown by its
published pooled figure, labelled with its window, with its count, beside the country's;
a municipality whose latest year is shown never is, and a withdrawn pooled row is nowhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest

from datapakke.engine.compute import POOLED_SCHEMA, Results
from datapakke.geography import AreaKey, Geography
from datapakke.pack.assemble import build_pack
from datapakke.pack.context import PackContext
from datapakke.pack.model import IndicatorBlock, Pack
from datapakke.render.html import render_html, template_environment
from datapakke.render.workbook import sheet_names
from datapakke.run.export import export_results

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
    return Pooled(results, pack, block, hidden[0])


def test_a_hidden_municipality_is_shown_by_its_pooled_figure_beside_the_country(
    pooled: Pooled,
) -> None:
    table = pooled.block.pooled
    assert table is not None
    # Only the municipality whose 2023 is hidden, then the country it is compared with;
    # the municipality without a pooled row (withdrawn) and the one shown for 2023 are not.
    assert table.rows == (
        (pooled.hidden.name, 28, 1.333, "0,9–1,9", "som landet"),
        ("Hele landet", 1_729, 1.33, "1,3–1,4", ""),
    )
    assert [c.header for c in table.columns] == [
        "Område", "Antal", "Værdi", "95\u00a0%-konfidensinterval", "Sml. med landet",
    ]  # fmt: skip
    assert pooled.block.pooled_caption == (
        "Kommuner uden vist tal for 2023: 2021–2023 samlet (pr. 1.000 indbyggere)"
    )


def test_the_summary_says_which_municipality_is_shown_for_the_pooled_years(
    pooled: Pooled,
) -> None:
    assert pooled.block.summary[-1] == (
        f"Tallet for 2023 kan ikke vises for {pooled.hidden.name}; tabellen under figuren "
        "viser i stedet tallet for 2021–2023 samlet."
    )
    # The pooled figure is never presented as the latest year.
    assert "1,3 pr. 1.000 i 2023" not in " ".join(pooled.block.summary[:-1]).replace(
        pooled.hidden.name, ""
    )


def test_other_indicators_have_no_pooled_table(pooled: Pooled) -> None:
    blocks = [b for s in pooled.pack.sections for b in s.blocks if b.id != INDICATOR]
    assert blocks and all(b.pooled is None for b in blocks)


def test_the_methods_say_once_what_a_pooled_figure_is(pooled: Pooled) -> None:
    rules = [text for title, text in pooled.pack.methods.rules if title == "Flere år samlet"]
    assert len(rules) == 1
    assert "personer med knogleskørhed" in rules[0]
    assert "samlet" in rules[0]


def test_without_pooling_the_methods_do_not_mention_it(
    small_results: Results, geography: Geography
) -> None:
    area = geography.key("klynge", "horsensklyngen")
    pack = build_pack(small_results, geography, area, build_date=dt.date(2026, 12, 1),
                      version="test")  # fmt: skip
    assert all(title != "Flere år samlet" for title, _text in pack.methods.rules)
    assert all(b.pooled is None for s in pack.sections for b in s.blocks)


def test_the_pooled_table_is_in_the_html_and_the_workbook(pooled: Pooled) -> None:
    # Placeholder charts: the table is the block's, not a chart's.
    svgs = {f.id: "<svg xmlns='http://www.w3.org/2000/svg'/>" for f in pooled.pack.charts}
    html = render_html(pooled.pack, svgs, template_environment())
    assert "Kommuner uden vist tal for 2023: 2021–2023 samlet" in html
    assert f"{INDICATOR}-samlet" in sheet_names(pooled.pack)


def test_an_area_of_one_municipality_is_shown_by_its_own_pooled_figure(
    small_results: Results, geography: Geography
) -> None:
    # Bornholm has no parts side by side: its own hidden latest year gets the pooled figure.
    indicator = "psyk_indl"
    area = geography.key_of(geography.find_area("Bornholm"))
    ctx = PackContext(geography, area, small_results, small_results.catalogue)
    assert not ctx.parts
    latest = small_results.indicators.filter(
        indicator_id=indicator, area_level=area.level, area_code=area.code, year=YEAR
    ).row(0, named=True)
    assert latest["value"] is None
    row = {**latest, "flag": "ok", "trend": "not_computed", "first_year": FIRST_YEAR,
           "period": "", "numerator": 31, "value": 2.5, "lower": 1.7, "upper": 3.6,
           "comparison": "similar"}  # fmt: skip
    results = dataclasses.replace(
        small_results, pooled=pl.DataFrame([row], schema=POOLED_SCHEMA, strict=False)
    )
    pack = build_pack(results, geography, area, build_date=dt.date(2026, 12, 1), version="t")
    block = next(b for s in pack.sections for b in s.blocks if b.id == indicator)
    assert block.pooled is not None
    assert block.pooled.rows == ((area.name, 31, 2.5, "1,7–3,6", "som landet"),)
    assert block.pooled_caption.startswith(f"{area.name} uden vist tal for 2023: 2021–2023 samlet")
    assert block.summary[-1] == "Tabellen under figuren viser i stedet tallet for 2021–2023 samlet."


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
