"""The synthetic extract's six tables: levels, layouts, formats, and its own validity."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from datapakke.errors import InputError, OutputError
from datapakke.inputs.read import read_extract
from datapakke.inputs.schema import TABLES
from datapakke.sample.generate import generate_sample
from datapakke.sample.measure import measure_levels
from datapakke.sample.targets import TARGETS
from tests.conftest import TINY_SAMPLE
from tests.helpers import invoke

REPO = Path(__file__).resolve().parents[1]


def test_a_small_sample_has_every_table_and_is_valid(small_sample: Path) -> None:
    extract = read_extract(small_sample)
    assert set(extract.tables) == set(TABLES)
    assert extract.synthetic
    assert extract.report is not None and not extract.report.findings
    for name, table in TABLES.items():
        assert extract.table(name).collect_schema() == table.schema


@pytest.mark.parametrize("measure", list(TARGETS))
def test_levels_are_within_the_documented_ranges(small_sample: Path, measure: str) -> None:
    levels = _levels(small_sample)
    target = TARGETS[measure]
    assert target.low <= levels[measure] <= target.high, (measure, levels[measure])


_MEASURED: dict[Path, dict[str, float]] = {}


def _levels(folder: Path) -> dict[str, float]:
    if folder not in _MEASURED:
        _MEASURED[folder] = measure_levels(folder, 2022)
    return _MEASURED[folder]


def test_tables_are_coherent_per_person(small_sample: Path) -> None:
    extract = read_extract(small_sample)
    befolkning = extract.table("befolkning").collect()
    deaths = extract.table("doedsfald").collect()
    # Nobody is counted on 1 January after the year they died.
    after_death = befolkning.join(deaths, on="pnr").filter(
        pl.col("aar") > pl.col("doed_dato").dt.year()
    )
    assert after_death.is_empty()
    # Nobody has a contact or a prescription after death.
    kontakter = extract.table("kontakter").collect().join(deaths, on="pnr")
    assert kontakter.filter(pl.col("start").dt.date() > pl.col("doed_dato")).is_empty()
    recepter = extract.table("recepter").collect().join(deaths, on="pnr")
    assert recepter.filter(pl.col("udlevering_dato") > pl.col("doed_dato")).is_empty()
    # A person's sex and birth date never change between years.
    stable = befolkning.group_by("pnr").agg(pl.col("koen", "foed_dato").n_unique())
    assert stable.filter((pl.col("koen") > 1) | (pl.col("foed_dato") > 1)).is_empty()
    # Persons with KOL are among those with KOL admissions far more often than others.
    kol = extract.table("kroniske").filter(pl.col("sygdom") == "kol").collect()
    kol_admissions = (
        extract.table("kontakter")
        .filter(pl.col("aktionsdiagnose").str.starts_with("DJ44"))
        .collect()
    )
    assert kol_admissions.join(kol, on="pnr", how="anti").height == 0


def test_per_cluster_layout_is_the_national_data_split(tiny_sample: Path, tmp_path: Path) -> None:
    generate_sample(tmp_path / "klynger", layout="per-cluster", **TINY_SAMPLE)
    national = read_extract(tiny_sample)
    split = read_extract(tmp_path / "klynger")
    assert split.layout == "per-cluster"
    assert len(split.areas) == 22
    for name, table in TABLES.items():
        order = list(table.schema.names())
        assert_frame_equal(
            split.table(name).collect().sort(order), national.table(name).collect().sort(order)
        )
    # A cluster's befolkning holds only its own municipalities.
    bornholm = pl.read_parquet(tmp_path / "klynger" / "bornholm" / "befolkning.parquet")
    assert set(bornholm["kommunekode"].unique()) == {400}


def test_csv_format_holds_the_same_data(tiny_sample: Path, tmp_path: Path) -> None:
    summary = generate_sample(tmp_path / "csv", file_format="csv", **TINY_SAMPLE)
    assert {p.suffix for p in summary.files} == {".csv"}
    parquet = read_extract(tiny_sample)
    csv = read_extract(tmp_path / "csv")
    for name in TABLES:
        assert_frame_equal(csv.table(name).collect(), parquet.table(name).collect())
    marker = json.loads((tmp_path / "csv" / "datapakke-sample.json").read_text())
    assert marker["format"] == "csv"
    assert marker["rows"]["kontakter"] == parquet.table("kontakter").collect().height


def test_a_new_sample_replaces_an_earlier_one_of_another_layout(tmp_path: Path) -> None:
    options = {"scale": 0.001, "seed": 5, "years": range(2023, 2024)}
    generate_sample(tmp_path, layout="per-cluster", **options)  # type: ignore[arg-type]
    generate_sample(tmp_path, **options)  # type: ignore[arg-type]
    assert not (tmp_path / "bornholm").exists()
    assert read_extract(tmp_path).layout == "national"


def test_sample_refuses_a_folder_with_real_tables(tmp_path: Path) -> None:
    (tmp_path / "befolkning.csv").write_text("pnr\n")
    with pytest.raises(OutputError, match="not made by 'datapakke sample'"):
        generate_sample(tmp_path, scale=0.001)


def test_sample_refuses_years_that_are_not_over(tmp_path: Path) -> None:
    this_year = dt.date.today().year
    with pytest.raises(InputError, match="the last year must be over"):
        generate_sample(tmp_path, scale=0.001, years=range(this_year - 1, this_year + 1))


def test_cli_sample_per_cluster_csv_validates(tmp_path: Path) -> None:
    result = invoke(
        "sample", "--out", tmp_path, "--scale", "0.001", "--years", "2022-2023",
        "--layout", "per-cluster", "--format", "csv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Wrote 22 files in" in result.stdout
    assert (tmp_path / "horsensklyngen" / "kontakter.csv").is_file()
    validate = invoke("validate", "--data", tmp_path)
    assert validate.exit_code == 0, validate.stdout
    assert "(per-cluster layout)" in validate.stdout


def test_committed_sample_data_is_valid_and_complete() -> None:
    extract = read_extract(REPO / "sample_data")
    assert set(extract.tables) == set(TABLES)
    assert extract.synthetic
    assert extract.warnings == ()
    size = sum(p.stat().st_size for p in (REPO / "sample_data").rglob("*") if p.is_file())
    assert size <= 21 * 1024 * 1024


def test_documented_targets_match_the_code() -> None:
    from datapakke.sample.targets import targets_markdown

    doc = (REPO / "docs" / "sample-data.md").read_text(encoding="utf-8")
    start = doc.index("-->\n", doc.index("<!-- targets:start")) + len("-->\n")
    end = doc.index("<!-- targets:end -->")
    assert doc[start:end] == targets_markdown(), "update the targets table in docs/sample-data.md"
