"""Atomic output: every file is written under a temporary name and renamed into place.

A run killed at any moment leaves complete files only; temporaries it left
behind are recognisable by their prefix and removed by the next run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import filelock

from datapakke.errors import OutputError

TEMP_PREFIX = ".datapakke-tmp-"
LOCK_NAME = ".datapakke.lock"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` if the block succeeds."""
    ensure_folder(target.parent)
    temporary = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{target.name}")
    try:
        yield temporary
        temporary.replace(target)
    except OSError as error:
        raise OutputError(
            f"{target}: cannot write the file ({error.strerror or error})."
        ) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def write_text(target: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``target`` atomically."""
    write_bytes(target, text.encode("utf-8"))


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) or fail with a clear message."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot create the output folder ({error.strerror or error})."
        ) from error


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporaries left by killed runs in ``folder``; return how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


@contextlib.contextmanager
def claimed_folder(folder: Path) -> Iterator[None]:
    """Hold the output ``folder`` for one build: create it, lock it, clear old temporaries.

    A second build into the same folder stops at once with a clear message, rather
    than removing the first one's temporaries or interleaving its manifest. The lock
    is the operating system's (``flock`` on POSIX, ``LockFileEx`` on Windows, through
    filelock), so a killed run never leaves it held. A folder this build created
    and left empty (it stopped before writing anything) is removed again.
    """
    created = not folder.exists()
    ensure_folder(folder)
    lock = filelock.FileLock(folder / LOCK_NAME, timeout=0, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise OutputError(
            f"{folder}: another datapakke build is writing to this folder.",
            hint="Wait for it to finish, or choose another --out.",
        ) from None
    except OSError as error:
        raise OutputError(
            f"{folder}: cannot write to the output folder ({error.strerror or error})."
        ) from error
    try:
        remove_stale_temporaries(folder)
        yield
    finally:
        lock.release()
        if created:
            _remove_if_unused(folder)


def _remove_if_unused(folder: Path) -> None:
    """Remove ``folder`` if it holds nothing but the lock file."""
    with contextlib.suppress(OSError):
        if {p.name for p in folder.iterdir()} <= {LOCK_NAME}:
            (folder / LOCK_NAME).unlink(missing_ok=True)
            folder.rmdir()
