"""Reproducible builds: SOURCE_DATE_EPOCH pins the date, and the same inputs give the same bytes.

The session's pack (``built_pack`` in conftest.py) is built with SOURCE_DATE_EPOCH set;
another process, at another moment, after rendering another pack first, builds the same
bytes. (While there were two build paths, test_batch_cli.py compared a pack built alone
with the batch's; one path remains, and this is what that test still guarded.)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.dates import build_date, pinned_build_date
from tests.conftest import BUILD_DAY, BUILD_EPOCH, READS_BUILT_PACK, BuiltPack
from tests.helpers import run_cli


def test_source_date_epoch_pins_the_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
    assert pinned_build_date() == build_date() == dt.date(2025, 1, 2) == BUILD_DAY
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not a number")
    assert pinned_build_date() is None
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pinned_build_date() is None
    assert build_date() == dt.date.today()


@READS_BUILT_PACK
def test_source_date_epoch_dates_the_pack_and_its_metadata(built_pack: BuiltPack) -> None:
    assert built_pack.pack.front.build_date == BUILD_DAY
    reader = PdfReader(built_pack.pdf)
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"].startswith("D:20250102000000")
    assert reader.metadata["/ModDate"].startswith("D:20250102000000")
    assert "Udarbejdet 2. januar 2025" in built_pack.pages[0]


@READS_BUILT_PACK
@pytest.mark.slow
def test_another_process_builds_the_same_bytes_after_another_pack(
    built_pack: BuiltPack, small_sample: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "build", "-k", "bornholm", "-k", "horsensklyngen", "--jobs", "1", "--data", small_sample,
        "--out", tmp_path, "--format", "both", env={"SOURCE_DATE_EPOCH": BUILD_EPOCH},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for built in (built_pack.pdf, built_pack.html, built_pack.xlsx):
        assert (tmp_path / built.name).read_bytes() == built.read_bytes(), built.name
