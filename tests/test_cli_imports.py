"""The data commands do not load the render stack: no WeasyPrint, no matplotlib, no
scipy.stats, and an export to CSV or Parquet not the workbook's writer. What a process
imports is the subject, so each runs in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.registers.delivery import write_delivery

_RUN = """
import sys
from typer.testing import CliRunner
from datapakke.cli import app
result = CliRunner().invoke(app, sys.argv[1:])
assert result.exit_code == 0, result.output
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"weasyprint", "matplotlib"})
heavy += [m for m in ("scipy.stats", "jinja2", "xlsxwriter") if m in sys.modules]
print(" ".join(heavy) or "none")
"""


@pytest.mark.parametrize(
    ("arguments", "loaded"),
    [
        (["validate", "--data", "{sample}"], "none"),
        (["indicators"], "none"),
        (["export", "--data", "{sample}", "--out", "{out}/indikatorer.parquet"], "none"),
        (["omraader", "--inddeling", "sundhedsraad-2027"], "none"),
        (["inspect", "--data", "{registers}"], "none"),
        (["export", "--data", "{registers}", "--out", "{out}/indikatorer.xlsx"], "xlsxwriter"),
    ],
    ids=["validate", "indicators", "export", "omraader", "inspect-registers", "export-registers"],
)
def test_data_commands_import_no_render_stack(
    arguments: list[str], loaded: str, tiny_sample: Path, tmp_path: Path
) -> None:
    registers = write_delivery(tmp_path / "registers")  # BEF, DOD, LPR_A, LMDB as delivered
    places = {"{out}": tmp_path, "{registers}": registers, "{sample}": tiny_sample}
    command = list(arguments)
    for place, path in places.items():
        command = [a.replace(place, str(path)) for a in command]
    child = subprocess.run(
        [sys.executable, "-c", _RUN, *command], capture_output=True, text=True, check=False
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == [loaded]


def test_the_engine_imports_the_integer_program_solver_only_when_it_runs() -> None:
    # scipy.optimize (0.1-0.2 s) serves only the exact disclosure search's last step.
    probe = (
        "import sys, datapakke.engine.compute, datapakke.engine.protect\n"
        "print('scipy.optimize' in sys.modules)"
    )
    child = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["False"]
