"""Odd inputs are reported as what they are: a folder, pipe or broken link named like a
table, a column of lists or structs, a header that names a column twice, an age no one
reaches."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import polars as pl
import pytest

from datapakke.inputs.findings import Severity
from datapakke.inputs.schema import MAX_PLAUSIBLE_AGE, TABLES
from datapakke.inputs.validate import validate_extract
from tests.extract_fixture import frame, write_parquet


def _findings(data: Path, table: str) -> list[str]:
    report = validate_extract(data).report
    return [f.render() for f in report.findings if f.table == table]


@pytest.mark.parametrize("kind", ["folder", "fifo", "broken link"])
def test_something_named_like_a_table_that_is_no_file(tmp_path: Path, kind: str) -> None:
    data = write_parquet(tmp_path / "data")
    odd = data / "hjemmepleje.parquet"
    odd.unlink()
    if kind == "folder":
        odd.mkdir()
        frame("hjemmepleje").write_parquet(odd / "part-0.parquet")
        expected = "'hjemmepleje.parquet' is a folder, not a file (a partitioned Parquet dataset?)"
    elif kind == "fifo":
        os.mkfifo(odd)  # reading it would block for ever
        expected = "'hjemmepleje.parquet' is not a regular file (a named pipe"
    else:
        odd.symlink_to(tmp_path / "gone.parquet")
        expected = f"'hjemmepleje.parquet' is a symbolic link to {tmp_path / 'gone.parquet'}"
    report = validate_extract(data).report
    [error] = [f for f in report.errors if f.table == "hjemmepleje"]
    assert expected in error.message
    assert not [f for f in report.warnings if f.table == "hjemmepleje" and "missing" in f.message]


@pytest.mark.parametrize(
    ("nested", "shown"),
    [
        (pl.concat_list("aar", "aar"), "lists (List(Int32))"),
        (pl.struct(pl.col("aar"), pl.col("koen").alias("x")), "structs (Struct("),
    ],
)
def test_a_column_of_lists_or_structs_is_named(tmp_path: Path, nested: pl.Expr, shown: str) -> None:
    data = write_parquet(tmp_path / "data")
    frame("befolkning").with_columns(nested.alias("aar")).write_parquet(data / "befolkning.parquet")
    [error] = [f for f in validate_extract(data).report.errors if f.table == "befolkning"]
    assert error.column == "aar"
    assert f"the column holds {shown}" in error.message
    assert "not one int per row" in error.message
    assert error.hint is not None
    assert "truncated" not in error.hint


@pytest.mark.parametrize("header", ["pnr,pnr", "pnr,PNR "])
def test_a_header_that_names_a_column_twice_is_refused(tmp_path: Path, header: str) -> None:
    data = write_parquet(tmp_path / "data")
    (data / "befolkning.parquet").unlink()
    (data / "befolkning.csv").write_text(
        f"{header},aar,koen,foed_dato,kommunekode\nP1,P2,2023,K,1950-01-01,101\n",
        encoding="utf-8",
    )
    [error] = [f for f in validate_extract(data).report.errors if f.table == "befolkning"]
    assert "the header names a column more than once: 'pnr' (columns 1 and 2)" in error.message


def test_an_implausible_age_is_warned_about_not_refused(tmp_path: Path) -> None:
    data = write_parquet(tmp_path / "data")
    rows = frame("befolkning").with_columns(
        pl.when(pl.col("pnr") == "P0004")
        .then(pl.lit(dt.date(1700, 2, 28)))
        .otherwise(pl.col("foed_dato"))
        .alias("foed_dato")
    )
    rows.write_parquet(data / "befolkning.parquet")
    report = validate_extract(data).report
    assert report.ok
    [warning] = [f for f in report.warnings if f.table == "befolkning"]
    assert warning.severity is Severity.WARNING
    assert f"an age over {MAX_PLAUSIBLE_AGE} years" in warning.message
    assert warning.examples == ("'born 1700-02-28, 323 years old in aar 2024'",)


def test_the_oldest_plausible_age_passes(tmp_path: Path) -> None:
    data = write_parquet(tmp_path / "data")
    born = dt.date(2024 - MAX_PLAUSIBLE_AGE, 1, 1)  # exactly 115 on 1 January 2024
    frame("befolkning").with_columns(
        pl.when(pl.col("pnr") == "P0004").then(pl.lit(born)).otherwise(pl.col("foed_dato"))
    ).write_parquet(data / "befolkning.parquet")
    report = validate_extract(data).report
    assert not [f for f in report.warnings if f.table == "befolkning"]
    assert TABLES["befolkning"].rules[-1].severity is Severity.WARNING
