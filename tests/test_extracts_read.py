"""Readers: the same data as Danish CSV, CSV.gz, Parquet and SAS give identical frames."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from datapakke.engine.catalogue import load_catalogue
from datapakke.inputs.read import Extract, read_extract
from tests.extract_fixture import DATE_LAYOUTS, ROWS, SAS_FOLDER, danish_csv, frame, write_parquet


def _collected(extract: Extract) -> dict[str, pl.DataFrame]:
    return {name: extract.table(name).collect() for name in ROWS}


def _assert_same_as_fixture(extract: Extract) -> None:
    for name, collected in _collected(extract).items():
        assert_frame_equal(collected, frame(name), check_row_order=True)


def test_parquet_reads_back_exactly(tmp_path: Path) -> None:
    extract = read_extract(write_parquet(tmp_path))
    _assert_same_as_fixture(extract)
    assert extract.notes == ()
    assert extract.layout == "national"


@pytest.mark.parametrize("date_layout", DATE_LAYOUTS)
def test_danish_csv_gives_the_same_frames_as_parquet(tmp_path: Path, date_layout: str) -> None:
    extract = read_extract(danish_csv(tmp_path, date_layout=date_layout))
    _assert_same_as_fixture(extract)
    notes = "\n".join(extract.notes)
    assert "';' as separator" in notes
    assert "cp1252 encoding" in notes
    assert "written as 1/2; read as M/K" in notes
    assert "leading zeros" in notes
    assert "decimal comma" in notes
    if date_layout != "%Y-%m-%d":
        example = {"%d-%m-%Y": "31-12-2023", "%d.%m.%Y": "31.12.2023", "%d%b%Y": "31DEC2023",
                   "%Y%m%d": "20231231"}[date_layout]  # fmt: skip
        assert f"dates written as {example}" in notes


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_encodings_and_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    bom = encoding == "utf-8"
    extract = read_extract(danish_csv(tmp_path, encoding=encoding, bom=bom, separator=","))
    _assert_same_as_fixture(extract)
    notes = "\n".join(extract.notes)
    assert ("byte-order mark" in notes) == bom
    assert "separator" not in notes


def test_gzipped_csv(tmp_path: Path) -> None:
    plain = danish_csv(tmp_path / "plain")
    packed = tmp_path / "packed"
    packed.mkdir()
    for path in plain.iterdir():
        (packed / f"{path.name}.gz").write_bytes(gzip.compress(path.read_bytes()))
    extract = read_extract(packed)
    _assert_same_as_fixture(extract)
    assert extract.report is not None
    assert {f.kind for f in extract.report.files} == {"CSV, gzip-compressed"}


def test_sas_datasets_give_the_same_frames(tmp_path: Path) -> None:
    folder = tmp_path / "sas"
    folder.mkdir()
    for path in SAS_FOLDER.glob("*.sas7bdat"):
        shutil.copy(path, folder / path.name)
    extract = read_extract(folder)
    _assert_same_as_fixture(extract)
    notes = "\n".join(extract.notes)
    # SAS writes upper-case names and CPR's 1/2 for sex; both are handled and said.
    assert "PNR -> pnr" in notes
    assert "written as 1/2" in notes


def test_per_cluster_layout_is_the_union(tmp_path: Path) -> None:
    national = frame("befolkning")
    for klynge, codes in (("hovedstaden-byen", [101, 147]), ("bornholm", [400]),
                          ("horsensklyngen", [615]), ("nordjylland-nord", [825])):  # fmt: skip
        part = tmp_path / klynge
        part.mkdir()
        national.filter(pl.col("kommunekode").is_in(codes)).write_parquet(
            part / "befolkning.parquet"
        )
    extract = read_extract(tmp_path)
    assert extract.layout == "per-cluster"
    assert set(extract.areas) == {"hovedstaden-byen", "bornholm", "horsensklyngen",
                                    "nordjylland-nord"}  # fmt: skip
    assert_frame_equal(
        extract.table("befolkning").collect().sort("pnr", "aar"), national.sort("pnr", "aar")
    )
    assert any("covers 4 of 22 areas" in w for w in extract.warnings)


def test_missing_optional_tables_are_absent_and_named_in_warnings(tmp_path: Path) -> None:
    frame("befolkning").write_parquet(tmp_path / "befolkning.parquet")
    extract = read_extract(tmp_path, needed_by=load_catalogue().indicators_by_table())
    assert extract.has("befolkning")
    assert not extract.has("recepter")
    recepter = next(w for w in extract.warnings if w.startswith("recepter:"))
    assert "polyfarmaci_65" in recepter


def test_parquet_with_wrong_but_convertible_types(tmp_path: Path) -> None:
    # A SQL export: everything as text, sex as 1/2, dates as numbers like 20231231.
    befolkning = frame("befolkning").with_columns(
        pl.col("aar").cast(pl.String),
        pl.when(pl.col("koen") == "M").then(1).otherwise(2).alias("koen"),
        pl.col("foed_dato").dt.strftime("%Y%m%d").cast(pl.Int64),
        pl.col("kommunekode").cast(pl.String).str.zfill(4),
    )
    befolkning.write_parquet(tmp_path / "befolkning.parquet")
    extract = read_extract(tmp_path)
    assert_frame_equal(extract.table("befolkning").collect(), frame("befolkning"))
