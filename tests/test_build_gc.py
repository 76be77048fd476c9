"""A pack renders with Python's cycle collector paused, and the render's cycles are freed after."""

from __future__ import annotations

import gc
import weakref

import pytest

from datapakke.run.build import cycles_collected_after


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
