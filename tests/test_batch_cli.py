"""``datapakke build --all`` end to end: real processes, real PDFs, a real SIGKILL.

The option checks at the end run in-process: they stop before anything is built."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.errors import ExitCode
from datapakke.files import TEMP_PREFIX
from datapakke.geography import load_geography
from datapakke.run.manifest import MANIFEST_NAME, file_digest
from tests.helpers import invoke, run_cli
from tests.test_batch_library import FAIL_FOR_BORNHOLM

ALL_IDS = sorted(load_geography().areas)
CI = {"CI": "true"}


@pytest.fixture(scope="module")
def clean_build(
    small_sample: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    out = tmp_path_factory.mktemp("all")
    result = run_cli("build", "--all", "--data", small_sample, "--out", out, "--jobs", "2", env=CI)
    return result, out


def _pdfs(out: Path) -> list[Path]:
    """The finished PDFs in ``out`` (pathlib's glob would also match hidden temporaries)."""
    return sorted(p for p in out.glob("*.pdf") if not p.name.startswith(TEMP_PREFIX))


def _pdf_ids(out: Path) -> list[str]:
    return [p.stem for p in _pdfs(out)]


# The tests that read the batch of 22 run on one xdist worker: it is built once.
READS_CLEAN_BUILD = pytest.mark.xdist_group("batch_of_22")


@READS_CLEAN_BUILD
@pytest.mark.slow
def test_build_all_builds_every_pack_and_the_manifest(
    clean_build: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, out = clean_build
    assert result.returncode == 0, result.stdout + result.stderr
    assert _pdf_ids(out) == ALL_IDS
    assert not list(out.glob(f"{TEMP_PREFIX}*"))
    # One plain line per pack when CI is set, then the summary.
    # Progress on stderr; the results (summary table and line) on stdout.
    assert "[ 1/22] " in result.stderr
    assert "[22/22] " in result.stderr
    assert "22 packs: 22 built in" in result.stdout
    for header in ("area", "pages", "size", "seconds", "status", "error"):
        assert header in result.stdout

    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["run"]["complete"] is True
    assert manifest["run"]["jobs"] == 2
    assert manifest["run"]["counts"] == {"built": 22}
    assert manifest["inputs"]["files"]
    assert manifest["templates"]["sha256"]
    assert manifest["catalogue"]["sha256"]
    assert sorted(manifest["packs"]) == ALL_IDS
    for area_id, pack in manifest["packs"].items():
        names = [f"{area_id}.pdf", f"{area_id}.xlsx"]
        assert pack["outputs"] == [file_digest(out / name, out).__dict__ for name in names]
        assert pack["pages"] == len(PdfReader(out / f"{area_id}.pdf").pages)
        assert set(pack["stages"]) == {"model", "charts", "html", "workbook", "pdf"}


@READS_CLEAN_BUILD
@pytest.mark.slow
def test_second_run_skips_every_pack_without_computing(
    clean_build: tuple[subprocess.CompletedProcess[str], Path], small_sample: Path
) -> None:
    _, out = clean_build
    before = {p.name: p.stat().st_mtime_ns for p in _pdfs(out)}
    result = run_cli("build", "--all", "--data", small_sample, "--out", out, env=CI)
    assert result.returncode == 0, result.stderr
    assert "22 packs: 0 built, 22 skipped" in result.stdout
    assert "skipped (unchanged since the last build)" in result.stderr
    assert "Computing the indicators" not in result.stderr
    assert {p.name: p.stat().st_mtime_ns for p in _pdfs(out)} == before


@pytest.mark.slow
def test_a_failing_pack_leaves_the_others_built_and_exits_partial(
    small_sample: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pack.html.j2").write_text(FAIL_FOR_BORNHOLM, encoding="utf-8")
    out = tmp_path / "out"
    # Three packs, HTML only: the failure happens in the template, whatever the number of
    # packs (that --all enumerates all 22 is the batch-of-22 test's).
    result = invoke(
        "build", "--klynge", "Horsensklyngen", "--klynge", "Bornholm", "--klynge", "Holbæk",
        "--data", small_sample, "--out", out, "--templates", templates, "--format", "html",
        env=CI, width=250,
    )  # fmt: skip
    assert result.exit_code == ExitCode.PARTIAL_FAILURE, result.stdout + result.stderr
    packs = sorted(p.stem for p in out.glob("[!.]*.html") if p.name != "index.html")
    assert packs == ["holbaek", "horsensklyngen"]
    assert "3 packs: 2 built, 1 failed" in result.stdout
    failure_line = next(line for line in result.stderr.splitlines() if "] bornholm: " in line)
    assert "failed" in failure_line
    assert "pack.html.j2:1" in failure_line
    assert "no_such_field" in failure_line
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["packs"]["bornholm"]["status"] == "failed"
    assert manifest["packs"]["bornholm"]["outputs"] == []


@pytest.mark.slow
def test_a_killed_run_leaves_only_complete_pdfs(small_sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "datapakke", "build", "--all", "--data", str(small_sample),
               "--out", str(out), "--jobs", "2"]  # fmt: skip
    run = subprocess.Popen(  # its own process group: the CLI and its workers
        command, start_new_session=True, env={**os.environ, **CI},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while len(_pdfs(out)) < 2:  # mid-way: the other worker is busy with its next pack
            assert run.poll() is None, "the build ended before it could be killed"
            assert time.monotonic() < deadline, "no pack was built in time"
            time.sleep(0.02)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()

    pdfs = _pdfs(out)
    assert 2 <= len(pdfs) < len(ALL_IDS)
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), pdf.name
        assert len(PdfReader(pdf).pages) >= 2
    if (out / MANIFEST_NAME).exists():  # complete, if not up to date
        json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))

    # The next run into the folder clears what the killed run left half-written.
    result = run_cli("build", "--klynge", "bornholm", "--data", small_sample, "--out", out)
    assert result.returncode == 0, result.stderr
    assert not list(out.glob(f"{TEMP_PREFIX}*"))


def test_one_unknown_name_among_several_stops_before_anything_is_built(
    small_sample: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = invoke("build", "-k", "horsens", "-k", "xyzzy", "--data", small_sample, "--out", out)
    assert result.exit_code == ExitCode.UNKNOWN_AREA
    assert "xyzzy" in result.stderr
    assert not out.exists()


def test_build_all_without_the_data_folder_fails_once_and_clearly(tmp_path: Path) -> None:
    result = invoke("build", "--all", "--data", tmp_path / "nope", "--out", tmp_path / "out")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.count("no such data folder") == 1
    assert not (tmp_path / "out").exists()


def test_build_all_with_a_missing_template_folder_fails_before_building(
    small_sample: Path, tmp_path: Path
) -> None:
    result = invoke("build", "--all", "--data", small_sample, "--out", tmp_path / "out",
                    "--templates", tmp_path / "nope")  # fmt: skip
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "no such template folder" in result.stderr
    assert not (tmp_path / "out").exists()
