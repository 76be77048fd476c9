"""Reports quote bounded excerpts, never whole rows or files; quoted data are printed as
they are (no Rich markup, no emoji codes, no terminal escapes)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.errors import EXCERPT_CHARACTERS, ExitCode, excerpt, listing
from datapakke.inputs.findings import quote
from datapakke.inputs.validate import validate_extract

HEADER = "pnr,aar,koen,foed_dato,kommunekode"
PERSONS = [f"P{i:06d},2023,{'MK'[i % 2]},1950-01-01,101" for i in range(3_000)]
# A report may name files, columns and rules; far below what it used to echo (MBs).
SHORT = 4_000


def _befolkning(tmp_path: Path, content: bytes) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "befolkning.csv").write_bytes(content)
    return data


def _report(data: Path) -> str:
    return validate_extract(data).report.render()


def test_excerpt_bounds_and_escapes() -> None:
    assert excerpt("x" * EXCERPT_CHARACTERS) == "x" * EXCERPT_CHARACTERS
    cut = excerpt("y" * 10_000)
    assert len(cut) == EXCERPT_CHARACTERS
    assert cut.endswith("…")
    assert excerpt("a\nb\r\x1b[31mc") == "a\\nb\\r\\x1b[31mc"
    assert len(excerpt("\n" * 1_000)) == EXCERPT_CHARACTERS
    assert listing([f"c{i}" for i in range(100)], 3) == "c0, c1, c2 and 97 more"
    assert quote("z" * 500) == f"'{'z' * (EXCERPT_CHARACTERS - 1)}…'"


def test_a_cr_only_csv_gives_a_short_report(tmp_path: Path) -> None:
    data = _befolkning(tmp_path, "\r".join([HEADER, *PERSONS]).encode() + b"\r")
    report = _report(data)
    assert len(report) < SHORT
    assert "carriage return only" in report
    assert "CRLF" in report
    assert "P000001" not in report
    assert "P002999" not in report


@pytest.mark.parametrize("size", [2 << 20, 32 << 20])
def test_a_huge_header_gives_a_short_report(tmp_path: Path, size: int) -> None:
    data = _befolkning(tmp_path, b"pnr," + b"x" * size + b",aar\nP1,2023\n")
    report = _report(data)
    assert len(report) < SHORT
    assert "the first line is longer than 1 MB" in report
    assert "xxxxxxxxxx" not in report


def test_a_file_with_thousands_of_columns_lists_a_few(tmp_path: Path) -> None:
    names = [f"kolonne_{i}" for i in range(5_000)]
    data = _befolkning(tmp_path, (",".join(["pnr", "aar", *names]) + "\n").encode())
    report = _report(data)
    assert len(report) < SHORT
    assert "kolonne_0, kolonne_1" in report
    assert "and 4,990 more" in report  # 12 of the 5,002 columns are named
    assert "kolonne_4999" not in report


def test_a_huge_value_is_quoted_as_an_excerpt(tmp_path: Path) -> None:
    long_value = "9" * 20 + "A" * 100_000
    rows = [HEADER, f"P1,{long_value},K,1950-01-01,101", *PERSONS[:10]]
    report = _report(_befolkning(tmp_path, ("\n".join(rows) + "\n").encode()))
    assert len(report) < SHORT
    assert "'99999999999999999999AAAA" in report
    assert "A" * EXCERPT_CHARACTERS not in report
    assert "…'" in report


def test_terminal_escapes_in_values_are_shown_not_obeyed(tmp_path: Path) -> None:
    rows = [HEADER, "P1,\x1b[2J\x1b[31mrød,K,1950-01-01,101"]
    report = _report(_befolkning(tmp_path, ("\n".join(rows) + "\n").encode()))
    assert "\x1b" not in report
    assert "'\\x1b[2J\\x1b[31mrød'" in report


def test_the_cli_prints_quoted_values_as_they_are(tmp_path: Path) -> None:
    rows = [HEADER, "P1,root:x:0,K,1950-01-01,101", "P2,[bold red]2023[/],K,1950-01-01,101"]
    data = _befolkning(tmp_path, ("\n".join(rows) + "\n").encode())
    result = CliRunner().invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "'root:x:0'" in result.output
    assert "❌" not in result.output
    assert "'[bold red]2023[/]'" in result.output


def test_inspect_shows_values_as_excerpts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    long_value = "x" * 10_000
    rows = ["diagnose;note", f"A01;{long_value}", "B02;\x1b[2Jroot:x:0"]
    (data / "rkkp.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["inspect", "--data", str(data)])
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if line.strip().startswith("note")]
    assert f"'{'x' * (EXCERPT_CHARACTERS - 1)}…'" in line
    assert "'\\x1b[2Jroot:x:0'" in line
    assert "\x1b" not in result.output
    assert len(result.output) < SHORT
