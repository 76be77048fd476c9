"""Damaged Parquet files are caught in a child process, even when the reader crashes."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from datapakke.inputs import integrity
from datapakke.inputs.integrity import undecodable_parquet


def _parquet(path: Path) -> Path:
    pl.DataFrame({"a": list(range(1000)), "b": ["x"] * 1000}).write_parquet(path)
    return path


def test_sound_files_pass(tmp_path: Path) -> None:
    assert undecodable_parquet([_parquet(tmp_path / "a.parquet")]) == {}


def test_a_damaged_data_page_is_reported(tmp_path: Path) -> None:
    good = _parquet(tmp_path / "good.parquet")
    buffer = io.BytesIO()
    pl.DataFrame({"a": list(range(1000))}).write_parquet(buffer, compression="uncompressed")
    data = bytearray(buffer.getvalue())
    data[4:40] = b"\xff" * 36  # overwrite the first page header
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(bytes(data))
    failures = undecodable_parquet([bad, good])
    assert list(failures) == [bad]
    assert failures[bad]


def test_a_reader_crash_is_pinned_on_its_file_and_the_rest_still_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A child that aborts (as Polars does on some damaged pages) on files named "crash".
    monkeypatch.setattr(
        integrity,
        "_DECODE",
        "import os, sys\n"
        "for p in sys.argv[1:]:\n"
        "    if os.path.basename(p) == 'crash.parquet': os.abort()\n"
        "    print('ok', p, flush=True)\n",
    )
    first, crash, last = (tmp_path / n for n in ("a.parquet", "crash.parquet", "z.parquet"))
    failures = undecodable_parquet([first, crash, last])
    assert failures == {crash: "the Parquet reader crashed on a damaged data page"}
