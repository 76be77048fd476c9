"""The manifest is memory, not authority: what it says is checked against the disk, and a
manifest that cannot be used is said so (and rebuilt), never ignored in silence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from datapakke.geography import load_geography
from datapakke.run.batch import PackOutcome, build_packs
from datapakke.run.build import pack_files
from datapakke.run.manifest import (
    MANIFEST_NAME,
    FileDigest,
    PackEntry,
    file_digest,
    is_current,
    read_manifest,
)
from datapakke.run.settings import Settings


def _entry(out: Path, names: list[str], fingerprint: str = "f") -> PackEntry:
    outputs = tuple(file_digest(out / name, out) for name in names)
    return PackEntry("bornholm", "built", fingerprint, 10, 1.0, {}, outputs)


@pytest.fixture
def pack_folder(tmp_path: Path) -> Path:
    for name in pack_files("bornholm", {"pdf", "html"}):
        (tmp_path / name).write_bytes(f"contents of {name}".encode())
    return tmp_path


def test_an_entry_is_current_only_for_the_files_on_disk(pack_folder: Path) -> None:
    files = pack_files("bornholm", {"pdf", "html"})
    assert files == ("bornholm.html", "bornholm.pdf", "bornholm.xlsx")
    assert is_current(_entry(pack_folder, list(files)), "f", pack_folder, files)
    assert not is_current(_entry(pack_folder, list(files)), "other", pack_folder, files)
    # Edited by hand to leave the PDF out: the PDF this build needs is not vouched for.
    without_pdf = _entry(pack_folder, ["bornholm.html", "bornholm.xlsx"])
    assert not is_current(without_pdf, "f", pack_folder, files)
    (pack_folder / "bornholm.pdf").unlink()
    assert not is_current(without_pdf, "f", pack_folder, files)


def test_an_entry_naming_other_files_is_not_current(pack_folder: Path) -> None:
    files = pack_files("bornholm", {"pdf"})
    forged = PackEntry(
        "bornholm", "built", "f", 1, 1.0, {},
        (FileDigest("/dev/zero", 0, ""), FileDigest("../../etc/passwd", 0, "")),
    )  # fmt: skip
    assert not is_current(forged, "f", pack_folder, files)  # and nothing was read


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "cannot be read"),
        (b"[" * 100_000 + b"]" * 100_000, "cannot be read"),  # deeper than Python recurses
        (b"\xff\xfe garbage", "cannot be read"),
        (b'{"manifest_format": 99, "packs": {}}', "of another manifest format"),
        (b'{"manifest_format": 1, "packs": {}}', "of another manifest format"),
        (b'{"manifest_format": 2, "packs": []}', "is not a manifest datapakke wrote"),
        (b'{"manifest_format": 2, "packs": {"x": {"area_id": 1}}}', "is not a manifest"),
        (b"[1, 2, 3]", "is not a manifest datapakke wrote"),
    ],
)
def test_an_unusable_manifest_is_said_so(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / MANIFEST_NAME).write_bytes(content)
    memory = read_manifest(tmp_path)
    assert memory.packs == {}
    assert memory.problem is not None
    assert reason in memory.problem
    assert "every pack is built again" in memory.problem
    assert len(memory.problem) < 400


def test_no_manifest_is_no_problem(tmp_path: Path) -> None:
    assert read_manifest(tmp_path).problem is None


class _Heard:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def begin(self, total: int) -> None:
        pass

    def phase(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        self.warnings.append(message)

    def pack_started(self, area_id: str) -> None:
        pass

    def pack_done(self, outcome: PackOutcome) -> None:
        pass

    def end(self) -> None:
        pass


@pytest.mark.slow
def test_a_batch_checks_the_manifest_against_the_disk(small_sample: Path, tmp_path: Path) -> None:
    geography = load_geography()
    bornholm = [geography.key("klynge", "bornholm")]
    out = tmp_path / "out"
    settings = Settings(data=small_sample, out=out, formats=frozenset({"html"}), jobs=1)
    assert build_packs(bornholm, settings, geography).count("built") == 1

    # Hand-edited: the HTML is deleted and dropped from the entry's outputs.
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    outputs = manifest["packs"]["bornholm"]["outputs"]
    manifest["packs"]["bornholm"]["outputs"] = [o for o in outputs if o["path"].endswith(".xlsx")]
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    (out / "bornholm.html").unlink()
    again = build_packs(bornholm, settings, geography)
    assert again.count("built") == 1  # not "skipped (unchanged)"
    assert (out / "bornholm.html").is_file()

    # A manifest nested too deep to read: said so, rebuilt, and written anew.
    (out / MANIFEST_NAME).write_text("[" * 100_000, encoding="utf-8")
    heard = _Heard()
    rebuilt = build_packs(bornholm, settings, geography, heard)
    assert rebuilt.count("built") == 1
    assert [w for w in heard.warnings if "manifest.json cannot be read" in w]
    assert read_manifest(out).problem is None
