"""Golden test: a small deterministic extract and its expected IndicatorTable.

The expected table was produced by the engine and checked by hand at the points
tested in ``test_indicators_kinds.py``; this test guards every other number
against unintended change. After a deliberate change, regenerate it with
``python -m tests.golden.extract`` and review the diff.
"""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from datapakke.engine.compute import EXTRA_COLUMNS, Results, compute
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.geography import load_geography
from tests.golden.extract import EXPECTED, golden_extract


@pytest.fixture(scope="module")
def golden() -> Results:
    return compute(golden_extract(), load_geography())


def test_the_indicator_table_matches_the_golden_file(golden: Results) -> None:
    schema = pl.Schema({**INDICATOR_TABLE_SCHEMA, **EXTRA_COLUMNS})
    expected = pl.read_csv(EXPECTED, schema=schema)
    assert_frame_equal(golden.indicators, expected, check_exact=False, rel_tol=1e-9, abs_tol=1e-9)


def test_the_golden_table_covers_every_flag_and_level(golden: Results) -> None:
    table = golden.indicators
    assert set(table["flag"]) == {
        "ok",
        "suppressed_small",
        "suppressed_complementary",
        "too_few",
        "not_available",
    }
    assert set(table["area_level"]) == {"kommune", "klynge", "region", "land"}
    assert golden.years == (2022, 2023, 2024)
    assert golden.coverage is not None
    assert not golden.coverage.complete
    # Horsensklyngen also holds Odder and Skanderborg, which the extract lacks.
    assert "horsensklyngen" in golden.coverage.partial_areas
    assert golden.coverage.areas == ()
    assert golden.missing_tables == ()


def _expected_word(row: dict, reference: float | None, polarity: str) -> str:  # type: ignore[type-arg]
    """methods.md's rule, written out for one row."""
    if row["flag"] != "ok" or row["lower"] is None or reference is None:
        return "not_compared"
    if row["lower"] <= reference <= row["upper"]:
        return "similar"
    above = row["lower"] > reference
    if polarity == "none":
        return "higher" if above else "lower"
    return "better" if above == (polarity == "higher_better") else "worse"


def test_comparisons_with_country_and_region_follow_the_rule(golden: Results) -> None:
    table = golden.indicators
    published = table.filter(pl.col("flag") == "ok")
    values = {
        (r["indicator_id"], r["year"], r["area_code"]): r["value"]
        for r in published.iter_rows(named=True)
    }
    region_of = dict.fromkeys(["615", "766", "751", "horsensklyngen", "aarhusklyngen"], "1082")
    region_of |= dict.fromkeys(["147", "hovedstaden-byen"], "1084")
    checked = 0
    for row in table.iter_rows(named=True):
        indicator = golden.catalogue.get(row["indicator_id"])
        if not indicator.compared or row["area_level"] == "land":
            assert row["comparison"] == "not_compared"
            continue
        national = values.get((row["indicator_id"], row["year"], "DK"))
        assert row["comparison"] == _expected_word(row, national, indicator.polarity)
        if row["area_level"] == "region":
            assert row["comparison_region"] == "not_compared"
        else:
            regional = values.get((row["indicator_id"], row["year"], region_of[row["area_code"]]))
            assert row["comparison_region"] == _expected_word(row, regional, indicator.polarity)
        checked += row["comparison"] != "not_compared"
    assert checked > 50
