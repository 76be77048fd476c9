"""Comparisons that mean what they say: only age-adjusted values (or crude values of a group
the catalogue declares narrow) are compared, and the trend test's level is a setting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compare import add_trends, indicator_traits
from datapakke.engine.compute import compute
from datapakke.engine.settings import ComputeSettings
from datapakke.errors import InputError
from datapakke.geography import load_geography
from datapakke.inputs.read import Extract
from datapakke.inputs.schema import TABLES

CATALOGUE = """version = "t"
[disease_names]
kol = "KOL"
astma = "astma"
[[theme]]
id = "t"
title = "T"
[[indicator]]
id = "sick"
title = "To sygdomme"
theme = "t"
kind = "multimorbidity"
method = "{method}"
unit = "percent"
polarity = "none"
age_min = 18
tables = ["befolkning", "kroniske"]
definition = "x"
source = "x"
{extra}
[indicator.params]
diseases = ["kol", "astma"]
min_diseases = 2
"""


def _catalogue(tmp_path: Path, method: str, extra: str = "") -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(CATALOGUE.format(method=method, extra=extra), encoding="utf-8")
    return path


def test_only_age_adjusted_or_declared_narrow_values_are_compared(tmp_path: Path) -> None:
    crude = load_catalogue(_catalogue(tmp_path, "share")).get("sick")
    assert not crude.age_adjusted and not crude.compared
    narrow = load_catalogue(_catalogue(tmp_path, "share", "narrow_age_group = true")).get("sick")
    assert narrow.compared
    standardised = load_catalogue(_catalogue(tmp_path, "rate_standardised")).get("sick")
    assert standardised.age_adjusted and standardised.compared
    with pytest.raises(InputError, match="narrow_age_group: only for a crude share or rate"):
        load_catalogue(_catalogue(tmp_path, "rate_standardised", "narrow_age_group = true"))


def test_the_bundled_catalogue_compares_only_age_adjusted_values() -> None:
    catalogue = load_catalogue()
    compared = [i for i in catalogue.indicators if i.compared]
    # Published survey estimates are the one exception: compared by their intervals, as
    # their publisher compares them, and marked as not age-adjusted.
    assert all(i.age_adjusted for i in compared if i.method != "survey")
    surveys = [i for i in catalogue.indicators if i.method == "survey"]
    assert surveys and all(i.compared and not i.age_adjusted for i in surveys)
    for indicator_id in ("multisygdom", "psyk_somatisk_akut", "hjemmehjaelp_65",
                         "genindl_30d_65", "kol_akut_indl"):  # fmt: skip
        assert catalogue.get(indicator_id).method == "rate_standardised", indicator_id
    assert {i.id for i in catalogue.indicators if not i.compared} == {
        "folketal", "folketal_udvikling", "andel_65plus", "andel_80plus",
        "fremskrevet_65plus_5", "fremskrevet_65plus_10", "fremskrevet_80plus_5",
        "fremskrevet_80plus_10",
    }  # fmt: skip


def _extract() -> Extract:
    """Old persons with both diseases in Horsens, young healthy ones in Hedensted."""
    befolkning, kroniske = [], []
    for kommune, ages, sick in ((615, (80, 85, 90), True), (766, (20, 25, 30), False)):
        for i in range(120):
            pnr = f"{kommune}-{i}"
            age = ages[i % 3]
            born = dt.date(2024 - age - 1, 6, 1)
            befolkning.append(
                {"pnr": pnr, "aar": 2024, "koen": "MK"[i % 2], "foed_dato": born,
                 "kommunekode": kommune}
            )  # fmt: skip
            if sick and i % 2:
                kroniske += [{"pnr": pnr, "sygdom": d, "debut_dato": dt.date(2020, 1, 1)}
                             for d in ("kol", "astma")]  # fmt: skip
    tables = {"befolkning": befolkning, "kroniske": kroniske}
    return Extract(
        folder=Path(),
        tables={k: pl.DataFrame(v, schema=TABLES[k].schema).lazy() for k, v in tables.items()},
        files={},
    )


def test_a_crude_share_of_a_broad_group_is_never_compared(tmp_path: Path) -> None:
    # Horsens' old persons make its crude share far above the country's: a difference of age
    # alone. Not compared, so it gives no colour, no word and no key message.
    catalogue = load_catalogue(_catalogue(tmp_path, "share"))
    table = compute(_extract(), load_geography(), catalogue).indicators
    horsens = table.filter(area_code="615").row(0, named=True)
    assert horsens["flag"] == "ok" and horsens["value"] == pytest.approx(50.0)
    assert set(table["comparison"]) == {"not_compared"}
    assert set(table["comparison_region"]) == {"not_compared"}


def _series(values: list[float], half_width: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_id": "doedelighed", "area_level": "klynge", "area_code": "k",
            "year": list(range(2020, 2025)), "value": values,
            "lower": [v - 1.959963984540054 * half_width for v in values],
            "upper": [v + 1.959963984540054 * half_width for v in values],
            "flag": "ok",
        }
    )  # fmt: skip


def test_the_trend_level_is_the_settings(tmp_path: Path) -> None:
    # A rise of 1 a year with SE 1.1: chi-square 10 / 1.21 = 8.26, between the 99 % (6.63)
    # and the 99.8 % (9.55) critical values.
    traits = indicator_traits(load_catalogue())
    table = _series([10, 11, 12, 13, 14], 1.1)

    def last(trend_level: float) -> str:
        trends = add_trends(table, traits, 0.95, trend_level)
        return str(trends.filter(year=2024)["trend"][0])

    assert last(0.99) == "rising"
    assert last(0.998) == "no_significant_change"
    assert ComputeSettings().trend_level == pytest.approx(0.998)
    done = CliRunner().invoke(app, ["config", "--trend-confidence", "99"])
    assert done.exit_code == 0, done.output
    assert "trend-confidence" in done.output and "99" in done.output
