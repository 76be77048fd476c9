"""Settings from flag > environment > datapakke.toml > default, each with where it came from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.cli.config import resolve
from datapakke.cli.options import BUILD, OPTIONS, SettingOption
from datapakke.errors import ExitCode, UsageError


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for option in OPTIONS:
        monkeypatch.delenv(option.env, raising=False)
    monkeypatch.delenv("DATAPAKKE_CONFIG", raising=False)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _source(command: str, key: str, **kwargs: Any) -> tuple[str, str]:
    described = {k: (v, s) for k, v, s in resolve(command, **kwargs).describe()}
    return described[key]


def test_flag_beats_environment_beats_file_beats_default(tmp_path: Path) -> None:
    assert _source(BUILD, "min-count", flags={}) == ("5", "default")
    _write(tmp_path / "datapakke.toml", "# the project's choices\n\nmin-count = 10\n")
    assert _source(BUILD, "min-count", flags={}) == ("10", "file datapakke.toml, line 3")
    env = {"DATAPAKKE_MIN_COUNT": "8"}
    assert _source(BUILD, "min-count", flags={}, environ=env) == (
        "8", "environment DATAPAKKE_MIN_COUNT",
    )  # fmt: skip
    assert _source(BUILD, "min-count", flags={"min-count": 6}, environ=env) == (
        "6", "flag --min-count",
    )  # fmt: skip
    settings = resolve(BUILD, {"min-count": 6, "data": tmp_path}, environ=env).settings()
    assert settings.compute.min_count == 6


def test_the_values_reach_the_settings(tmp_path: Path) -> None:
    (tmp_path / "udtraek").mkdir()
    _write(
        tmp_path / "projekt" / "datapakke.toml",
        'data = "../udtraek"\nout = "pakker"\nformat = "both"\nconfidence = 90\n'
        'standard = "esp2013"\njobs = 2\nforce = true\ntemplates = "skabeloner"\n',
    )
    chosen = resolve(BUILD, {"force": False}, config=tmp_path / "projekt" / "datapakke.toml")
    settings = chosen.settings()
    # Paths in the file are relative to the file's folder.
    assert settings.data == tmp_path / "projekt" / ".." / "udtraek"
    assert settings.out == tmp_path / "projekt" / "pakker"
    assert settings.templates == tmp_path / "projekt" / "skabeloner"
    assert settings.formats == frozenset({"pdf", "html"})
    assert settings.compute.level == pytest.approx(0.90)
    assert settings.compute.standard == "esp2013"
    assert settings.jobs == 2
    assert settings.force is False  # --no-force beats the file


def test_environment_paths_and_switches(tmp_path: Path) -> None:
    env = {"DATAPAKKE_DATA": "udtraek", "DATAPAKKE_FAIL_FAST": "yes", "DATAPAKKE_FORCE": "0"}
    (tmp_path / "udtraek").mkdir()
    settings = resolve(BUILD, {}, environ=env).settings()
    assert settings.data == Path("udtraek")  # relative to the working folder
    assert settings.fail_fast is True
    assert settings.force is False


SAMPLE_VALUES = {"DIR": "mappe", "FILE": "fil.toml", "N": 3, "PCT": 90, "ID": "klynger-2022",
                 "DIR|FILE": "distrikter.csv", "STANDARD": "esp2013", None: None}  # fmt: skip


def _sample_value(option: SettingOption) -> object:
    if option.kind.flag_type is bool:
        return True
    if option.kind.metavar is None:  # a choice: its last value
        return list(option.kind.flag_type)[-1].value
    return SAMPLE_VALUES[option.kind.metavar]


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.key)
def test_every_setting_can_be_set_in_the_file_and_reaches_its_field(
    option: SettingOption, tmp_path: Path
) -> None:
    value = _sample_value(option)
    written = f'"{value}"' if isinstance(value, str) else str(value).lower()
    config = _write(tmp_path / "datapakke.toml", f"{option.key} = {written}\n")
    (tmp_path / "udtraek").mkdir()
    flags: dict[str, object] = {} if option.key == "data" else {"data": tmp_path / "udtraek"}
    chosen = resolve("config", flags, config=config)
    expected = option.to_field(option.kind.read(value))
    if option.kind.is_path:
        expected = tmp_path / str(value)
    actual: object = chosen.settings()
    for name in option.field.split("."):
        actual = getattr(actual, name)
    assert actual == expected
    assert option.env == "DATAPAKKE_" + option.key.upper().replace("-", "_")


def test_keys_and_variables_are_unique() -> None:
    assert len({o.key for o in OPTIONS}) == len({o.env for o in OPTIONS}) == len(OPTIONS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# comment\n\nmin_count = 3\n", "datapakke.toml, line 3: unknown setting 'min_count'"),
        ('[build]\nout = "x"\n', "datapakke.toml, line 1: unknown setting 'build'"),
        ('confidence = "høj"\n', "line 1: confidence = 'høj': expected a number of per cent"),
        ("force = 2\n", "line 1: force = 2: expected true or false"),
        ('standard = "eu"\n', "expected national, national:YEAR (e.g. national:2022) or esp2013"),
        ("jobs = 1.5\n", "jobs = 1.5: expected a whole number"),
    ],
)
def test_a_bad_file_names_the_line(text: str, message: str, tmp_path: Path) -> None:
    _write(tmp_path / "datapakke.toml", text)
    with pytest.raises(UsageError, match=r"datapakke\.toml") as caught:
        resolve("validate", {})
    assert message in caught.value.message


def test_a_bad_environment_variable_is_named() -> None:
    with pytest.raises(UsageError) as caught:
        resolve(BUILD, {}, environ={"DATAPAKKE_JOBS": "many"})
    assert caught.value.message == "DATAPAKKE_JOBS=many: expected a whole number."


def test_datapakke_config_shows_each_value_and_its_source(tmp_path: Path) -> None:
    _write(tmp_path / "datapakke.toml", 'data = "udtraek"\nmin-count = 10\n')
    result = CliRunner().invoke(
        app, ["config", "--jobs", "3"], env={"DATAPAKKE_CONFIDENCE": "90", "COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    assert "udtraek" in rows["data"] and "file datapakke.toml, line 1" in rows["data"]
    assert "10" in rows["min-count"] and "file datapakke.toml, line 2" in rows["min-count"]
    assert "90" in rows["confidence"] and "environment DATAPAKKE_CONFIDENCE" in rows["confidence"]
    assert "3" in rows["jobs"] and "flag --jobs" in rows["jobs"]
    assert "default" in rows["standard"]
    assert "Configuration file: datapakke.toml" in result.stdout


def test_the_cli_reads_datapakke_data(tiny_sample: Path) -> None:
    result = CliRunner().invoke(app, ["validate"], env={"DATAPAKKE_DATA": str(tiny_sample)})
    assert result.exit_code == ExitCode.OK, result.output
    assert "The data can be used." in result.stdout
