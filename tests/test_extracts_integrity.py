"""Damaged Parquet files are caught in a child process, even when the reader crashes: the
contract's tables, the registers as delivered, mapped tables and aggregate files."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from datapakke.inputs import integrity
from datapakke.inputs.integrity import undecodable_parquet
from datapakke.inputs.validate import validate_extract
from tests.extract_fixture import write_parquet
from tests.registers.delivery import write_delivery


def _parquet(path: Path) -> Path:
    pl.DataFrame({"a": list(range(1000)), "b": ["x"] * 1000}).write_parquet(path)
    return path


def _crashing_on(name: str) -> str:
    """A decode child that aborts (as Polars does on some damaged pages) on files ``name``."""
    return (
        "import os, sys\n"
        "for p in sys.stdin.read().splitlines():\n"
        f"    if os.path.basename(p) == {name!r}: os.abort()\n"
        "    print('ok', p, flush=True)\n"
    )


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
    monkeypatch.setattr(integrity, "_DECODE", _crashing_on("crash.parquet"))
    first, crash, last = (tmp_path / n for n in ("a.parquet", "crash.parquet", "z.parquet"))
    failures = undecodable_parquet([first, crash, last])
    assert failures == {crash: "the Parquet reader crashed on a damaged data page"}


def test_each_verdict_comes_while_the_child_goes_on_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The child reports on the second file only after the test has had the first verdict,
    # so the first verdict must come before the child has finished.
    flag = tmp_path / "first-verdict-received"
    monkeypatch.setattr(
        integrity,
        "_DECODE",
        "import os, sys, time\n"
        "first, second = sys.stdin.read().splitlines()\n"
        "print('ok', first, flush=True)\n"
        "deadline = time.monotonic() + 30\n"
        f"while not os.path.exists({str(flag)!r}) and time.monotonic() < deadline:\n"
        "    time.sleep(0.01)\n"
        f"ok = os.path.exists({str(flag)!r})\n"
        "print('ok' if ok else 'error', second + ('' if ok else '\\tnot pipelined'), flush=True)\n",
    )
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    with integrity.DecodeGuard([first, second]) as guard:
        assert guard.verdict(first) is None
        flag.touch()
        assert guard.verdict(second) is None


def test_a_guard_left_early_ends_its_child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(integrity, "_DECODE", "import time\ntime.sleep(60)\n")
    with integrity.DecodeGuard([tmp_path / "a.parquet"]) as guard:
        child = guard._child
        assert child is not None
    assert child.returncode is not None


def test_a_guard_takes_the_child_warmed_up_before_it(tmp_path: Path) -> None:
    integrity.warm_up()
    warmed = integrity._WARM[integrity._DECODE]
    good = _parquet(tmp_path / "good.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"PAR1 not a parquet file PAR1")
    with integrity.DecodeGuard([good, bad]) as guard:
        assert guard._child is warmed
        assert guard.verdict(good) is None
        assert guard.verdict(bad)
    assert warmed.returncode is not None
    assert integrity._DECODE not in integrity._WARM  # taken: the next guard starts its own


def test_a_child_warmed_up_for_another_script_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    integrity.warm_up()
    monkeypatch.setattr(integrity, "_DECODE", _crashing_on("crash.parquet"))
    crash = tmp_path / "crash.parquet"
    assert undecodable_parquet([crash]) == {crash: integrity.CRASHED}


def _aggregate(folder: Path) -> Path:
    write_parquet(folder)
    (folder / "aggregater").mkdir()
    pl.DataFrame({"indikator": ["x"]}).write_parquet(folder / "aggregater" / "crash.parquet")
    return folder / "aggregater" / "crash.parquet"


def _mapped(folder: Path) -> tuple[Path, Path]:
    write_parquet(folder)
    (folder / "egne").mkdir()
    (folder / "kontakter.parquet").rename(folder / "egne" / "crash.parquet")
    mapping = folder.parent / "mapping.toml"
    mapping.write_text('[tables.kontakter]\nfiles = ["egne/*.parquet"]\n', encoding="utf-8")
    return folder / "egne" / "crash.parquet", mapping


@pytest.mark.parametrize("kind", ["register delivery", "aggregate file", "mapped file"])
def test_a_crash_on_any_parquet_file_read_is_pinned_on_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    folder, mapping = tmp_path / "data", None
    if kind == "register delivery":
        crash = write_delivery(folder) / "bef202306.parquet"  # a BEF quarter: read for its period
    elif kind == "aggregate file":
        crash = _aggregate(folder)
    else:
        crash, mapping = _mapped(folder)
    monkeypatch.setattr(integrity, "_DECODE", _crashing_on(crash.name))
    report = validate_extract(folder, mapping=mapping).report
    assert not report.ok
    (error,) = [f for f in report.errors if f.file == crash]
    assert error.message == f"not a readable Parquet file ({integrity.CRASHED})"
    assert any(s.path == crash and s.rows is None for s in report.files)
