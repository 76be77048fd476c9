"""Reproducible builds: SOURCE_DATE_EPOCH pins the date, and the same inputs give the same bytes,
in another process, at another moment, and after other packs rendered in the same process.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.run.build import pinned_build_date
from tests.helpers import run_cli

pytestmark = pytest.mark.slow


def _build_bornholm(data: Path, out: Path, *, after: str | None = None) -> bytes:
    """Bornholm's PDF and workbook, built alone or ``after`` another pack in the same process."""
    first = ("-k", after) if after else ()
    result = run_cli("build", *first, "-k", "bornholm", "--jobs", "1", "--data", data,
                     "--out", out)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return (out / "bornholm.pdf").read_bytes() + (out / "bornholm.xlsx").read_bytes()


def test_source_date_epoch_dates_the_pack_and_its_metadata(
    small_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735776000")  # 2 January 2025, 00:00 UTC
    assert pinned_build_date() == dt.date(2025, 1, 2)
    pdf = _build_bornholm(small_sample, tmp_path / "a")
    # (This was "a pack built alone has the bytes of the batch one" while there were two
    # build paths; one path remains, and what a pack renders after must not matter.)
    assert pdf == _build_bornholm(small_sample, tmp_path / "b", after="horsensklyngen")
    reader = PdfReader(tmp_path / "a" / "bornholm.pdf")
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"].startswith("D:20250102000000")
    assert reader.metadata["/ModDate"].startswith("D:20250102000000")
    assert "Udarbejdet 2. januar 2025" in (reader.pages[0].extract_text() or "")
