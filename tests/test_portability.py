"""Nothing on an import path is POSIX-only: every module imports, and the output folder
can be claimed, where fcntl and its kind do not exist (as on Windows)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

POSIX_ONLY = ("fcntl", "resource", "termios", "pwd", "grp", "pty", "tty")

SCRIPT = textwrap.dedent(
    """
    import importlib, pkgutil, sys, warnings
    from pathlib import Path
    for name in {blocked!r}:
        sys.modules[name] = None  # "import fcntl" now raises ImportError
    warnings.simplefilter("ignore")  # filelock says it falls back to a soft lock
    import datapakke
    imported = 0
    for info in pkgutil.walk_packages(datapakke.__path__, "datapakke."):
        if info.name != "datapakke.__main__":  # that one runs the CLI
            importlib.import_module(info.name)
            imported += 1
    from datapakke.files import claimed_folder
    with claimed_folder(Path(sys.argv[1])):
        pass
    from datapakke.run.batch import default_jobs
    print(imported, default_jobs())
    """
).format(blocked=POSIX_ONLY)


def test_every_module_imports_without_posix_only_modules(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    imported, jobs = map(int, done.stdout.split())
    assert imported > 50  # every module of the package, not an empty walk
    assert jobs >= 1
