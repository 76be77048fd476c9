"""LPR2 beside LPR3, and the death registers, by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.inputs.read import read_extract
from datapakke.inputs.validate import validate_extract
from tests.registers.delivery import write_delivery


def _lpr2(folder: Path) -> None:
    pl.DataFrame(
        {
            "PNR": ["A01", "A05", "A02"],
            "RECNUM": ["1", "2", "3"],
            "D_INDDTO": [dt.date(2018, 5, 1), dt.date(2018, 6, 1), dt.date(2018, 7, 1)],
            "V_INDTIME": [22, 9, 8],
            "V_INDMINUT": [30, None, 0],
            "D_UDDTO": [dt.date(2018, 5, 4), dt.date(2018, 6, 1), None],
            "V_UDTIME": [11, None, None],
            "C_PATTYPE": ["0", "2", "0"],
            "C_INDM": ["1", "2", "1"],
        }
    ).write_parquet(folder / "lpr_adm2018.parquet")
    pl.DataFrame(
        {
            "RECNUM": ["1", "1", "2"],
            "C_DIAG": ["DJ189", "DI10", "DM171"],
            "C_DIAGTYPE": ["A", "B", "A"],
        }
    ).write_parquet(folder / "lpr_diag2018.parquet")
    pl.DataFrame(
        {
            "v_cpr": ["A06"],
            "k_recnum": ["1"],
            "d_inddto": [dt.date(2018, 3, 1)],
            "v_indtime": [10],
            "d_uddto": [dt.date(2018, 3, 20)],
            "v_udtime": [12],
            "c_pattype": ["0"],
            "c_indm": ["1"],
        }
    ).write_parquet(folder / "t_psyk_adm2018.parquet")
    pl.DataFrame({"v_recnum": ["1"], "c_diag": ["DF200"], "c_diagtype": ["A"]}).write_parquet(
        folder / "t_psyk_diag2018.parquet"
    )


def test_lpr2_contacts_are_stacked_with_the_lpr3_stays(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    _lpr2(folder)
    extract = read_extract(folder)
    lpr2 = (
        extract.table("kontakter")
        .filter(~pl.col("kontakt_id").str.starts_with("LPR3-"))
        .sort("kontakt_id")
        .collect()
    )
    assert lpr2.to_dicts() == [
        # Admitted 22:30, discharged at 11 (LPR2 gives the hour only), acute, action diagnosis A.
        {"kontakt_id": "LPR2-1", "pnr": "A01", "start": dt.datetime(2018, 5, 1, 22, 30),
         "slut": dt.datetime(2018, 5, 4, 11), "omraade": "somatik", "prioritet": "akut",
         "kontakttype": "indlaeggelse", "aktionsdiagnose": "DJ189"},
        # Outpatient without an end hour: the end is the start, never before it.
        {"kontakt_id": "LPR2-2", "pnr": "A05", "start": dt.datetime(2018, 6, 1, 9),
         "slut": dt.datetime(2018, 6, 1, 9), "omraade": "somatik", "prioritet": "planlagt",
         "kontakttype": "ambulant", "aktionsdiagnose": "DM171"},
        {"kontakt_id": "PSYK-1", "pnr": "A06", "start": dt.datetime(2018, 3, 1, 10),
         "slut": dt.datetime(2018, 3, 20, 12), "omraade": "psykiatri", "prioritet": "akut",
         "kontakttype": "indlaeggelse", "aktionsdiagnose": "DF200"},
    ]  # fmt: skip
    # The LPR_A row migrated from LPR2 (K14, 2018) is not counted a second time.
    assert extract.table("kontakter").collect().height == 12 + 3
    assert extract.provenance.contacts == ("lpr3-stays", "lpr2")
    text = validate_extract(folder).report.render()
    assert "LPR2 (somatik): 3 contacts" in text and "1 without an end date (open) left out" in text


def test_cause_of_death_registers_that_end_too_early_are_refused(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    (folder / "dod2023.parquet").unlink()
    pl.DataFrame({"pnr": ["A07"], "d_dodsdato": [dt.date(2021, 1, 1)]}).write_parquet(
        folder / "dodsaasg2021.parquet"
    )
    report = validate_extract(folder).report
    assert not report.ok
    assert (
        "the cause-of-death registers (dodsaasg) end in 2022, but the population runs to 2024"
        in (report.render())
    )


def test_dod_wins_over_the_cause_of_death_registers_and_says_so(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    pl.DataFrame({"pnr": ["A07"], "doedsdato": [dt.date(2023, 8, 1)]}).write_parquet(
        folder / "dodsaarsager2023.parquet"
    )
    validation = validate_extract(folder)
    assert validation.report.ok
    assert "dodsaarsager2023.parquet: DOD gives the dates of death" in validation.report.render()


def test_export_of_a_dst_delivery_states_the_admission_definition(tmp_path: Path) -> None:
    folder = write_delivery(tmp_path / "d")
    out = tmp_path / "indikatorer.xlsx"
    result = CliRunner().invoke(app, ["export", "--data", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    definitions = pl.read_excel(out, sheet_name="definitions")
    text = definitions.filter(pl.col("indicator_id") == "akutte_indl_65")["admissions"].item()
    assert "Et ophold på mindst 12 timer er en indlæggelse" in text
    settings = dict(pl.read_excel(out, sheet_name="settings").iter_rows())
    assert settings["left_out_befolkning"] == (
        "persons with koen 9 (sex unknown): <5; "
        "persons with kom 411 (in no municipality, e.g. 411 Christiansø): <5"
    )
