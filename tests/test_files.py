"""Atomic output files and the lock on an output folder."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from datapakke.errors import OutputError
from datapakke.files import TEMP_PREFIX, claimed_folder, write_text


def _hold(folder: Path, held: Any, done: Any) -> None:
    """Another build: claim ``folder``, say so, and keep it until told to stop."""
    with claimed_folder(folder):
        held.set()
        done.wait(30)


def test_a_second_build_into_a_claimed_folder_stops_with_a_clear_message(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    held, done = context.Event(), context.Event()
    other = context.Process(target=_hold, args=(tmp_path, held, done))
    other.start()
    try:
        assert held.wait(30)
        with (
            pytest.raises(OutputError, match="another datapakke build is writing") as caught,
            claimed_folder(tmp_path),
        ):
            pass
        assert caught.value.hint is not None and "--out" in caught.value.hint
    finally:
        done.set()
        other.join(30)
    # Once the other run has ended (however it ended), the folder can be claimed again.
    with claimed_folder(tmp_path):
        pass


def test_claiming_a_folder_removes_temporaries_of_killed_runs(tmp_path: Path) -> None:
    stale = tmp_path / f"{TEMP_PREFIX}4242-horsensklyngen.pdf"
    stale.write_bytes(b"%PDF-half")
    write_text(tmp_path / "kept.html", "<p>hel</p>")
    with claimed_folder(tmp_path):
        assert not stale.exists()
    assert (tmp_path / "kept.html").read_text(encoding="utf-8") == "<p>hel</p>"
    assert not list(tmp_path.glob(f"{TEMP_PREFIX}*"))


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("not a folder", encoding="utf-8")
    with (
        pytest.raises(OutputError, match="cannot create the output folder"),
        claimed_folder(blocker / "out"),
    ):
        pass
