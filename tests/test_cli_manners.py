"""The command line's manners: -V, completion, listings for programs, a chosen few packs,
progress on stderr, --quiet, --verbose and --log, an example in every --help."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from rich.console import Console
from typer.main import get_command
from typer.testing import CliRunner, Result

from datapakke import __version__
from datapakke.cli import app
from datapakke.cli.areas import AreaOptions, chosen_areas
from datapakke.geography import load_geography
from datapakke.run.batch import PackOutcome
from datapakke.run.progress import BarProgress, LineProgress


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "80", "CI": ""})


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str) -> None:
    result = _invoke(flag)
    assert result.exit_code == 0
    assert result.stdout == f"datapakke {__version__}\n"


def test_completion_is_on() -> None:
    assert "--install-completion" in _invoke("--help").stdout


def test_every_command_shows_an_example_in_its_help() -> None:
    commands = get_command(app).commands  # type: ignore[attr-defined]
    assert {
        "build",
        "omraader",
        "klynger",
        "preview",
        "validate",
        "export",
        "indicators",
        "sample",
    } <= set(commands)
    for name in commands:
        result = _invoke(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, name
        assert f"datapakke {name}" in result.stdout, name


def test_a_flag_shows_no_value_in_the_help() -> None:
    # A flag takes no value: a type after it ("--all <bool>", typer 0.29) reads as if it did.
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        shown = _invoke(name, "--help").stdout
        assert "--help" in shown and "<bool>" not in shown, name


def test_klynger_as_csv_and_json_for_programs() -> None:
    rows = list(csv.DictReader(io.StringIO(_invoke("klynger", "--format", "csv").stdout)))
    assert len(rows) == 22
    horsens = next(r for r in rows if r["id"] == "horsensklyngen")
    assert horsens["kommuner"] == "Hedensted, Horsens, Odder, Skanderborg"
    assert horsens["akuthospital"] == "Regionshospitalet Horsens"
    listed = json.loads(_invoke("klynger", "--format", "json").stdout)
    assert [r["id"] for r in listed] == [r["id"] for r in rows]
    assert next(r for r in listed if r["id"] == "horsensklyngen")["kommuner"] == [
        "Hedensted", "Horsens", "Odder", "Skanderborg",
    ]  # fmt: skip


def test_a_piped_table_keeps_each_row_on_one_line() -> None:
    # COLUMNS is 80, and a row is far wider: piped, nothing may wrap or split a word.
    lines = _invoke("klynger").stdout.splitlines()
    (fyn,) = [line for line in lines if "fynsklyngen" in line]
    assert "Assens, Faaborg-Midtfyn, Kerteminde, Langeland, Nordfyns, Nyborg, Odense" in fyn
    assert "Odense Universitetshospital" in fyn
    indicators = _invoke("indicators").stdout
    assert "forebyggelige_indl_65" in indicators


def test_indicators_as_json_and_csv() -> None:
    listed = json.loads(_invoke("indicators", "--format", "json").stdout)
    ids = [i["id"] for i in listed]
    assert "forebyggelige_indl_65" in ids
    assert len(ids) == len(set(ids)) > 30
    rows = list(csv.DictReader(io.StringIO(_invoke("indicators", "--format", "csv").stdout)))
    assert [r["id"] for r in rows] == ids


def test_quiet_leaves_stdout_to_results_and_errors(tmp_path: Path) -> None:
    loud = _invoke("sample", "--out", tmp_path / "a", "--scale", "0.0002", "--years", "2024")
    assert loud.exit_code == 0, loud.output
    assert "Wrote" in loud.stdout
    quiet = _invoke("sample", "--out", tmp_path / "b", "--scale", "0.0002", "--years", "2024", "-q")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout == ""
    assert (tmp_path / "b" / "befolkning.parquet").is_file()


def test_log_file_gets_details_and_errors_with_times(small_sample: Path, tmp_path: Path) -> None:
    log = tmp_path / "datapakke.log"
    result = _invoke("build", "-k", "xyzzy", "--data", small_sample, "--log", log)
    assert result.exit_code == 4
    text = log.read_text(encoding="utf-8")
    assert f"DEBUG   datapakke.cli: Setting data = {small_sample} (flag --data)" in text
    assert "ERROR   datapakke.cli: " in text
    assert "xyzzy" in text
    assert text[:4].isdigit()  # each record starts with its time
    # --verbose shows the details on stderr too; without it they stay in the file.
    assert "Setting data" not in result.stderr
    verbose = _invoke("build", "-k", "xyzzy", "--data", small_sample, "-v")
    assert "Setting min-count = 5 (default)" in verbose.stderr


def test_a_chosen_few_in_the_order_given_each_once() -> None:
    geography = load_geography("klynger-2022")
    named = AreaOptions(klynger=("horsens", "Bornholm", "Horsensklyngen", "byen"),
                        kommuner=("Odder", "727"))  # fmt: skip
    chosen = chosen_areas(named, geography)
    assert [k.slug for k in chosen] == [
        "horsensklyngen",
        "bornholm",
        "hovedstaden-byen",
        "kommune-odder",
    ]


@pytest.mark.slow
def test_build_with_klynge_twice_builds_both(tiny_sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _invoke("build", "-k", "bornholm", "-k", "holbaek", "-k", "Bornholm",
                     "--data", tiny_sample, "--out", out, "--format", "html")  # fmt: skip
    assert result.exit_code == 0, result.output
    built = sorted(p.name for p in out.glob("*.html"))
    assert built == ["bornholm.html", "holbaek.html", "index.html"]
    assert "[1/2] " in result.stderr
    assert "[2/2] " in result.stderr
    assert "2 packs: 2 built" in result.stdout


def _frames(console_file: io.StringIO) -> list[str]:
    return [line.strip() for line in console_file.getvalue().replace("\r", "\n").splitlines()]


def test_the_bar_names_the_packs_and_the_stage_and_shows_time_left() -> None:
    screen = io.StringIO()
    bar = BarProgress(Console(file=screen, force_terminal=True, width=150, color_system=None))
    bar.begin(3)
    bar.phase("Computing the indicators")
    bar.bar.refresh()
    bar.pack_started("bornholm")
    bar.pack_started("holbaek")
    bar.bar.refresh()
    time.sleep(0.05)
    bar.pack_done(PackOutcome("bornholm", "built"))
    bar.bar.refresh()
    bar.end()
    frames = _frames(screen)
    assert any("Computing the indicators" in f and "0/3" in f for f in frames)
    assert any("Rendering bornholm, holbaek" in f for f in frames)
    assert any("Rendering holbaek" in f and "1/3" in f and "left" in f for f in frames)


def test_log_lines_one_per_pack_and_failures_as_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="datapakke")
    lines = LineProgress()
    lines.begin(2)
    lines.pack_done(PackOutcome("bornholm", "built", pages=30, seconds=2.0))
    lines.pack_done(PackOutcome("holbaek", "failed", error="broken"))
    records = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert records == [
        ("INFO", "Building 2 pack(s)"),
        ("INFO", "[1/2] bornholm: built, 30 pages, 0 B, 2.0 s"),
        ("ERROR", "[2/2] holbaek: failed: broken"),
    ]
