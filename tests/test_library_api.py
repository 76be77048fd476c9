"""The small public API in ``datapakke/__init__.py``: light to import, each name the real one,
and ``build`` makes packs from names as the command line does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import datapakke
from datapakke.errors import UnknownAreaError
from datapakke.geography import Geography, load_geography
from datapakke.inputs.read import read_extract
from datapakke.run.load import load_results
from datapakke.run.settings import Settings


def test_importing_the_package_loads_no_data_or_render_library() -> None:
    code = (
        "import sys, datapakke; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'polars', 'numpy', 'matplotlib', 'weasyprint', 'jinja2', 'typer'}))"
    )
    child = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "[]"


def test_the_public_names_are_the_library_s_own() -> None:
    assert datapakke.compute is load_results
    assert datapakke.read_extract is read_extract
    assert datapakke.load_geography is load_geography
    assert datapakke.Settings is Settings
    assert set(datapakke.__all__) >= {"build", "compute", "read_extract", "load_geography"}
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        _ = datapakke.nothing  # type: ignore[attr-defined]


def test_build_refuses_an_unknown_area_name(geography: Geography, tmp_path: Path) -> None:
    settings = Settings(data=tmp_path, out=tmp_path / "out")
    with pytest.raises(UnknownAreaError, match="Horsenklyngen"):
        datapakke.build(["Horsenklyngen"], settings, geography)
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_build_makes_the_packs_of_named_areas_and_of_a_municipality(
    tiny_sample: Path, geography: Geography, tmp_path: Path
) -> None:
    settings = Settings(data=tiny_sample, out=tmp_path, formats=frozenset({"html"}), jobs=1)
    odder = geography.key_of(geography.find_kommune("Odder"))
    report = datapakke.build(["horsensklyngen", odder], settings, geography)
    assert report.ok
    assert [o.area_id for o in report.outcomes] == ["horsensklyngen", "kommune-odder"]
    assert "Horsensklyngen" in (tmp_path / "horsensklyngen.html").read_text(encoding="utf-8")
    assert (tmp_path / "kommune-odder.xlsx").stat().st_size > 0
