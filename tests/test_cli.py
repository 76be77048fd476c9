"""The command line end to end: real processes, real PDFs read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from datapakke.errors import ExitCode
from tests.helpers import run_cli, structure_elements


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


@pytest.mark.slow
def test_build_writes_a_pdf_with_the_cluster_and_its_municipalities(
    small_sample: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "build", "--klynge", "Horsensklyngen", "--data", small_sample, "--out", tmp_path,
        "--format", "both",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "horsensklyngen.pdf"
    assert f"Wrote {tmp_path / 'horsensklyngen.html'}, {pdf}" in result.stdout
    text = _pdf_text(pdf)
    for expected in ("Horsensklyngen", "Hedensted", "Horsens", "Odder", "Skanderborg",
                     "Folketal", "Populationsoverblik", "Regionshospitalet Horsens",
                     "Region Midtjylland", "2021–2023", "Syntetiske data"):  # fmt: skip
        assert expected in text, expected
    assert re.search(r"Side 2 af \d+", text)
    # Danish number format: thousands with a dot, decimals with a comma.
    assert re.search(r"\b\d{1,3}\.\d{3}\b", text)
    assert re.search(r"\b\d+,\d\b", text)
    # Tagged for screen readers: language, title, alt text on every figure.
    reader = PdfReader(pdf)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da"
    assert reader.metadata is not None
    assert reader.metadata.title == "Datapakke: Horsensklyngen"
    figures = structure_elements(root["/StructTreeRoot"], "/Figure")
    assert len(figures) >= 5
    assert all(str(f.get("/Alt", "")).strip() for f in figures)
    html = (tmp_path / "horsensklyngen.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in html
    assert html.count("<img ") >= 5  # every chart of the pack; each is checked in test_pack*
    assert not list(tmp_path.glob(".datapakke-tmp-*"))


def test_unknown_cluster_exits_with_suggestions(small_sample: Path, tmp_path: Path) -> None:
    result = run_cli(
        "build", "--klynge", "Horsenklyngen", "--data", small_sample, "--out", tmp_path
    )
    assert result.returncode == ExitCode.UNKNOWN_AREA
    assert "Did you mean: Horsensklyngen?" in result.stderr
    assert "datapakke omraader --inddeling klynger-2022" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_without_data_the_error_says_how_to_get_some(tmp_path: Path) -> None:
    result = run_cli("build", "--klynge", "byen", cwd=tmp_path)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "datapakke sample --out sample_data" in result.stderr


def test_missing_required_table_names_the_folder_and_table(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = run_cli("build", "-k", "byen", "--data", tmp_path / "data", "--out", tmp_path / "o")
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "the required table 'befolkning' is missing" in result.stderr
    assert not (tmp_path / "o").exists()


def test_build_needs_an_area_or_all(small_sample: Path) -> None:
    result = run_cli("build", "--data", small_sample)
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "Give an area to build: --raad NAME, --klynge NAME" in result.stderr


def test_klynger_lists_every_cluster() -> None:
    result = run_cli("klynger", env={"COLUMNS": "400"})
    assert result.returncode == 0
    for expected in ("horsensklyngen", "Regionshospitalet Horsens", "bornholm", "ubekræftet"):
        assert expected in result.stdout
    assert result.stdout.count("Midtjylland") >= 5


def test_version_and_module_entry_point() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"datapakke \S+\n", result.stdout)


def test_sample_rejects_a_backwards_year_span(tmp_path: Path) -> None:
    result = run_cli("sample", "--out", tmp_path, "--years", "2024-2020")
    assert result.returncode == ExitCode.INVALID_INPUT
    assert "--years '2024-2020'" in result.stderr
