"""A pack's files (PDF, HTML, workbook) are replaced together or not at all: a failure at the
PDF, or a full disk, leaves the earlier files as they were and no temporaries."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from datapakke.cli import app
from datapakke.errors import ExitCode, OutputError
from datapakke.files import TEMP_PREFIX, write_files
from tests.helpers import mounted_tmpfs

SUFFIXES = ("html", "pdf", "xlsx")


def _earlier_pack(out: Path) -> dict[Path, bytes]:
    """The files an earlier build left (made up, so any change shows)."""
    out.mkdir(parents=True, exist_ok=True)
    earlier = {out / f"bornholm.{suffix}": f"earlier {suffix}".encode() for suffix in SUFFIXES}
    for path, data in earlier.items():
        path.write_bytes(data)
    return earlier


def _assert_unchanged(out: Path, earlier: dict[Path, bytes]) -> None:
    for path, data in earlier.items():
        assert path.read_bytes() == data, f"{path.name} was replaced"
    assert not list(out.glob(f"{TEMP_PREFIX}*"))


def _build(data: Path, out: Path) -> object:
    return CliRunner().invoke(
        app,
        ["build", "--klynge", "Bornholm", "--data", str(data), "--out", str(out),
         "--format", "both"],
    )  # fmt: skip


def test_write_files_replaces_all_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    earlier = _earlier_pack(tmp_path)
    new = {path: b"new " + path.suffix.encode() for path in earlier}
    written: list[str] = []
    real = Path.write_bytes

    def full_at_the_pdf(path: Path, data: bytes) -> int:
        if path.name.endswith(".pdf"):
            raise OSError(errno.ENOSPC, "No space left on device")
        written.append(path.name)
        return real(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_at_the_pdf)
    with pytest.raises(OutputError, match=r"bornholm\.pdf: cannot write the file .*: none\."):
        write_files(new)
    monkeypatch.undo()
    assert written  # the HTML was written first, under a temporary name ...
    _assert_unchanged(tmp_path, earlier)  # ... and removed, never renamed into place
    write_files(new)
    assert {path: path.read_bytes() for path in earlier} == new


@pytest.mark.slow
def test_a_failure_at_the_pdf_leaves_the_earlier_pack(
    small_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    earlier = _earlier_pack(out)

    def broken(*_args: object, **_kwargs: object) -> tuple[bytes, int]:
        raise OutputError("the PDF could not be made (injected)")

    monkeypatch.setattr("datapakke.render.pdf.render_pdf", broken)
    result = _build(small_sample, out)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output  # type: ignore[attr-defined]
    _assert_unchanged(out, earlier)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs (where this test may mount one)."""
    with mounted_tmpfs(tmp_path / "small", "4m") as mount:
        yield mount


@pytest.mark.slow
def test_a_full_disk_leaves_the_earlier_pack(small_sample: Path, small_disk: Path) -> None:
    out = small_disk / "out"
    earlier = _earlier_pack(out)
    # Leave room for some of the new files, not for all of them.
    (small_disk / "filler").write_bytes(b"\0" * (3 << 20))
    result = _build(small_sample, out)
    assert result.exit_code == ExitCode.OUTPUT_ERROR, result.output  # type: ignore[attr-defined]
    assert "No space left on device" in result.output  # type: ignore[attr-defined]
    _assert_unchanged(out, earlier)
