"""One standard population per series: the same weights for every year of a standardised rate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.engine.catalogue import load_catalogue
from datapakke.engine.compute import compute
from datapakke.engine.export import definitions
from datapakke.engine.settings import ComputeSettings, parse_standard
from datapakke.errors import InputError
from datapakke.geography import load_geography
from datapakke.inputs.read import Extract
from datapakke.inputs.schema import TABLES

GEOGRAPHY = load_geography()
YEARS = (2023, 2024)
STEADY, CHANGING = 615, 766  # Horsens keeps its persons and rates; Hedensted changes.
CATALOGUE_TEXT = """version = "t"
[[theme]]
id = "t"
title = "T"
[[indicator]]
id = "care"
title = "Hjemmehjælp"
theme = "t"
kind = "home_care"
method = "rate_standardised"
unit = "per_1000"
polarity = "none"
tables = ["befolkning", "hjemmepleje"]
definition = "x"
source = "x"
"""

# A person: (age on 1 January, sex, receives home care).
Person = tuple[int, str, bool]
PEOPLE = st.lists(
    st.tuples(st.integers(0, 99), st.sampled_from(["M", "K"]), st.booleans()),
    min_size=1,
    max_size=40,
)
# At least 10 receivers, so that the rate is published (a DSR on fewer events is not).
STEADY_PEOPLE = st.tuples(
    st.lists(st.tuples(st.integers(0, 99), st.sampled_from(["M", "K"]), st.just(True)),
             min_size=10, max_size=25),
    PEOPLE,
).map(lambda parts: parts[0] + parts[1])  # fmt: skip


def _extract(by_year: dict[tuple[int, int], list[Person]]) -> Extract:
    """Persons per (municipality, year), new persons each year so ages can stay the same."""
    befolkning, care = [], []
    for (kommune, year), people in by_year.items():
        for i, (age, sex, cared) in enumerate(people):
            pnr = f"{kommune}-{year}-{i}"
            born = dt.date(year - age - 1, 7, 1)
            befolkning.append(
                {"pnr": pnr, "aar": year, "koen": sex, "foed_dato": born, "kommunekode": kommune}
            )
            if cared:
                care.append({"pnr": pnr, "aar": year, "ydelse": "personlig_pleje",
                             "timer_pr_uge": 2.0})  # fmt: skip
    tables = {"befolkning": befolkning, "hjemmepleje": care}
    return Extract(
        folder=Path(),
        tables={k: pl.DataFrame(v, schema=TABLES[k].schema).lazy() for k, v in tables.items()},
        files={},
    )


def _values(extract: Extract, tmp: Path, settings_: ComputeSettings) -> pl.DataFrame:
    path = tmp / "catalogue.toml"
    path.write_text(CATALOGUE_TEXT, encoding="utf-8")
    # min_count=1: the property is about the arithmetic, not about what may be shown.
    table = compute(extract, GEOGRAPHY, load_catalogue(path), settings_).indicators
    return table.filter(pl.col("area_level").is_in(["kommune", "land"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steady=STEADY_PEOPLE, before=PEOPLE, after=PEOPLE)
def test_an_unchanged_area_keeps_its_rate_whatever_happens_elsewhere(
    steady: list[Person],
    before: list[Person],
    after: list[Person],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    extract = _extract(
        {(STEADY, 2023): steady, (STEADY, 2024): steady,
         (CHANGING, 2023): before, (CHANGING, 2024): after}
    )  # fmt: skip
    tmp = tmp_path_factory.mktemp("standard")
    for year in (None, 2023):
        result = _values(extract, tmp, ComputeSettings(min_count=1, standard_year=year))
        steady_rows = result.filter(area_code=str(STEADY)).sort("year")["value"].to_list()
        assert steady_rows[0] == pytest.approx(steady_rows[1], rel=1e-12, abs=1e-12)
        # In the standard's own year the country's standardised rate is its crude rate.
        own = result.filter(area_level="land", year=year or max(YEARS)).row(0, named=True)
        assert own["value"] == pytest.approx(1000.0 * own["numerator"] / own["denominator"])


def test_the_standard_is_the_latest_year_unless_named(tmp_path: Path) -> None:
    people = [(70, "K", True), (85, "M", True), (30, "K", False)]
    extract = _extract({(STEADY, y): people for y in YEARS})
    path = tmp_path / "catalogue.toml"
    path.write_text(CATALOGUE_TEXT, encoding="utf-8")
    catalogue = load_catalogue(path)
    assert compute(extract, GEOGRAPHY, catalogue).settings.standard_year == 2024
    named = ComputeSettings(standard_year=2023)
    assert compute(extract, GEOGRAPHY, catalogue, named).settings.standard_year == 2023
    with pytest.raises(InputError, match="year 2019 is not in the data"):
        compute(extract, GEOGRAPHY, catalogue, ComputeSettings(standard_year=2019))
    texts = dict(definitions(catalogue, named).select("indicator_id", "method_text").iter_rows())
    assert "pr. 1. januar 2023 efter køn og 5-års aldersgrupper" in texts["care"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("national", ("national", None)), ("national:2022", ("national", 2022)),
     ("esp2013", ("esp2013", None)), (" NATIONAL:2020 ", ("national", 2020))],
)  # fmt: skip
def test_standard_option_forms(text: str, expected: tuple[str, int | None]) -> None:
    assert parse_standard(text) == expected
    settings_ = ComputeSettings(standard=text.strip().lower())
    assert (settings_.standard, settings_.standard_year) == expected


@pytest.mark.parametrize("text", ["national:22", "esp2013:2020", "nationwide", "national:"])
def test_a_malformed_standard_is_a_usage_error(text: str) -> None:
    assert parse_standard(text) is None
    done = CliRunner().invoke(app, ["export", "--out", "x.csv", "--standard", text])
    assert done.exit_code == 2
    assert "national:YEAR" in done.output


def test_a_standard_year_outside_the_data_exits_3(small_sample: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(
        app,
        ["export", "--data", str(small_sample), "--out", str(tmp_path / "x.csv"),
         "--standard", "national:2019"],
    )  # fmt: skip
    assert done.exit_code == 3, done.output
    assert "year 2019 is not in the data (2021–2023)" in done.output
    assert not (tmp_path / "x.csv").exists()
