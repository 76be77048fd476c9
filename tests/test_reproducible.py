"""Reproducible builds: SOURCE_DATE_EPOCH pins the date, and the same inputs give the same bytes.

Without SOURCE_DATE_EPOCH, identical bytes across processes and moments are checked
in test_batch_cli.py (a pack built alone, later, against the batch's).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.dates import pinned_build_date
from tests.helpers import run_cli

pytestmark = pytest.mark.slow


def _build_bornholm(data: Path, out: Path) -> bytes:
    result = run_cli("build", "--klynge", "bornholm", "--data", data, "--out", out)
    assert result.returncode == 0, result.stderr
    return (out / "bornholm.pdf").read_bytes()


def test_source_date_epoch_dates_the_pack_and_its_metadata(
    small_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735776000")  # 2 January 2025, 00:00 UTC
    assert pinned_build_date() == dt.date(2025, 1, 2)
    pdf = _build_bornholm(small_sample, tmp_path / "a")
    assert pdf == _build_bornholm(small_sample, tmp_path / "b")
    reader = PdfReader(tmp_path / "a" / "bornholm.pdf")
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"].startswith("D:20250102000000")
    assert reader.metadata["/ModDate"].startswith("D:20250102000000")
    assert "Udarbejdet 2. januar 2025" in (reader.pages[0].extract_text() or "")
