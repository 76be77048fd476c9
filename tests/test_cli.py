"""The command line: commands run in-process (Typer's runner); a real process where the
process itself is the subject (the entry point, its exit codes and imports)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from datapakke.errors import ExitCode
from datapakke.files import TEMP_PREFIX
from tests.conftest import READS_BUILT_PACK, BuiltPack
from tests.extract_fixture import write_parquet
from tests.helpers import invoke, run_cli


@READS_BUILT_PACK
def test_build_writes_a_pdf_with_the_cluster_and_its_municipalities(
    built_pack: BuiltPack,
) -> None:
    assert "1 pack: 1 built in" in built_pack.stdout
    assert "[1/1] horsensklyngen: built" in built_pack.stderr
    text = "\n".join(built_pack.pages)
    for expected in ("Horsensklyngen", "Hedensted", "Horsens", "Odder", "Skanderborg",
                     "Folketal", "Populationsoverblik", "Regionshospitalet Horsens",
                     "Region Midtjylland", "2021–2023", "Syntetiske data"):  # fmt: skip
        assert expected in text, expected
    assert re.search(r"Side 2 af \d+", text)
    # Danish number format: thousands with a dot, decimals with a comma.
    assert re.search(r"\b\d{1,3}\.\d{3}\b", text)
    assert re.search(r"\b\d+,\d\b", text)
    html = built_pack.html.read_text(encoding="utf-8")
    assert '<html lang="da">' in html
    assert html.count("<img ") >= 5  # every chart of the pack; each is checked in test_pack*
    assert not list(built_pack.folder.glob(f"{TEMP_PREFIX}*"))


def test_unknown_cluster_exits_with_suggestions(tmp_path: Path) -> None:
    data = write_parquet(tmp_path / "data")
    out = tmp_path / "out"
    result = invoke("build", "--klynge", "Horsenklyngen", "--data", data, "--out", out)
    assert result.exit_code == ExitCode.UNKNOWN_AREA
    assert "Did you mean: Horsensklyngen?" in result.stderr
    assert "datapakke omraader --inddeling klynger-2022" in result.stderr
    assert not out.exists()


def test_without_data_the_error_says_how_to_get_some(tmp_path: Path) -> None:
    result = invoke("build", "--klynge", "byen", cwd=tmp_path)
    assert result.exit_code == ExitCode.USAGE
    assert "datapakke sample --out sample_data" in result.stderr


def test_missing_required_table_names_the_folder_and_table(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    result = invoke("build", "-k", "byen", "--data", tmp_path / "data", "--out", tmp_path / "o")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "the required table 'befolkning' is missing" in result.stderr
    assert not (tmp_path / "o").exists()


def test_build_needs_an_area_or_all(tmp_path: Path) -> None:
    result = invoke("build", "--data", tmp_path)
    assert result.exit_code == ExitCode.USAGE
    assert "Give an area to build: --raad NAME, --klynge NAME" in result.stderr
    both = invoke("build", "--klynge", "byen", "--all", "--data", tmp_path)
    assert both.exit_code == ExitCode.USAGE
    assert "Give areas to build, or --all, not both." in both.stderr


def test_klynger_lists_every_cluster() -> None:
    result = invoke("klynger", width=400)
    assert result.exit_code == 0
    for expected in ("horsensklyngen", "Regionshospitalet Horsens", "bornholm", "ubekræftet"):
        assert expected in result.stdout
    assert result.stdout.count("Midtjylland") >= 5


def test_sample_rejects_a_backwards_year_span(tmp_path: Path) -> None:
    result = invoke("sample", "--out", tmp_path, "--years", "2024-2020")
    assert result.exit_code == ExitCode.USAGE
    assert "--years '2024-2020'" in result.stderr
    assert not list(tmp_path.iterdir())


def test_version_and_module_entry_point() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"datapakke \S+\n", result.stdout)


# The console script's own function in a real process: the exit code and message of wrong
# usage, and which libraries it imported before it stopped (none of the build stack).
ENTRY_POINT = """
import sys
from datapakke.cli import main
sys.argv = ["datapakke", *sys.argv[1:]]
try:
    main()
finally:
    heavy = {"polars", "numpy", "scipy", "matplotlib", "jinja2", "weasyprint"}
    print("imported:", ",".join(sorted(heavy & set(sys.modules))), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--version"], 0, ""),
        (["build", "--data", "."], ExitCode.USAGE, "Give an area to build: --raad NAME"),
        (["build", "-k", "byen", "-r", "horsens", "--data", "."], ExitCode.USAGE,
         "--klynge names a 2022 cluster and --raad a 2027 council"),
        (["build", "-r", "horsens", "--inddeling", "klynger-2022", "--data", "."],
         ExitCode.USAGE, "--raad names an area of sundhedsraad-2027"),
        (["build", "-k", "byen", "--config", "nope.toml"], ExitCode.USAGE,
         "no such configuration file"),
        (["build", "-k", "byen", "--min-count", "0"], ExitCode.USAGE, "--min-count"),
        (["sample", "--out", "x", "--years", "2024-2020"], ExitCode.USAGE,
         "--years '2024-2020'"),
    ],
)  # fmt: skip
def test_wrong_usage_fails_at_once_without_the_build_stack(
    args: list[str], code: int, message: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT, *args],
        capture_output=True, text=True, cwd=tmp_path, check=False,
        env={**os.environ, "COLUMNS": "120"},
    )  # fmt: skip
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.rstrip().endswith("imported:"), result.stderr
    assert not list(tmp_path.iterdir())
