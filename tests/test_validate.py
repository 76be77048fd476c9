"""Validation: every error class of registers.md fed as a broken file, and the report it gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from datapakke.engine.catalogue import load_catalogue
from datapakke.errors import ExitCode, InputError
from datapakke.inputs import checks
from datapakke.inputs.findings import Report, Severity
from datapakke.inputs.read import read_extract
from datapakke.inputs.validate import validate_extract
from tests.extract_fixture import write_parquet
from tests.helpers import invoke

TODAY = dt.date(2025, 6, 1)
HEADER = "pnr;aar;koen;foed_dato;kommunekode"
GOOD = ["P1;2023;M;1951-04-17;615", "P2;2023;K;1988-12-31;101", "P3;2023;K;2000-05-05;825"]


def _extract(folder: Path, befolkning_lines: list[str] | None = None) -> Path:
    """The valid fixture, with befolkning replaced by a CSV of ``befolkning_lines``."""
    write_parquet(folder)
    if befolkning_lines is not None:
        (folder / "befolkning.parquet").unlink()
        (folder / "befolkning.csv").write_text("\n".join(befolkning_lines) + "\n", "utf-8")
    return folder


def _report(folder: Path) -> Report:
    return validate_extract(folder, today=TODAY).report


def _only_error(report: Report) -> str:
    assert len(report.errors) == 1, report.render()
    return report.errors[0].render()


def test_the_fixture_is_valid(tmp_path: Path) -> None:
    report = _report(_extract(tmp_path))
    assert report.ok, report.render()
    assert report.verdict().endswith("The data can be used.")


def test_renamed_column_names_file_column_and_the_likely_rename(tmp_path: Path) -> None:
    folder = _extract(tmp_path, ["pnr;aar;koen;foed_dato;kommune_kode", *GOOD])
    report = _report(folder)
    error = report.errors[0]
    assert error.file == folder / "befolkning.csv"
    assert error.column == "kommunekode"
    assert "the required column is missing" in error.message
    assert "Rename the column 'kommune_kode' to 'kommunekode'" in (error.hint or "")


def test_missing_column(tmp_path: Path) -> None:
    folder = _extract(tmp_path, ["pnr;aar;foed_dato;kommunekode", "P1;2023;1951-04-17;615"])
    text = _only_error(_report(folder))
    assert "koen: the required column is missing (the file has: pnr, aar, foed_dato, " in text


def test_sex_as_1_2_is_read_but_other_values_are_refused(tmp_path: Path) -> None:
    folder = _extract(tmp_path, [HEADER, "P1;2023;1;1951-04-17;615", "P2;2023;2;1988-12-31;101",
                                 "P3;2023;X;1988-12-31;101"])  # fmt: skip
    report = _report(folder)
    assert any(n.column == "koen" and "1/2" in n.message for n in report.notes)
    error = report.errors[0]
    assert (error.column, error.rows, error.lines, error.examples) == (
        "koen",
        1,
        (4,),
        ("'X' (1×)",),
    )
    assert "Use one of: M, K." in (error.hint or "")


def test_duplicated_rows(tmp_path: Path) -> None:
    folder = _extract(tmp_path, [HEADER, *GOOD, GOOD[1], GOOD[1]])
    error = _report(folder).errors[0]
    assert "duplicated rows: 2 rows are exact copies of another row" in error.message
    assert error.lines == (3, 5, 6)
    assert error.column == "pnr, aar"


def test_repeated_key_with_different_content(tmp_path: Path) -> None:
    folder = _extract(tmp_path, [HEADER, *GOOD, "P2;2023;K;1988-12-31;147"])
    error = _report(folder).errors[0]
    assert "the key (pnr, aar) is not unique: 1 row repeats a key of another row" in error.message


def test_repeated_keys_in_parquet_files(tmp_path: Path) -> None:
    # A Parquet file's key is counted in a query of its own (not in the counting pass).
    folder = _extract(tmp_path)
    befolkning = pl.read_parquet(folder / "befolkning.parquet")
    again = befolkning.head(2).with_columns(kommunekode=pl.lit(101, dtype=pl.Int32))
    pl.concat([befolkning, befolkning.tail(1), again]).write_parquet(folder / "befolkning.parquet")
    kontakter = pl.read_parquet(folder / "kontakter.parquet")
    pl.concat([kontakter, kontakter.head(1)]).write_parquet(folder / "kontakter.parquet")
    errors = {e.table: e for e in _report(folder).errors}
    assert errors["befolkning"].message == (
        "the key (pnr, aar) is not unique: 3 rows repeat a key of another row"
    )
    assert errors["befolkning"].column == "pnr, aar"
    assert errors["kontakter"].message == "duplicated rows: 1 row is an exact copy of another row"


def test_repeated_keys_in_a_parquet_file_sorted_by_its_key(tmp_path: Path) -> None:
    # A sorted key is proved unique without hashes (checks._ascending): a repeat next to
    # its copy must still be found.
    folder = _extract(tmp_path)
    befolkning = pl.read_parquet(folder / "befolkning.parquet")
    repeated = pl.concat(
        [
            befolkning,
            befolkning.head(1).with_columns(
                kommunekode=pl.when(pl.col("kommunekode") == 101)
                .then(147)
                .otherwise(101)
                .cast(pl.Int32)
            ),
        ]
    )
    repeated.sort("pnr", "aar").write_parquet(folder / "befolkning.parquet")
    errors = {e.table: e for e in _report(folder).errors}
    assert errors["befolkning"].message == (
        "the key (pnr, aar) is not unique: 1 row repeats a key of another row"
    )


@pytest.mark.parametrize(
    ("pnr", "aar", "ascending"),
    [
        (["P1", "P1", "P2", "P3"], [2023, 2024, 2020, 2020], True),
        (["P1"], [2023], True),
        (["P1", "P2", "P1", "P2"], [2023, 2023, 2024, 2024], True),  # by year, then person
        (["P2", "P1", "P1"], [2023, 2024, 2023], False),  # neither order
        (["P1", "P1", "P2"], [2023, 2023, 2020], False),  # a repeat
        (["P1", "P1", "P2"], [2024, 2023, 2020], False),  # a year out of order
        (["P2", "P1"], [2023, 2023], False),  # a person out of order
        (["P1", None, "P2"], [2023, 2023, 2023], False),  # a null says nothing
        (["P1", "P2", "P2"], [2023, None, 2024], False),
    ],
)
def test_a_key_in_ascending_order_is_unique(
    pnr: list[str | None], aar: list[int | None], ascending: bool
) -> None:
    frame = pl.LazyFrame({"pnr": pnr, "aar": aar}, schema={"pnr": pl.String, "aar": pl.Int32})
    assert checks._ascending(frame, ["pnr", "aar"]) is ascending
    assert checks._ascending(frame.select("pnr"), ["pnr"]) is (pnr == sorted(set(pnr), key=str))


@pytest.mark.parametrize(
    ("code", "expected"),
    [("411", "Christiansø"), ("401", "codes of the former municipalities must be recoded")],
)
def test_unknown_municipality_codes(tmp_path: Path, code: str, expected: str) -> None:
    folder = _extract(tmp_path, [HEADER, *GOOD, f"P9;2023;M;1970-01-01;{code}"])
    error = _report(folder).errors[0]
    assert error.column == "kommunekode"
    assert error.examples == (f"{code} (1×)",)
    assert error.lines == (5,)
    assert expected in (error.hint or "")


def test_dates_in_the_future(tmp_path: Path) -> None:
    folder = _extract(tmp_path, [HEADER, *GOOD, "P9;2023;M;2031-01-01;615"])
    report = _report(folder)
    future = next(e for e in report.errors if "in the future" in e.message)
    assert future.column == "foed_dato"
    assert future.message == "dates in the future (after 2025-06-01)"
    # Born in 2031 is also after 1 January of aar.
    assert any(e.message == "a birth date after 1 January of aar" for e in report.errors)


def test_a_birth_after_1_january_of_aar_is_refused_and_one_on_it_is_not(tmp_path: Path) -> None:
    born = ["P7;2023;K;2023-01-01;615", "P8;2023;M;2023-01-02;615", "P9;2024;M;2023-12-31;615"]
    report = _report(_extract(tmp_path, [HEADER, *GOOD, *born]))
    (error,) = [e for e in report.errors if e.message == "a birth date after 1 January of aar"]
    assert error.lines == (6,)  # P8, born the day after; P7 on the day is 0 years old
    assert error.examples == ("'born 2023-01-02 in aar 2023'",)


def test_slut_before_start(tmp_path: Path) -> None:
    folder = _extract(tmp_path)
    kontakter = pl.read_parquet(folder / "kontakter.parquet").with_columns(
        slut=pl.when(pl.col("kontakt_id") == "K2")
        .then(pl.datetime(2023, 1, 1))
        .otherwise(pl.col("slut"))
    )
    kontakter.write_parquet(folder / "kontakter.parquet")
    error = _only_error(_report(folder))
    assert "slut: an end (slut) before the start (1 row)" in error
    assert "'2023-12-31 23:59 to 2023-01-01 00:00'" in error
    assert "row 2" in error


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "the file is empty (0 bytes)"), (HEADER.encode() + b"\n", "the file has no rows")],
)
def test_empty_files(tmp_path: Path, content: bytes, message: str) -> None:
    folder = _extract(tmp_path)
    (folder / "befolkning.parquet").unlink()
    (folder / "befolkning.csv").write_bytes(content)
    report = _report(folder)
    assert report.errors[0].message == message
    assert report.errors[0].file == folder / "befolkning.csv"


def test_truncated_parquet(tmp_path: Path) -> None:
    folder = _extract(tmp_path)
    data = (folder / "kontakter.parquet").read_bytes()
    (folder / "kontakter.parquet").write_bytes(data[: len(data) // 2])
    error = _report(folder).errors[0]
    assert error.file == folder / "kontakter.parquet"
    assert "not a readable Parquet file" in error.message
    assert "truncated" in (error.hint or "")


def test_truncated_sas_file(tmp_path: Path) -> None:
    from tests.extract_fixture import SAS_FOLDER

    folder = _extract(tmp_path)
    data = (SAS_FOLDER / "hjemmepleje.sas7bdat").read_bytes()
    (folder / "hjemmepleje.parquet").unlink()
    (folder / "hjemmepleje.sas7bdat").write_bytes(data[:5000])
    error = _report(folder).errors[0]
    assert error.file == folder / "hjemmepleje.sas7bdat"
    assert "SAS" in error.message


def test_unreadable_values_are_listed_with_their_lines(tmp_path: Path) -> None:
    folder = _extract(
        tmp_path, [HEADER, *GOOD, "P9;2023;M;31-02-1970;615", "P8;20x3;M;1970-13-45;615"]
    )
    report = _report(folder)
    by_column = {e.column: e for e in report.errors}
    assert by_column["foed_dato"].lines == (5, 6)
    assert "e.g. '31-02-1970'" in by_column["foed_dato"].render()
    assert by_column["aar"].examples == ("'20x3'",)


def test_other_rules_of_the_contract(tmp_path: Path) -> None:
    folder = _extract(tmp_path)
    pl.DataFrame(
        {
            "pnr": ["P0004", "P0004"],
            "aar": [2024, 2024],
            "ydelse": ["personlig_pleje", "rengoering"],
            "timer_pr_uge": [-1.0, 2.0],
        }
    ).write_parquet(folder / "hjemmepleje.parquet")
    kontakter = pl.read_parquet(folder / "kontakter.parquet").with_columns(
        aktionsdiagnose=pl.lit("J18.9")
    )
    kontakter.write_parquet(folder / "kontakter.parquet")
    text = _report(folder).render()
    assert "timer_pr_uge: values below 0 (1 row)" in text
    assert "ydelse: values that are not allowed (1 row); e.g. 'rengoering' (1×)" in text
    assert "aktionsdiagnose: values that are not SKS diagnosis codes" in text


def test_persons_unknown_to_befolkning_are_a_warning(tmp_path: Path) -> None:
    folder = _extract(tmp_path)
    pl.DataFrame(
        {"pnr": ["Q1", "Q2", "Æ0001"], "doed_dato": [dt.date(2023, 5, 1)] * 3}
    ).with_columns(pl.col("doed_dato")).write_parquet(folder / "doedsfald.parquet")
    report = _report(folder)
    assert report.ok
    warning = next(w for w in report.warnings if w.table == "doedsfald")
    assert warning.message.startswith("2 persons never appear in befolkning")
    assert warning.examples == ("'Q1'", "'Q2'")


def test_unknown_persons_are_counted_once_in_runs_and_apart(tmp_path: Path) -> None:
    # Q1 in a run, again after others and after a known person; Q3 only at the end.
    folder = _extract(tmp_path)
    known = pl.read_parquet(folder / "befolkning.parquet")["pnr"][0]
    added = ["Q1", "Q1", "Q2", "Q1", known, "Q1", "Q2", "Q3", "Q3"]
    pl.DataFrame(
        {"pnr": added, "udlevering_dato": [dt.date(2023, 5, 1)] * 9, "atc": ["C10AA05"] * 9}
    ).write_parquet(folder / "recepter.parquet")
    warning = next(w for w in _report(folder).warnings if w.table == "recepter")
    assert warning.message.startswith("3 persons never appear in befolkning")
    assert warning.examples == ("'Q1'", "'Q2'", "'Q3'")


@pytest.mark.parametrize("joint", [True, False])
def test_unknown_persons_are_told_by_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, joint: bool
) -> None:
    # One anti-join for every table (validate._unknown_persons); should it fail, one a table.
    folder = _extract(tmp_path)
    pl.DataFrame({"pnr": ["Q1", "Q2"], "doed_dato": [dt.date(2023, 5, 1)] * 2}).write_parquet(
        folder / "doedsfald.parquet"
    )
    pl.DataFrame(
        {
            "pnr": ["Q3", "Q1", "Q4"],
            "udlevering_dato": [dt.date(2023, 5, 1)] * 3,
            "atc": ["C10AA05"] * 3,
        }
    ).write_parquet(folder / "recepter.parquet")
    if not joint:
        concat = pl.concat

        def failing(items: object, **options: object) -> object:
            frames = list(items)  # type: ignore[call-overload]
            if any("__table" in f.collect_schema() for f in frames):
                raise pl.exceptions.ComputeError("the joint query fails")
            return concat(frames, **options)

        monkeypatch.setattr(pl, "concat", failing)
    report = _report(folder)
    warnings = {w.table: w for w in report.warnings if "never appear" in w.message}
    assert warnings["doedsfald"].examples == ("'Q1'", "'Q2'")
    assert warnings["recepter"].examples == ("'Q1'", "'Q3'", "'Q4'")
    assert warnings["recepter"].message.startswith("3 persons never appear in befolkning")


def test_the_same_rows_in_two_cluster_folders(tmp_path: Path) -> None:
    rows = pl.read_parquet(write_parquet(tmp_path / "all") / "befolkning.parquet")
    for klynge in ("bornholm", "horsensklyngen"):
        (tmp_path / "data" / klynge).mkdir(parents=True)
        rows.write_parquet(tmp_path / "data" / klynge / "befolkning.parquet")
    (tmp_path / "data" / "old").mkdir()
    rows.write_parquet(tmp_path / "data" / "old" / "befolkning.parquet")
    report = _report(tmp_path / "data")
    error = report.errors[0]
    assert "repeats across files: 6 rows occur in more than one area folder" in error.message
    assert any("sub-folder 'old' is not named by an area id" in w.message for w in report.warnings)


def test_a_table_twice_in_one_folder(tmp_path: Path) -> None:
    folder = _extract(tmp_path)
    (folder / "kontakter.csv").write_text("x\n1\n")
    error = _report(folder).errors[0]
    assert (
        error.message
        == "the table is given 2 times in one folder: kontakter.csv, kontakter.parquet"
    )


def test_read_extract_raises_with_the_whole_report(tmp_path: Path) -> None:
    folder = _extract(tmp_path, [HEADER, *GOOD, "P9;2023;M;1970-01-01;411"])
    with pytest.raises(InputError) as raised:
        read_extract(folder, today=TODAY)
    assert "befolkning.csv" in raised.value.message
    assert "kommunekode: codes that are not one of the 98 municipalities" in raised.value.message
    assert "datapakke validate" in (raised.value.hint or "")


# Command-line runs (in-process) for a representative set of broken files.


def test_cli_validate_passes_valid_data_with_warnings(tmp_path: Path) -> None:
    result = invoke("validate", "--data", _extract(tmp_path))
    assert result.exit_code == 0, result.output
    # Three optional tables and the aggregate inputs (survey, projection) are missing.
    assert "Result: 0 errors, 4 warnings" in result.stdout
    assert "no folder aggregater/, so these indicators will be missing" in result.stdout
    assert "The data can be used." in result.stdout


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["pnr;aar;koen;foed_dato;kommunekode", "P1;2023;M;1951-04-17;411"],
         "kommunekode: codes that are not one of the 98 municipalities (1 row); "
         "e.g. 411 (1×); line 2"),
        (["pnr;aar;sex;foed_dato;kommunekode", "P1;2023;M;1951-04-17;615"],
         "koen: the required column is missing "
         "(the file has: pnr, aar, sex, foed_dato, kommunekode)"),
        (["pnr;aar;koen;foed_dato;kommunekode", "P1;2023;M;1951-04-17;615",
          "P1;2023;M;1951-04-17;615"],
         "duplicated rows: 1 row is an exact copy of another row; e.g. ('P1', 2023), ('P1', 2023); "
         "lines 2, 3"),
    ],
)  # fmt: skip
def test_cli_validate_refuses_broken_files(tmp_path: Path, lines: list[str], expected: str) -> None:
    folder = _extract(tmp_path, lines)
    result = invoke("validate", "--data", folder)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "befolkning: befolkning.csv (CSV" in result.stdout
    assert expected in result.stdout


def test_cli_build_refuses_invalid_data_with_the_same_report(tmp_path: Path) -> None:
    folder = _extract(tmp_path / "data")
    data = (folder / "befolkning.parquet").read_bytes()
    (folder / "befolkning.parquet").write_bytes(data[:100])
    result = invoke("build", "-k", "bornholm", "--data", folder, "--out", tmp_path / "out")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "befolkning.parquet (Parquet)" in result.stderr
    assert "not a readable Parquet file" in result.stderr
    assert not (tmp_path / "out").exists()
    validate = invoke("validate", "--data", folder)
    assert "not a readable Parquet file" in validate.stdout
    assert validate.exit_code == ExitCode.INVALID_INPUT


def test_a_missing_optional_table_names_every_indicator_the_catalogue_reads_it_for(
    tmp_path: Path,
) -> None:
    folder = _extract(tmp_path)  # without doedsfald
    assert not (folder / "doedsfald.parquet").exists()
    needed_by = load_catalogue().indicators_by_table()
    report = validate_extract(folder, today=TODAY, needed_by=needed_by).report
    (warning,) = [f for f in report.warnings if f.table == "doedsfald"]
    assert warning.message.startswith("the optional table is missing, so these indicators")
    named = warning.message.rsplit(": ", 1)[1].split(", ")
    assert named == list(needed_by["doedsfald"])
    assert {"doedelighed", "middellevetid_kvinder", "genindl_30d_65"} <= set(named)


def test_findings_are_errors_warnings_and_notes(tmp_path: Path) -> None:
    report = _report(_extract(tmp_path))
    assert {f.severity for f in report.findings} == {Severity.WARNING}


def test_cli_build_warns_about_missing_optional_tables(tmp_path: Path) -> None:
    # The warning is what is checked, so HTML only: no PDF needs laying out for it.
    folder = _extract(tmp_path / "data")
    out = tmp_path / "out"
    result = invoke("build", "-k", "bornholm", "--data", folder, "--out", out, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "Warning: recepter: the optional table is missing" in result.stderr
    assert "polyfarmaci_65" in result.stderr
    assert (out / "bornholm.html").is_file()
    assert not (out / "bornholm.pdf").exists()
