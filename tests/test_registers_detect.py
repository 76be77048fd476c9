"""Every file is accounted for: recognised as a register, read as a contract table, or listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from datapakke.inputs.validate import validate_extract
from tests.registers.delivery import write_delivery


def test_lpr3_f_beside_lpr_a_is_listed_unused_not_read_twice(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    pl.DataFrame(
        {"pnr": ["A01"], "dw_ek_kontakt": ["K01"], "dato_start": ["2023-02-01"]}
    ).write_parquet(folder / "kontakter.parquet")
    validation = validate_extract(folder)
    text = validation.report.render()
    assert validation.report.ok, text
    assert "kontakter.parquet: LPR3_F holds the same contacts as LPR_A" in text
    assert validation.tables is not None
    assert validation.tables["kontakter"].collect().height == 12


def test_a_register_file_in_a_contract_folder_is_never_silently_ignored(
    tmp_path: Path, small_sample: Path
) -> None:
    folder = tmp_path / "x"
    shutil.copytree(small_sample, folder)
    pl.DataFrame({"pnr": ["P1"], "koen": [1], "foed_dag": ["1950-01-01"], "kom": [615]}).write_csv(
        folder / "bef2023.csv"
    )
    pl.DataFrame({"a": [1]}).write_csv(folder / "noter.csv")
    report = validate_extract(folder).report
    text = report.render()
    assert not report.ok
    assert "the table is given twice: as befolkning.parquet and as delivered registers" in text
    assert any("noter.csv: its name is neither" in w.message for w in report.warnings)


def test_fastreg_year_folders_are_recognised(tmp_path: Path) -> None:
    source = write_delivery(tmp_path / "flat")
    folder = tmp_path / "fastreg"
    for path in source.glob("bef*.parquet"):
        part = folder / "bef" / f"year={path.stem[3:7]}"
        part.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, part / f"part-{path.stem[7:]}.parquet")
    validation = validate_extract(folder)
    assert validation.report.ok, validation.report.render()
    assert validation.tables is not None
    assert validation.tables["befolkning"].collect().height == 69


def test_a_bef_period_given_twice_is_refused(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    shutil.copy(folder / "bef202312.parquet", folder / "bef_202312.parquet")
    report = validate_extract(folder).report
    assert not report.ok
    assert any(
        "the key (pnr, aar) is not unique" in e.message or "duplicated rows" in e.message
        for e in report.errors
    ), report.render()


def test_a_hidden_data_file_is_listed_not_skipped(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    shutil.copy(folder / "dod2023.parquet", folder / ".dod2022.parquet")
    (folder / ".DS_Store").write_bytes(b"\0")
    report = validate_extract(folder).report
    assert any(".dod2022.parquet: a hidden file" in w.message for w in report.warnings)
    assert ".DS_Store" not in report.render()
