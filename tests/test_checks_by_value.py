"""Checking a column once per distinct value gives the report and the typed rows that checking
every row gives (``inputs.distinct``), for files full of the errors validation names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from datapakke.inputs import distinct
from datapakke.inputs.conventions import absent_rows, present
from datapakke.inputs.validate import validate_extract
from datapakke.sample.generate import generate_sample
from tests.conftest import TINY_SAMPLE
from tests.extract_fixture import write_parquet

TODAY = dt.date(2025, 6, 1)
# Rows repeat, as in a real extract: every column but pnr holds few distinct values.
BEFOLKNING = [
    ("2023", "M", "1951-04-17", "615"),
    ("2023", "K", "1988-12-31", "0101"),
    ("2023", " K ", "1988-12-31", "101"),  # padded, as SAS writes it
    ("2024", "1", "1951-04-17", "615"),  # CPR's 1/2
    ("2024", "2", "2000-05-05", "825"),
    ("2024", "X", "1988-12-31", "101"),  # not a sex
    ("2024", "", "1988-12-31", "101"),  # blank
    ("2024", "   ", "1988-12-31", "101"),  # only spaces
    ("20x3", "M", "1951-04-17", "615"),  # not a year
    ("2024", "K", "31-02-1970", "615"),  # not a date
    ("2024", "K", "2031-01-01", "615"),  # in the future, and after 1 January of aar
    ("2024", "M", "1951-04-17", "411"),  # Christiansø
    ("2024", "M", "1951-04-17", "6x5"),  # not a number
]
RECEPTER = [
    ("2023-03-01", "C10AA05"),
    ("2023-03-01", "A10BA02"),
    ("2023-04-11", "c10aa05"),  # lower case
    ("2024-01-02", "C10AA055"),  # too long
    ("2024-01-02", ""),  # blank
    ("2026-01-02", "N02BE01"),  # in the future
    ("2024-02-30", "N02BE01"),  # not a date
]
REPEATS = 40


def _broken_extract(folder: Path) -> Path:
    write_parquet(folder)
    lines = ["pnr;aar;koen;foed_dato;kommunekode"]
    lines += [f"P{n};{';'.join(BEFOLKNING[n % len(BEFOLKNING)])}" for n in range(REPEATS * 13)]
    (folder / "befolkning.parquet").unlink()
    (folder / "befolkning.csv").write_text("\n".join(lines) + "\n", "utf-8")
    rows = [RECEPTER[n % len(RECEPTER)] for n in range(REPEATS * 7)]
    pl.DataFrame(
        {
            "pnr": [f"P{n % 50}" for n in range(len(rows))],
            "udlevering_dato": [r[0] for r in rows],
            "atc": [r[1] or None if n % 2 else r[1] for n, r in enumerate(rows)],
        }
    ).write_parquet(folder / "recepter.parquet")
    return folder


def _validated(folder: Path, share: float, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict]:
    monkeypatch.setattr(distinct, "DISTINCT_SHARE", share)
    validation = validate_extract(folder, today=TODAY)
    checked = {
        name: frame.collect() for name, frame in (validation.tables or {}).items()
    }  # only on a valid extract
    return validation.report.render(), checked


def test_broken_files_give_the_same_report_by_value_as_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _broken_extract(tmp_path)
    looked_up: list[str] = []
    real = distinct.distinct_values

    def recording(frame: pl.LazyFrame, columns: list[str], **how: bool) -> dict[str, pl.Series]:
        looked_up.extend(columns)
        return real(frame, columns, **how)

    monkeypatch.setattr(distinct, "distinct_values", recording)
    by_value, _ = _validated(folder, distinct.DISTINCT_SHARE, monkeypatch)
    assert {"aar", "koen", "foed_dato", "kommunekode", "udlevering_dato", "atc"} <= set(looked_up)
    by_row, _ = _validated(folder, 0.0, monkeypatch)
    assert by_value == by_row
    # The report names every kind of error the rows hold, with its lines.
    for said in (
        "koen: values that are not allowed",
        "koen: empty values",
        "aar: values that cannot be read as a whole number",
        "foed_dato: values that cannot be read",
        "foed_dato: dates in the future (after 2025-06-01)",
        "kommunekode: codes that are not one of the 98 municipalities",
        "atc: values that are not ATC codes",
        "atc: empty values",
        "udlevering_dato: dates in the future",
    ):
        assert said in by_row


def test_valid_files_give_the_same_typed_rows_by_value_as_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _broken_extract(tmp_path)
    good = [n for n in range(REPEATS * 13) if n % len(BEFOLKNING) in (0, 1, 2, 3, 4)]
    lines = (folder / "befolkning.csv").read_text("utf-8").splitlines()
    (folder / "befolkning.csv").write_text(
        "\n".join([lines[0], *(lines[n + 1] for n in good)]) + "\n", "utf-8"
    )
    recepter = pl.read_parquet(folder / "recepter.parquet")
    recepter.filter(pl.col("atc").is_in(["C10AA05", "A10BA02"])).write_parquet(
        folder / "recepter.parquet"
    )
    report_by_value, by_value = _validated(folder, distinct.DISTINCT_SHARE, monkeypatch)
    report_by_row, by_row = _validated(folder, 0.0, monkeypatch)
    assert report_by_value == report_by_row
    assert by_value, report_by_value
    for name, frame in by_row.items():
        assert by_value[name].equals(frame, null_equal=True), name
    koen = by_value["befolkning"]["koen"]
    assert koen.value_counts().sort("koen").rows() == [("K", 120), ("M", 80)]


def test_aggregate_columns_empty_in_every_row_read_the_same_by_value_as_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The projection's nedre and oevre are empty throughout; a rule compares them.
    generate_sample(tmp_path, file_format="csv", **TINY_SAMPLE)
    read = {}
    for share in (distinct.DISTINCT_SHARE, 0.0):
        monkeypatch.setattr(distinct, "DISTINCT_SHARE", share)
        validation = validate_extract(tmp_path, today=TODAY)
        assert validation.report.ok, validation.report.render()
        assert validation.aggregates is not None
        read[share] = (validation.report.render(), validation.aggregates.collect())
    (by_value, rows_by_value), (by_row, rows_by_row) = read.values()
    assert by_value == by_row
    assert rows_by_value.equals(rows_by_row, null_equal=True)
    assert rows_by_value.schema == rows_by_row.schema


# Blank and not blank, as ``conventions.present`` reads them: white space is Unicode's.
TEXTS = {
    "": True, " ": True, "\t\n": True, "\u00a0": True, "\u3000\u2028": True, None: True,
    "P1": False, " P1": False, "\u00a0x": False, "\x7f": False, "\x01": False, "Æ0001": False,
    "~": False, "!": False,
}  # fmt: skip


def test_counting_blank_texts_agrees_with_testing_each_row() -> None:
    column = pl.Series("pnr", list(TEXTS) * 3, dtype=pl.String)
    frame = pl.DataFrame([column])
    raw = pl.col("pnr")
    counted = frame.select(absent_rows(raw, pl.String())).item()
    by_row = frame.select((~present(raw, pl.String()).fill_null(False)).sum()).item()
    assert counted == by_row == 3 * sum(TEXTS.values())
    blank = frame.filter(~present(raw, pl.String()).fill_null(False))["pnr"]
    assert set(blank.to_list()) == {text for text, is_blank in TEXTS.items() if is_blank}


def test_blank_pnr_in_a_large_file_is_counted_and_shown(tmp_path: Path) -> None:
    folder = write_parquet(tmp_path)
    texts = [t for t in TEXTS if t is not None]
    pnr = [texts[n % len(texts)] for n in range(10 * len(texts))]
    pl.DataFrame(
        {
            "pnr": pnr,
            "udlevering_dato": [dt.date(2023, 3, 1)] * len(pnr),
            "atc": ["C10AA05"] * len(pnr),
        }
    ).write_parquet(folder / "recepter.parquet")
    report = validate_extract(folder, today=TODAY).report
    (empty,) = [f for f in report.errors if f.table == "recepter" and f.message == "empty values"]
    assert empty.column == "pnr"
    assert empty.rows == 10 * sum(TEXTS[t] for t in texts)
    # The lines are those of the blank rows (row 1, "", is the first).
    assert empty.lines[0] == 1


def test_a_column_whose_values_read_as_themselves_is_not_looked_up(tmp_path: Path) -> None:
    folder = write_parquet(tmp_path)
    persons = pl.read_parquet(folder / "befolkning.parquet").filter(pl.col("aar") == 2024)
    # 35 years of the same three persons: koen holds M and K, nothing to convert.
    many = pl.concat(persons.with_columns(aar=pl.lit(year, pl.Int32)) for year in range(1990, 2025))
    many.write_parquet(folder / "befolkning.parquet")
    validation = validate_extract(folder, today=TODAY)
    assert validation.tables is not None, validation.report.render()
    befolkning = validation.tables["befolkning"]
    assert "replace_strict" not in befolkning.explain()
    assert befolkning.collect()["koen"].to_list() == many["koen"].to_list()
    # A column that does need converting is still looked up by value.
    many.with_columns(koen=pl.col("koen").replace({"M": "1", "K": "2"})).write_parquet(
        folder / "befolkning.parquet"
    )
    befolkning = validate_extract(folder, today=TODAY).tables["befolkning"]  # type: ignore[index]
    assert "replace_strict" in befolkning.explain()
    assert befolkning.collect()["koen"].to_list() == many["koen"].to_list()


def test_distinct_values_by_column_are_those_of_one_pass() -> None:
    frame = pl.LazyFrame(
        {
            "atc": ["C10AA05", None, "A10BA02", "C10AA05", "", None] * 50,
            "koen": ["M", "K", "K", None, "M", "M"] * 50,
            "aar": [2023, 2024, 2024, 2023, None, 2024] * 50,
        }
    )
    columns = ["atc", "koen", "aar"]
    by_column = distinct.distinct_values(frame, columns, by_column=True)
    in_one_pass = distinct.distinct_values(frame, columns)
    assert set(by_column) == set(in_one_pass) == set(columns)
    for name in columns:
        assert sorted(by_column[name].to_list(), key=repr) == sorted(
            in_one_pass[name].to_list(), key=repr
        )
        assert by_column[name].null_count() == 1
        assert by_column[name].dtype == in_one_pass[name].dtype
