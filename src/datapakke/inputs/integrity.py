"""Decode user-supplied Parquet files once in a child process before reading them here.

Polars' native Parquet reader can abort the whole process on a damaged data page
(a panic in one of its executor threads that cannot be caught; seen with Polars
2.1 on files with a few bytes changed). Decoding each file first in a child
process turns such a crash into a clear finding, and the main process only ever
reads files that decoded cleanly. The child costs one interpreter start for the
whole extract, and it runs beside the main process: it reports each file as soon
as it has decoded it, so the main process checks one file while the child
decodes the next. A command that reads an extract calls ``warm_up`` before its own
heavy imports, so that the child's interpreter and Polars load on the idle second core
meanwhile (0.3 s the first check otherwise waits).
"""

from __future__ import annotations

import atexit
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from datapakke.inputs.findings import FileSummary, Finding, Findings, Severity

# Reads the paths from stdin, one a line, to its end (so that a long list never fills both
# pipes at once), then prints "ok <path>" or "error <path>\t<message>" per file. Hashing
# every column forces every page of every column to be decompressed and decoded.
_DECODE = """
import sys
import polars as pl
for path in sys.stdin.read().splitlines():
    try:
        pl.scan_parquet(path).select(pl.all().hash().sum()).collect()
    except pl.exceptions.PanicException:
        print("error", path + "\\t" + "a data page is damaged", flush=True)
    except BaseException as error:
        text = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        print("error", path + "\\t" + text, flush=True)
    else:
        print("ok", path, flush=True)
"""
CRASHED = "the Parquet reader crashed on a damaged data page"


class DecodeGuard:
    """Decodes ``paths`` in a child process, in order, from the moment it is made.

    ``verdict(path)`` waits only until the child has reported on ``path``. A child
    that dies is blamed on the first file it did not report on, and a new child
    decodes the files after it. Use it as a context manager (the child is ended on exit).
    """

    def __init__(self, paths: Sequence[Path]) -> None:
        self._given = frozenset(paths)
        self._pending = list(paths)
        self._verdicts: dict[Path, str | None] = {}
        self._child: subprocess.Popen[str] | None = None
        self._start()

    def _start(self) -> None:
        self._child = None
        if self._pending:
            self._child = _warm_child() or _spawn()
            assert self._child.stdin is not None
            self._child.stdin.write("".join(f"{path}\n" for path in self._pending))
            self._child.stdin.close()

    def __contains__(self, path: object) -> bool:
        """Whether ``path`` is one of the files this guard decodes."""
        return path in self._given

    def verdict(self, path: Path) -> str | None:
        """Why ``path`` cannot be decoded, or None when it decoded cleanly."""
        while path not in self._verdicts and self._child is not None:
            self._next()
        return self._verdicts[path]

    def _next(self) -> None:
        assert self._child is not None and self._child.stdout is not None
        line = self._child.stdout.readline()
        reported = line.rstrip("\n")
        if reported.startswith(("ok ", "error ")):
            status, _, rest = reported.partition(" ")
            path, _, message = rest.partition("\t")
            self._verdicts[Path(path)] = message if status == "error" else None
            self._pending.remove(Path(path))
            return
        if line:
            return  # anything else the child printed
        self.close()  # the child ended: if files are left, it died on the first of them
        if self._pending:
            self._verdicts[self._pending.pop(0)] = CRASHED
        self._start()

    def close(self) -> None:
        """End the child (when the caller stops early)."""
        if self._child is not None:
            _end(self._child)
            self._child = None

    def __enter__(self) -> DecodeGuard:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


# The children ``warm_up`` started, by the script they run, until a guard takes one.
_WARM: dict[str, subprocess.Popen[str]] = {}


def warm_up() -> None:
    """Start a decode child now, for the first ``DecodeGuard`` made later to take (ended at
    exit if none does)."""
    if _DECODE not in _WARM:
        child = _WARM[_DECODE] = _spawn()
        atexit.register(_end, child)


def _warm_child() -> subprocess.Popen[str] | None:
    """A waiting child that runs the current script (a test may swap it), if one is running."""
    child = _WARM.pop(_DECODE, None)
    return child if child is not None and child.poll() is None else None


def _spawn() -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _DECODE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # a panic's backtrace; the verdict says it
        text=True,
    )


def _end(child: subprocess.Popen[str]) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()
    for pipe in (child.stdin, child.stdout):
        if pipe is not None:
            pipe.close()


def undecodable_parquet(paths: Sequence[Path]) -> dict[Path, str]:
    """The files among ``paths`` that cannot be decoded, each with the reason."""
    with DecodeGuard(paths) as guard:
        verdicts = {path: guard.verdict(path) for path in paths}
    return {path: reason for path, reason in verdicts.items() if reason is not None}


def refused_as_damaged(
    guard: DecodeGuard | None,
    table: str,
    path: Path,
    findings: Findings,
    summaries: list[FileSummary],
    kind: str = "Parquet",
) -> bool:
    """Whether ``guard``'s child found the Parquet file ``path`` damaged. If so, the error and
    the file's line in the report (``kind``) are recorded and the file must not be opened.
    Files the guard was not given (those that are not Parquet, or not a regular file) are
    not refused here: opening them reports what is wrong."""
    if guard is None or path not in guard:
        return False
    reason = guard.verdict(path)
    if reason is None:
        return False
    findings.add(
        Finding(
            Severity.ERROR,
            table,
            f"not a readable Parquet file ({reason})",
            file=path,
            hint="Export the table again: the file is damaged or truncated "
            "(an interrupted copy or export).",
        )
    )
    summaries.append(FileSummary(table, path, kind, None))
    return True
