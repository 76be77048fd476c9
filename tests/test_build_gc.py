"""A pack renders with Python's cycle collector paused, and the render's cycles are freed after."""

from __future__ import annotations

import gc
import os
import signal
import sys
import weakref

import pytest

from datapakke.run.build import cycles_collected_after
from datapakke.run.stops import SIGNALS, Stopped, signals_deferred, stop_on_signals


class Node:
    """An object that can sit in a reference cycle."""

    other: Node | None = None


def test_the_collector_is_paused_during_a_render_and_frees_its_cycles_after() -> None:
    assert gc.isenabled()
    with cycles_collected_after():
        assert not gc.isenabled()
        first, second = Node(), Node()
        first.other, second.other = second, first
        freed = weakref.ref(first)
        del first, second
        assert freed() is not None  # a cycle: only the collector frees it
    assert gc.isenabled()
    assert freed() is None


def test_the_collector_runs_again_after_a_failed_render() -> None:
    with pytest.raises(RuntimeError), cycles_collected_after():
        raise RuntimeError("a template error")
    assert gc.isenabled()


def test_a_collector_paused_by_the_caller_stays_paused() -> None:
    gc.disable()
    try:
        with cycles_collected_after():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM ends a Windows process at once")
def test_a_stop_during_the_collection_arrives_after_it() -> None:
    # A Stopped raised inside a weak-reference callback of the collection is printed and
    # lost (CI's SIGTERM test caught a worker going on so); held back, it unwinds after.
    previous = {signum: signal.getsignal(signum) for signum in SIGNALS}
    reached = []
    try:
        stop_on_signals()
        with pytest.raises(Stopped), signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):  # bytecodes at which a handler would otherwise run
                reached.append(None)
        assert len(reached) == 1000
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
