"""SIGTERM to a batch stops its workers before the output folder is let go: after the
process has exited, no worker is left and no file changes any more."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datapakke.files import TEMP_PREFIX, claimed_folder

pytestmark = pytest.mark.slow


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (None if there is no such process)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _workers(pid: int) -> set[tuple[int, str]]:
    """The worker processes of ``pid`` (spawned by multiprocessing), each with its start time
    so that a process id the system hands out again is not taken for the same process.

    Other children (multiprocessing's resource tracker, which ends once its parent has)
    write no pack files and are left out.
    """
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if fields is not None and int(fields[1]) == pid and b"spawn_main" in command:
            found.add((int(entry.name), fields[19]))
    return found


def _running(worker: tuple[int, str]) -> bool:
    fields = _stat(worker[0])
    # The same process (same start time), not a zombie (stopped: only its exit status is left).
    return fields is not None and fields[19] == worker[1] and fields[0] not in ("Z", "X")


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_sigterm_stops_the_workers_before_the_lock_is_released(
    small_sample: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run = subprocess.Popen(
        [sys.executable, "-m", "datapakke", "build", "--all", "--jobs", "2",
         "--data", str(small_sample), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CI": "1"},
    )  # fmt: skip
    workers: set[tuple[int, str]] = set()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        workers |= _workers(run.pid)
        if out.is_dir() and any(out.glob("*.pdf")):
            break
        time.sleep(0.1)
    assert run.poll() is None, "the batch ended before it could be stopped"
    workers |= _workers(run.pid)
    assert len(workers) >= 2
    run.send_signal(signal.SIGTERM)
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 128 + signal.SIGTERM, stderr
    assert "Stopped (SIGTERM)." in stderr
    assert "Traceback" not in stderr

    # The process is gone, and so are its workers: nothing writes into the folder any more.
    assert not [worker for worker in workers if _running(worker)]
    before = _snapshot(out)
    time.sleep(5)
    assert _snapshot(out) == before
    assert not [name for name in before if name.startswith(TEMP_PREFIX)]
    assert any(name.endswith(".pdf") for name in before)
    with claimed_folder(out):  # and the lock is free
        pass
