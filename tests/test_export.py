"""``datapakke export`` and ``datapakke indicators``: the machine-readable contract."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from datapakke.engine.catalogue import CATALOGUE_FILE
from datapakke.engine.compute import Results
from datapakke.engine.export import definitions
from datapakke.engine.settings import ComputeSettings
from datapakke.engine.table import INDICATOR_TABLE_SCHEMA
from datapakke.run.export import export_results
from tests.extract_fixture import write_parquet
from tests.helpers import invoke

CONTRACT = [
    "indicator_id", "theme", "area_level", "area_code", "area_name", "year", "numerator",
    "denominator", "value", "lower", "upper", "unit", "comparison", "trend", "flag",
]  # fmt: skip


def _assert_complete(table: pl.DataFrame, results: Results) -> None:
    assert table.columns == CONTRACT
    ids = {i.id for i in results.catalogue.indicators}
    for level in ("kommune", "klynge", "region", "land"):
        assert set(table.filter(pl.col("area_level") == level)["indicator_id"]) == ids, level
    assert set(table["flag"]) <= {
        "ok",
        "suppressed_small",
        "suppressed_complementary",
        "too_few",
        "not_available",
    }
    assert set(table["comparison"]) <= {
        "better", "worse", "similar", "higher", "lower", "not_compared",
    }  # fmt: skip
    assert set(table["trend"]) <= {"rising", "falling", "no_significant_change", "not_computed"}
    suppressed = table.filter(pl.col("flag").str.starts_with("suppressed"))
    assert (
        suppressed.select("numerator", "value", "lower", "upper").null_count().row(0)
        == (suppressed.height,) * 4
    )


def test_csv_parquet_and_xlsx_of_the_sample_data(
    small_results: Results, exported_workbook: Path, tmp_path: Path
) -> None:
    csv = export_results(small_results, tmp_path / "indikatorer.csv")
    parquet = export_results(small_results, tmp_path / "indikatorer.parquet")
    xlsx = exported_workbook  # export_results(small_results, ...xlsx), made once in conftest

    from_csv = pl.read_csv(csv, schema=INDICATOR_TABLE_SCHEMA)
    from_parquet = pl.read_parquet(parquet)
    _assert_complete(from_csv, small_results)
    assert from_parquet.equals(from_csv)
    # Full precision: the file holds the value as computed, not a rounded one.
    assert from_parquet.equals(small_results.indicators.select(CONTRACT))

    sheets = pl.read_excel(xlsx, sheet_id=0, infer_schema_length=0)  # marks beside numbers
    themes = [t.id for t in small_results.catalogue.themes]
    assert list(sheets) == [*themes, "samlet", "definitions", "settings"]
    assert sum(sheets[t].height for t in themes) == from_csv.height
    # The pooled figures, beside the single years: the contract's columns, then first_year.
    assert sheets["samlet"].columns == [*CONTRACT, "first_year"]
    assert sheets["samlet"].height == small_results.pooled.height > 0
    assert sheets["populationsoverblik"].columns == CONTRACT
    described = sheets["definitions"]
    assert described.height == len(small_results.catalogue.indicators)
    assert {"indicator_id", "definition", "method", "polarity", "source"} <= set(described.columns)
    settings = dict(sheets["settings"].iter_rows())
    assert settings["standard"] == "national"
    assert settings["min_count"] == "5"


def test_export_cli_writes_the_file_and_reports(
    tmp_path: Path, small_sample: Path, small_results: Results
) -> None:
    target = tmp_path / "ud" / "tabel.csv"
    done = invoke(
        "export", "--data", small_sample, "--out", target, "--min-count", "3", "--confidence", "90"
    )
    assert done.exit_code == 0, done.output
    assert f"Wrote {target}" in done.stdout
    table = pl.read_csv(target, schema=INDICATOR_TABLE_SCHEMA)
    assert table.columns == CONTRACT
    # 90 % intervals lie strictly inside the default 95 % ones, around the same values.
    keys = ["indicator_id", "area_code", "year"]
    both = table.filter(pl.col("area_level") == "land", pl.col("lower") < pl.col("upper")).join(
        small_results.indicators.filter(pl.col("area_level") == "land"), on=keys
    )
    assert both.height > 50
    assert (both["value"] - both["value_right"]).abs().max() < 1e-9  # type: ignore[operator]
    assert (both["lower"] > both["lower_right"]).all()
    assert (both["upper"] < both["upper_right"]).all()
    assert not done.stderr  # the small sample has every table: nothing to warn about


def test_export_cli_names_a_missing_table_in_a_warning(tmp_path: Path) -> None:
    data = write_parquet(tmp_path / "data")  # befolkning, kontakter and hjemmepleje only
    done = invoke("export", "--data", data, "--out", tmp_path / "tabel.parquet")
    assert done.exit_code == 0, done.output
    assert "Warning: recepter: the optional table is missing" in done.stderr
    assert "polyfarmaci_65" in done.stderr
    table = pl.read_parquet(tmp_path / "tabel.parquet")
    polyfarmaci = table.filter(pl.col("indicator_id") == "polyfarmaci_65")
    assert polyfarmaci.height > 0
    assert set(polyfarmaci["flag"]) == {"not_available"}


def test_export_cli_refuses_an_unknown_format_before_computing(tmp_path: Path) -> None:
    done = invoke("export", "--data", tmp_path / "nope", "--out", tmp_path / "tabel.txt")
    assert done.exit_code == 2  # wrong usage, as the README says
    assert "cannot tell the format" in done.stderr
    assert not (tmp_path / "tabel.txt").exists()


def test_indicators_lists_the_catalogue_and_a_users_own(tmp_path: Path) -> None:
    done = invoke("indicators")
    assert done.exit_code == 0, done.output
    assert "forebyggelige_indl_65" in done.stdout
    own = tmp_path / "katalog.toml"
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    own.write_text(text.replace('id = "hoftebrud_65"', 'id = "hoftebrud_65_mit"'), encoding="utf-8")
    done = invoke("indicators", "--catalogue", own)
    assert done.exit_code == 0, done.output
    assert "hoftebrud_65_mit" in done.stdout


def test_a_bad_params_field_is_reported_with_indicator_and_field(tmp_path: Path) -> None:
    own = tmp_path / "katalog.toml"
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    own.write_text(text.replace("window_days = 30", "window_days = 0", 1), encoding="utf-8")
    done = invoke("indicators", "--catalogue", own)
    assert done.exit_code == 3
    assert "genindl_30d_65: params.window_days: Input should be greater than or equal to 1" in (
        done.stderr
    )


def test_definitions_name_the_confidence_level_used(small_results: Results) -> None:
    described = definitions(small_results.catalogue, ComputeSettings(level=0.9))
    texts = dict(described.select("indicator_id", "method_text").iter_rows())
    assert texts["forebyggelige_indl_65"].startswith(
        "Direkte køns- og aldersstandardiseret rate med 90\u00a0%-konfidensinterval"
    )
    assert "95" not in " ".join(texts.values())
    assert "{level}" not in " ".join(texts.values())
