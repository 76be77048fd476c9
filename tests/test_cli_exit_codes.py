"""Every exit code the README documents is what happens: one row per misuse, run in-process."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datapakke.cli import app, main
from datapakke.errors import ExitCode
from tests.test_batch_library import FAIL_FOR_BORNHOLM

Setup = Callable[[Path, Path], list[str]]  # (work folder, sample) -> arguments


def _config(text: str) -> Setup:
    def setup(work: Path, _sample: Path) -> list[str]:
        (work / "datapakke.toml").write_text(text, encoding="utf-8")
        return ["build", "-k", "bornholm"]

    return setup


def _args(*args: str) -> Setup:
    return lambda _work, sample: [a.replace("SAMPLE", str(sample)) for a in args]


def _failing_template(work: Path, sample: Path) -> list[str]:
    (work / "templates").mkdir()
    (work / "templates" / "pack.html.j2").write_text(FAIL_FOR_BORNHOLM, encoding="utf-8")
    return ["build", "-k", "bornholm", "-k", "horsens", "--data", str(sample), "--out",
            str(work / "out"), "--templates", str(work / "templates"), "--format", "html",
            "--jobs", "1"]  # fmt: skip


def _broken_catalogue(work: Path, _sample: Path) -> list[str]:
    (work / "katalog.toml").write_text("[[indicator]]\nid = 1\n", encoding="utf-8")
    return ["indicators", "--catalogue", str(work / "katalog.toml")]


def _existing_mapping(work: Path, sample: Path) -> list[str]:
    (work / "mapping.toml").write_text("", encoding="utf-8")
    return ["inspect", "--data", str(sample), "--write", str(work / "mapping.toml")]


def _out_is_a_file(work: Path, sample: Path) -> list[str]:
    (work / "fil").write_text("", encoding="utf-8")
    return ["build", "-k", "bornholm", "--data", str(sample), "--out", str(work / "fil" / "x")]


# (what the user did, how, the exit code, words the message must contain)
MISUSES: list[tuple[str, Setup, ExitCode, str]] = [
    ("no area and no --all", _args("build", "--data", "SAMPLE"), ExitCode.USAGE,
     "Give an area to build"),
    ("both --klynge and --all", _args("build", "-k", "byen", "--all", "--data", "SAMPLE"),
     ExitCode.USAGE, "not both"),
    ("a 2022 cluster with a 2027 council",
     _args("build", "-k", "byen", "--raad", "horsens", "--data", "SAMPLE"), ExitCode.USAGE,
     "build them in two runs"),
    ("--raad with another --inddeling",
     _args("build", "--raad", "horsens", "--inddeling", "klynger-2022", "--data", "SAMPLE"),
     ExitCode.USAGE, "--raad names an area of sundhedsraad-2027, but --inddeling klynger-2022"),
    ("--inddeling with --geografi",
     _args("build", "--all", "--inddeling", "klynger-2022", "--geografi", "SAMPLE",
           "--data", "SAMPLE"), ExitCode.USAGE, "choose different area sets"),
    ("an unknown --inddeling", _args("omraader", "--inddeling", "sundhedsraad-2030"),
     ExitCode.USAGE, "--inddeling sundhedsraad-2030: there is no area set called"),
    ("an --inddeling that is no id", _args("omraader", "--inddeling", "Sundhedsråd 2027"),
     ExitCode.USAGE, "expected the id of an area set"),
    ("an unknown area set in datapakke.toml", _config('inddeling = "klynger-2030"\n'),
     ExitCode.USAGE, "line 1 (inddeling = klynger-2030): there is no area set called"),
    ("a preview of two areas", _args("preview", "-k", "byen", "-k", "horsens"), ExitCode.USAGE,
     "Give exactly one area"),
    ("a listing in an unknown format", _args("omraader", "--format", "xml"), ExitCode.USAGE,
     "xml"),
    ("export to an unknown suffix", _args("export", "--data", "SAMPLE", "--out", "x.json"),
     ExitCode.USAGE, "cannot tell the format"),
    ("an unknown option", _args("build", "--klyng", "byen"), ExitCode.USAGE, "No such option"),
    ("a choice that does not exist", _args("build", "-k", "byen", "--format", "docx"),
     ExitCode.USAGE, "docx"),
    ("a threshold below 1", _args("build", "-k", "byen", "--min-count", "0"), ExitCode.USAGE,
     "--min-count 0: must be at least 1"),
    ("a confidence out of range", _args("export", "--out", "x.csv", "--confidence", "40"),
     ExitCode.USAGE, "must lie between 50 and 99.9"),
    ("--quiet with --verbose", _args("klynger", "-q", "-v"), ExitCode.USAGE, "not both"),
    ("a backwards year span", _args("sample", "--out", "s", "--years", "2024-2020"),
     ExitCode.USAGE, "--years '2024-2020'"),
    ("no --data and no ./sample_data", _args("build", "-k", "byen"), ExitCode.USAGE,
     "No data folder given"),
    ("an unknown key in datapakke.toml", _config('data = "x"\nmin_count = 3\n'),
     ExitCode.USAGE, "datapakke.toml, line 2: unknown setting 'min_count'"),
    ("a bad value in datapakke.toml", _config("jobs = 0\n"), ExitCode.USAGE,
     "datapakke.toml, line 1: jobs = 0: must be at least 1"),
    ("datapakke.toml that is not TOML", _config("data = \n"), ExitCode.USAGE, "not valid TOML"),
    ("a --config file that is missing", _args("indicators", "--config", "nope.toml"),
     ExitCode.USAGE, "no such configuration file"),
    ("a port out of range", _args("preview", "-k", "byen", "--port", "70000"), ExitCode.USAGE,
     "65535"),
    ("a data folder that does not exist", _args("build", "-k", "byen", "--data", "nope"),
     ExitCode.INVALID_INPUT, "no such data folder"),
    ("an extract without its tables", _args("validate", "--data", "."),
     ExitCode.INVALID_INPUT, "befolkning"),
    ("a template folder that does not exist",
     _args("build", "-k", "byen", "--data", "SAMPLE", "--templates", "nope"),
     ExitCode.INVALID_INPUT, "no such template folder"),
    ("a catalogue that does not parse", _broken_catalogue, ExitCode.INVALID_INPUT, "katalog.toml"),
    ("a mapping file that is missing",
     _args("validate", "--data", "SAMPLE", "--mapping", "nope.toml"), ExitCode.INVALID_INPUT,
     "nope.toml: the mapping file cannot be read"),
    ("inspect --write onto a file that exists", _existing_mapping, ExitCode.USAGE,
     "does not overwrite"),
    ("an unknown cluster", _args("build", "-k", "xyzzy", "--data", "SAMPLE"),
     ExitCode.UNKNOWN_AREA, "xyzzy"),
    ("an unknown municipality", _args("build", "--kommune", "Atlantis", "--data", "SAMPLE"),
     ExitCode.UNKNOWN_AREA, "No municipality is called 'Atlantis'"),
    ("one unknown cluster among several",
     _args("build", "-k", "horsens", "-k", "xyzzy", "--data", "SAMPLE"), ExitCode.UNKNOWN_AREA,
     "xyzzy"),
    ("some packs of a batch fail", _failing_template, ExitCode.PARTIAL_FAILURE, "1 failed"),
    ("an output folder that cannot be made", _out_is_a_file, ExitCode.OUTPUT_ERROR,
     "cannot create the output folder"),
    ("a log file that cannot be written", _args("klynger", "--log", "nope/x.log"),
     ExitCode.OUTPUT_ERROR, "cannot write the log file"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("setup", "code", "words"),
    [pytest.param(setup, code, words, id=what) for what, setup, code, words in MISUSES],
)
def test_each_documented_misuse_exits_with_its_code(
    setup: Setup,
    code: ExitCode,
    words: str,
    tiny_sample: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("DATAPAKKE_DATA", "DATAPAKKE_CONFIG", "CI"):
        monkeypatch.delenv(name, raising=False)
    result = CliRunner().invoke(app, setup(tmp_path, tiny_sample), env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    assert words in result.output
    assert "Traceback" not in result.output


def test_the_readme_documents_each_exit_code() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"{int(code)} " in readme.split("Exit codes:")[1][:900], code


def test_an_unexpected_error_exits_1_and_asks_for_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(sys.modules["datapakke.cli.app"], "app", broken)
    monkeypatch.delenv("DATAPAKKE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == ExitCode.ERROR
    assert "This is a bug in datapakke" in capsys.readouterr().err
