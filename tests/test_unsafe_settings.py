"""Settings that would quietly weaken a pack: a threshold that protects no one is warned about
(and said in the pack), a malformed SOURCE_DATE_EPOCH is refused before anything is built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.dates import pinned_build_date
from datapakke.engine.settings import ComputeSettings, protection_warning
from datapakke.errors import ExitCode, UsageError
from datapakke.geography import load_geography
from datapakke.pack import build_pack
from datapakke.run.load import load_results
from datapakke.run.settings import Settings


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("abc", "is not a whole, non-negative number"),
        ("-5", "is not a whole, non-negative number"),
        ("1.5", "is not a whole, non-negative number"),
        ("١٢٣", "is not a whole, non-negative number"),  # Arabic-Indic digits
        ("99999999999999999999", "is out of range"),
        ("253402300800", "is out of range"),  # 10000-01-01
    ],
)
def test_a_malformed_source_date_epoch_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, value: str, reason: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(UsageError, match=reason) as caught:
        pinned_build_date()
    assert caught.value.exit_code is ExitCode.USAGE


def test_a_good_or_empty_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1767312000 ")
    assert pinned_build_date() == dt.date(2026, 1, 2)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert pinned_build_date() == dt.date(1970, 1, 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    assert pinned_build_date() is None


@pytest.mark.parametrize("batch", [[], ["--all"]], ids=["one pack", "batch"])
def test_build_refuses_a_malformed_epoch_before_computing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: list[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-5")
    # No data folder: had the build computed first, it would fail on the data instead.
    data = tmp_path / "data"
    data.mkdir()
    where = batch or ["--klynge", "Bornholm"]
    result = CliRunner().invoke(
        app, ["build", *where, "--data", str(data), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "SOURCE_DATE_EPOCH=-5 is not a whole, non-negative number" in result.output
    assert "Traceback" not in result.output


def test_only_thresholds_that_protect_little_are_warned_about() -> None:
    assert "turns disclosure control off" in (protection_warning(1) or "")
    assert "protects weakly: only counts below 2 are hidden" in (protection_warning(2) or "")
    assert protection_warning(3) is None
    assert protection_warning(5) is None


def test_min_count_1_warns_loudly_on_the_command_line(tmp_path: Path) -> None:
    # The warning comes before the data are read (so even this failing run shows it).
    result = CliRunner().invoke(
        app,
        ["export", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "x.csv"),
         "--min-count", "1"],
    )  # fmt: skip
    assert "WARNING: --min-count 1 turns disclosure control off" in result.output
    assert "Do not publish" in result.output
    quiet = CliRunner().invoke(
        app, ["export", "--data", str(tmp_path / "none"), "--out", str(tmp_path / "x.csv")]
    )
    assert "WARNING" not in quiet.output


@pytest.mark.parametrize("threshold", [1, 2, 5])
def test_the_pack_says_which_threshold_was_used(small_sample: Path, threshold: int) -> None:
    geography = load_geography()
    settings = Settings(data=small_sample, compute=ComputeSettings(min_count=threshold))
    _, results = load_results(settings, geography)
    pack = build_pack(
        results, geography, geography.key("klynge", "bornholm"),
        build_date=dt.date(2026, 1, 2), version="9.9.9", synthetic=True,
    )  # fmt: skip
    assert pack.methods is not None
    small = dict(pack.methods.rules)["Små tal"]  # the appendix says each rule once
    note = pack.front.data_note or ""
    assert note.startswith("Syntetiske data")
    if threshold == 1:
        assert "Uden beskyttelse af små tal" in note
        assert "Den må ikke offentliggøres." in note
        assert small.startswith("Datapakken er lavet uden diskretionering (--min-count 1)")
        assert "«<" not in small
        assert "alle antal vises" in small
    elif threshold == 2:
        assert "Svag beskyttelse af små tal: kun antal under 2 er skjult" in note
        assert "Antal på 1 vises som «<2»" in small
    else:
        assert "beskyttelse" not in note
        assert "Antal mellem 1 og 4 vises som «<5»" in small
