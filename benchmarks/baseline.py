"""The version a benchmark compares against: a ``src`` folder, or a git ref exported once.

``--baseline /work/main/src`` uses a checkout's src folder as it is; ``--baseline main``
exports the ref's ``src/`` and ``templates/`` (git archive) into a temporary folder, so a
benchmark never builds inside another checkout. ``compiled`` compiles a source folder to
bytecode first, so that no timed process pays for compiling it.
"""

from __future__ import annotations

import compileall
import subprocess
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def baseline_src(baseline: str, folder: Path) -> Path:
    """The ``src`` folder of ``baseline`` (a folder, or a git ref exported into ``folder``)."""
    if Path(baseline).is_dir():
        return Path(baseline).resolve()
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", baseline, "src", "templates"],
        capture_output=True, check=False,
    )  # fmt: skip
    if archive.returncode != 0:
        raise SystemExit(f"--baseline {baseline}: neither a folder nor a git ref "
                         f"({archive.stderr.decode(errors='replace').strip()})")  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A folder for an exported baseline, removed when the benchmark ends."""
    return tempfile.TemporaryDirectory(prefix="datapakke-baseline-")


def compiled(folder: Path) -> Path:
    """``folder`` with its modules compiled to bytecode (``__pycache__``), as pip leaves an
    installed package. An editable install under ``PYTHONDONTWRITEBYTECODE=1`` (set on this
    machine) would otherwise compile every module in every run: 0.15-0.2 s of the import."""
    compileall.compile_dir(folder, quiet=1)
    return folder
