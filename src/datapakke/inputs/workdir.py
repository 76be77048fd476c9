"""The private work folder for converted copies of input files, and what to say when
writing it (or reading an input) fails for lack of space or permission.

CSV files in other encodings, gzip and SAS files are converted, streaming, into a
folder only this user can open (mode 0700) under the system's temporary folder
(``TMPDIR``). The copies hold every column of the extract, so the folder must not
outlive the run: it is removed when its owner is done, at exit, and on SIGTERM,
SIGHUP and Ctrl+C (the CLI turns those into exceptions, see ``run/stops.py``).
Only ``kill -9`` (or a crash of the interpreter) can leave one behind; its name
carries the process id, so the next run that reads an extract removes folders of
this user whose process is gone (``sweep_stale_workdirs``).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import weakref
from pathlib import Path

PREFIX = "datapakke-read-"
_OURS = re.compile(re.escape(PREFIX) + r"(\d+)-")
NO_SPACE = (errno.ENOSPC, errno.EDQUOT)
NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)
# Polars reports operating-system errors in its own exceptions, as "(os error N)".
_OS_ERROR = re.compile(r"\(os error (\d+)\)")


class Workdir:
    """A private temporary folder for converted files, made on first use, removed with its owner."""

    def __init__(self) -> None:
        self._path: Path | None = None
        self._finalizer: weakref.finalize[[Path], Workdir] | None = None

    def path(self) -> Path:
        """The folder (created now if needed)."""
        if self._path is None:
            self._path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
            self._path.chmod(stat.S_IRWXU)  # mkdtemp's mode, said out loud
            # Removed at exit too (and on SIGTERM, which the CLI turns into an exit).
            self._finalizer = weakref.finalize(self, _remove, self._path)
        return self._path

    def cleanup(self) -> None:
        """Remove the folder and everything in it."""
        if self._finalizer is not None:
            self._finalizer()
        self._path = None
        self._finalizer = None


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_workdirs(temporary: Path | None = None) -> list[Path]:
    """Remove work folders that killed runs left in ``temporary``; return them.

    Only folders of this user whose process is gone: a folder of a run still going
    (or of another user, or anything that is not a plain folder) is left alone.
    """
    folder = Path(temporary or tempfile.gettempdir())
    removed = []
    try:
        candidates = [entry for entry in os.scandir(folder) if entry.name.startswith(PREFIX)]
    except OSError:
        return []
    for entry in candidates:
        match = _OURS.match(entry.name)
        if match is None or int(match[1]) == os.getpid() or _alive(int(match[1])):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            _remove(Path(entry.path))
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def os_error_number(error: BaseException) -> int | None:
    """The operating-system error behind ``error`` (Python's or one Polars reports)."""
    if isinstance(error, OSError) and error.errno is not None:
        return error.errno
    match = _OS_ERROR.search(str(error))
    return int(match[1]) if match else None


def io_trouble(error: BaseException) -> tuple[str, str] | None:
    """Message and hint for a full disk or a refused permission; None for other errors."""
    number = os_error_number(error)
    if number in NO_SPACE:
        where = tempfile.gettempdir()
        return (
            f"no space left on the disk while converting the file (into {where})",
            "Free space there, or point TMPDIR at a disk with room: CSV files in other "
            "encodings, gzip and SAS files are converted there while they are read "
            "(as large as the uncompressed file; removed afterwards).",
        )
    if number in NO_PERMISSION:
        name = getattr(error, "filename", None)
        return (
            f"permission denied{f' ({name})' if name else ''}",
            "Make the file (and its folder) readable for your user, and the temporary "
            "folder (TMPDIR) writable, then run again.",
        )
    return None
