"""Nothing person-level is left behind: converted copies of the extract live in a private
folder that goes on every exit path (SIGTERM and Ctrl+C too), and a folder a kill -9 left
is swept by the next run; gzip input expands only so far; a full disk and a refused
permission are said as such."""

from __future__ import annotations

import errno
import gzip
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.errors import ExitCode
from datapakke.inputs import dialect
from datapakke.inputs.validate import validate_extract
from datapakke.inputs.workdir import PREFIX, Workdir, sweep_stale_workdirs
from tests.extract_fixture import danish_csv
from tests.helpers import mounted_tmpfs

CPR_LIKE = "0101011234"


@pytest.fixture
def tmpdir_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh system temporary folder for this test (as TMPDIR would set it)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _work_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{PREFIX}*"))


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_the_work_folder_is_private_and_removed(tmpdir_here: Path) -> None:
    workdir = Workdir()
    folder = workdir.path()
    assert folder.parent == tmpdir_here
    assert folder.name.startswith(f"{PREFIX}{os.getpid()}-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (folder / "0-befolkning.csv").write_text(f"pnr\n{CPR_LIKE}\n", encoding="utf-8")
    workdir.cleanup()
    assert not folder.exists()
    workdir.cleanup()  # twice is harmless


def test_a_converted_extract_leaves_nothing_once_checked(tmpdir_here: Path, tmp_path: Path) -> None:
    validation = validate_extract(danish_csv(tmp_path / "data"))
    assert validation.report.ok
    assert len(_work_folders(tmpdir_here)) == 1  # the frames read the converted copies
    validation.workdir.cleanup()
    assert _work_folders(tmpdir_here) == []


def test_an_invalid_extract_leaves_no_converted_copy(tmpdir_here: Path, tmp_path: Path) -> None:
    data = danish_csv(tmp_path / "data")
    befolkning = data / "befolkning.csv"
    befolkning.write_bytes(befolkning.read_bytes().replace(b"2023", b"20x3", 1))
    assert not validate_extract(data).report.ok
    assert _work_folders(tmpdir_here) == []


def test_the_sweep_removes_only_folders_of_runs_that_are_gone(tmpdir_here: Path) -> None:
    dead = tmpdir_here / f"{PREFIX}{_dead_pid()}-abc"
    dead.mkdir()
    (dead / "0-befolkning.csv").write_text(CPR_LIKE, encoding="utf-8")
    mine = tmpdir_here / f"{PREFIX}{os.getpid()}-abc"
    mine.mkdir()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as running:
        try:
            alive = tmpdir_here / f"{PREFIX}{running.pid}-abc"
            alive.mkdir()
            unrelated = tmpdir_here / "datapakke-read-notapid"
            unrelated.mkdir()
            # A link named like a dead run's folder is not followed (nor removed).
            outside = tmpdir_here.parent / "keep"
            outside.mkdir()
            (outside / "file").write_text("x", encoding="utf-8")
            link = tmpdir_here / f"{PREFIX}{_dead_pid()}-link"
            link.symlink_to(outside, target_is_directory=True)
            plain_file = tmpdir_here / f"{PREFIX}{_dead_pid()}-file"
            plain_file.write_text("x", encoding="utf-8")
            assert sweep_stale_workdirs() == [dead]
        finally:
            running.kill()
    assert not dead.exists()
    for kept in (mine, alive, unrelated, link, plain_file, outside / "file"):
        assert kept.exists() or kept.is_symlink(), kept


@pytest.mark.skipif(os.getuid() != 0, reason="needs root to make a folder of another user")
def test_the_sweep_leaves_other_users_folders_alone(tmpdir_here: Path) -> None:
    theirs = tmpdir_here / f"{PREFIX}{_dead_pid()}-abc"
    theirs.mkdir()
    os.chown(theirs, 65534, 65534)
    assert sweep_stale_workdirs() == []
    assert theirs.exists()


def test_validate_sweeps_what_a_killed_run_left(tmpdir_here: Path, tmp_path: Path) -> None:
    left = tmpdir_here / f"{PREFIX}{_dead_pid()}-xyz"
    left.mkdir()
    (left / "0-befolkning.csv").write_text(CPR_LIKE, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--data", str(danish_csv(tmp_path / "d"))])
    assert result.exit_code == 0, result.output
    assert _work_folders(tmpdir_here) == []


# --- gzip expansion, full disks, permissions -------------------------------------------------


def _bomb(path: Path, expanded: int) -> Path:
    """A gzip file of a valid header and ``expanded`` bytes of one repeated row."""
    row = b"P0001,2023,K,1950-01-01,101\n"
    with gzip.open(path, "wb", compresslevel=9) as handle:
        handle.write(b"pnr,aar,koen,foed_dato,kommunekode\n")
        block = row * (1 << 15)
        for _ in range(expanded // len(block) + 1):
            handle.write(block)
    return path


def _only_befolkning(tmp_path: Path) -> Path:
    data = danish_csv(tmp_path / "data")
    (data / "befolkning.csv").unlink()
    return data


@pytest.fixture
def small_floor(monkeypatch: pytest.MonkeyPatch) -> int:
    """Any gzip file may expand to 2 MB here (64 MB in use), so that a test bomb is small."""
    monkeypatch.setattr(dialect, "GZIP_FREE_BYTES", 2 << 20)
    return 2 << 20


def test_a_gzip_bomb_is_refused_before_it_fills_the_disk(
    tmpdir_here: Path, tmp_path: Path, small_floor: int
) -> None:
    data = _only_befolkning(tmp_path)
    bomb = _bomb(data / "befolkning.csv.gz", small_floor * 4)
    validation = validate_extract(data)
    [error] = [f for f in validation.report.errors if f.table == "befolkning"]
    ratio = small_floor * 4 / bomb.stat().st_size
    assert ratio > dialect.GZIP_DEFAULT_RATIO
    assert "the gzip file expands more than 100 times" in error.message
    assert error.hint is not None
    assert dialect.GZIP_RATIO_VARIABLE in error.hint
    assert "truncated" not in error.hint
    assert _work_folders(tmpdir_here) == []


def test_the_gzip_limit_is_configurable(
    tmpdir_here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_floor: int
) -> None:
    data = _only_befolkning(tmp_path)
    _bomb(data / "befolkning.csv.gz", small_floor * 4)
    monkeypatch.setenv(dialect.GZIP_RATIO_VARIABLE, "1000000")
    validation = validate_extract(data)
    assert not [f for f in validation.report.errors if "expands" in f.message]
    validation.workdir.cleanup()
    for wrong in ("abc", "0", "-5", "nan", "inf"):
        monkeypatch.setenv(dialect.GZIP_RATIO_VARIABLE, wrong)
        [error] = [f for f in validate_extract(data).report.errors if f.table == "befolkning"]
        assert f"{dialect.GZIP_RATIO_VARIABLE}={wrong} is not a number of at least 1" in (
            error.message
        )


def test_a_full_disk_is_said_as_such(
    tmpdir_here: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("datapakke.inputs.readers.transcode_to_utf8", full)
    [error] = validate_extract(danish_csv(tmp_path / "data")).report.errors[:1]
    assert "no space left on the disk" in error.message
    assert str(tmpdir_here) in error.message
    assert error.hint is not None
    assert "TMPDIR" in error.hint
    assert "truncated" not in error.hint


def test_a_refused_permission_is_said_as_such(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = danish_csv(tmp_path / "data")

    def refused(path: Path) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr("datapakke.inputs.readers.sniff", refused)
    errors = validate_extract(data).report.errors
    assert errors
    for error in errors:
        assert "permission denied" in error.message
        assert error.hint is not None
        assert "readable for your user" in error.hint


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs (where this test may mount one)."""
    with mounted_tmpfs(tmp_path / "small", "1m") as mount:
        yield mount


def test_a_full_temporary_disk_on_a_real_tmpfs(
    small_tmpfs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(small_tmpfs))
    data = _only_befolkning(tmp_path)
    rows = "".join(f"Æ{i:07d};2023;1;01-01-1950;0101\n" for i in range(80_000))
    (data / "befolkning.csv").write_bytes(
        ("pnr;aar;koen;foed_dato;kommunekode\n" + rows).encode("cp1252")
    )
    validation = validate_extract(data)
    [error] = [f for f in validation.report.errors if f.table == "befolkning"]
    assert "no space left on the disk" in error.message
    assert list(small_tmpfs.iterdir()) == []  # the partial copy is gone too


# --- the process is stopped: SIGTERM, Ctrl+C, kill -9 ----------------------------------------


def _slow_extract(folder: Path) -> Path:
    """An extract whose conversion and checks take a few seconds: cp1252 and gzip CSV."""
    data = danish_csv(folder)
    rows = [f"Æ{i:07d};2023;{1 + i % 2};17-04-1951;0615;{CPR_LIKE}" for i in range(600_000)]
    text = "pnr;aar;koen;foed_dato;kommunekode;cpr\n" + "\n".join(rows) + "\n"
    (data / "befolkning.csv").write_bytes(text.encode("cp1252"))
    (data / "hjemmepleje.csv").unlink()
    hjemmepleje = "pnr;aar;ydelse;timer_pr_uge\n" + "".join(
        f"Æ{i:07d};2024;personlig_pleje;2,5\n" for i in range(300_000)
    )
    (data / "hjemmepleje.csv.gz").write_bytes(gzip.compress(hjemmepleje.encode("cp1252"), 1))
    return data


def _start_validate(data: Path, temporary: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "datapakke", "validate", "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
    )


def _wait_for_work_folder(temporary: Path, run: subprocess.Popen[str]) -> Path:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        folders = _work_folders(temporary)
        if folders and any(p.stat().st_size > 1 << 16 for p in folders[0].glob("*.csv")):
            return folders[0]
        time.sleep(0.05)
    pytest.fail("the run never made its work folder")


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_stopped_run_removes_its_converted_copies(tmp_path: Path, signum: int) -> None:
    data = _slow_extract(tmp_path / "data")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    run = _start_validate(data, temporary)
    folder = _wait_for_work_folder(temporary, run)
    assert CPR_LIKE.encode() in b"".join(p.read_bytes()[:4096] for p in folder.iterdir())
    run.send_signal(signum)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode != 0
    if signum != signal.SIGINT:
        assert run.returncode == 128 + signum
        assert f"Stopped ({signal.Signals(signum).name})." in stderr
    assert "Traceback" not in stderr
    assert _work_folders(temporary) == []


@pytest.mark.slow
def test_what_kill_9_leaves_is_swept_by_the_next_run(tmp_path: Path) -> None:
    data = _slow_extract(tmp_path / "data")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    run = _start_validate(data, temporary)
    folder = _wait_for_work_folder(temporary, run)
    run.kill()
    run.communicate(timeout=60)
    assert folder.exists()  # nothing can clean up after SIGKILL ...
    again = _start_validate(data, temporary)
    again.communicate(timeout=300)
    assert again.returncode == ExitCode.OK
    assert _work_folders(temporary) == []  # ... but the next run does
