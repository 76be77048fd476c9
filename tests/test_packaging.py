"""The wheel carries the templates and data, so an installed datapakke works outside the repo."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_templates_and_works_outside_the_repository(
    tmp_path: Path, small_sample: Path
) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("datapakke-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "datapakke/templates/pack.html.j2" in names
    assert "datapakke/templates/pack.css" in names
    assert "datapakke/data/inddelinger/klynger-2022/omraader.csv" in names
    assert "datapakke/data/catalogue.toml" in names

    installed = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(installed)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}
    result = subprocess.run(
        [sys.executable, "-m", "datapakke", "build", "-k", "bornholm", "--data",
         str(small_sample), "--out", "out", "--format", "html"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    probe = subprocess.run(
        [sys.executable, "-c", "import datapakke.paths as r; print(r.bundled_templates_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(probe.stdout.strip()).is_relative_to(installed)
    assert "Klynge Bornholm" in (elsewhere / "out" / "bornholm.html").read_text(encoding="utf-8")
