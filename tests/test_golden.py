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

from datapakke.geography import load_geography
from datapakke.indicators.compute import EXTRA_COLUMNS, Results, compute
from datapakke.indicators.table import INDICATOR_TABLE_SCHEMA
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
    assert set(table["flag"]) == {"ok", "suppressed", "too_few", "not_available"}
    assert set(table["area_level"]) == {"kommune", "klynge", "region", "land"}
    assert golden.years == (2022, 2023, 2024)
    assert golden.coverage is not None
    assert not golden.coverage.complete
    # Horsensklyngen also holds Odder and Skanderborg, which the extract lacks.
    assert "horsensklyngen" in golden.coverage.partial_klynger
    assert golden.coverage.klynger == ()
    assert golden.missing_tables == ()
