"""Stopping cleanly: SIGTERM and SIGHUP become an exception, like Ctrl+C, so that every
``finally`` runs and nothing is left behind.

By default those signals end a Python process on the spot: converted copies of
the extract stay in the temporary folder, worker processes go on writing after
the output folder's lock is gone. Raised as ``Stopped`` instead, they unwind the
run as an error would: temporary files are removed, worker pools stop their
workers (and wait for them) before the output lock is released, and the process
exits with 128 + the signal's number, as a shell reports a signal.

Python runs signal handlers between bytecodes of the main thread, so a stop that
arrives during a long native computation (a Polars query) takes effect when it
returns. Only ``kill -9`` cannot be caught; the next run sweeps what it left.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(BaseException):
    """The process was told to stop (SIGTERM, SIGHUP): not an Exception, so no
    ``except Exception`` takes it for a failure to report and carry on from."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum

    @property
    def exit_code(self) -> int:
        """128 + the signal number (143 for SIGTERM), as shells report it."""
        return 128 + self.signum


def stop_on_signals() -> None:
    """Raise ``Stopped`` in the main thread on SIGTERM or SIGHUP (once: a second signal
    while the first unwinds is ignored, so clean-up is not cut short)."""
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers (a library caller's thread)
    for signum in SIGNALS:
        signal.signal(signum, _raise_stopped)


def _raise_stopped(signum: int, frame: FrameType | None) -> None:
    for other in SIGNALS:
        signal.signal(other, signal.SIG_IGN)
    if _held.depth:
        _held.signals.append(signum)
        return
    raise Stopped(signum)


@dataclass
class _Held:
    """The signals that arrived inside ``signals_deferred`` blocks (``depth`` of them)."""

    depth: int = 0
    signals: list[int] = field(default_factory=list)


_held = _Held()


@contextmanager
def signals_deferred() -> Iterator[None]:
    """A stop (SIGTERM, SIGHUP) that arrives while the block runs raises ``Stopped`` when
    it ends, not inside it.

    For a garbage collection: it runs weak-reference callbacks, and a ``Stopped`` raised
    inside one of those cannot propagate (Python prints it as "Exception ignored" and
    the stop is lost). The handler runs in the main thread whichever thread the signal
    reached, so it only notes the signal here.
    """
    _held.depth += 1
    try:
        yield
    finally:
        _held.depth -= 1
        if not _held.depth and _held.signals:
            signum = _held.signals[0]
            _held.signals.clear()
            raise Stopped(signum)
