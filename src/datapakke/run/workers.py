"""A small pool of spawned worker processes that knows which task killed a worker.

``concurrent.futures`` fails every task in flight when one worker dies, and on
Python 3.11 its shutdown can hang on a worker started during that breakdown.
Here each worker has its own pipe and runs one task at a time, so a dead worker
(out of memory, killed) costs exactly its own task and is replaced.

Workers are spawned, not forked: a forked child can deadlock on locks held by
Polars' thread pool. A pool starts its workers at once and sends them the shared
context later, once per worker, so their start-up (seconds of imports) overlaps
with whatever the parent does to make that context.
"""

from __future__ import annotations

import contextlib
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from types import TracebackType
from typing import Generic, TypeVar, cast

C = TypeVar("C")  # the context every task gets
T = TypeVar("T")  # a task's item
R = TypeVar("R")  # a task's result

STOP = None  # sent to a worker: no more items


@dataclass(frozen=True)
class WorkerDied:
    """The worker running an item ended without returning a result."""

    exitcode: int | None

    def __str__(self) -> str:
        how = f" (exit code {self.exitcode})" if self.exitcode is not None else ""
        return f"the worker process stopped unexpectedly{how}: killed, out of memory, or crashed"


@dataclass(frozen=True)
class TaskRaised:
    """The task raised instead of returning (a bug: tasks should return their failures)."""

    message: str

    def __str__(self) -> str:
        return self.message


class _Worker:
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.item: object = None


class WorkerPool(Generic[C, T, R]):
    """``workers`` processes running ``task(context, item)``; use as a context manager.

    ``task`` (and ``warm_up``, run by each worker as it starts) must be module-level
    functions: they are pickled by reference. The context must not be None.
    """

    def __init__(
        self,
        task: Callable[[C, T], R],
        workers: int,
        warm_up: Callable[[], None] | None = None,
    ) -> None:
        self._spawn = get_context("spawn")
        self._task = task
        self._warm_up = warm_up
        self._idle = [self._start() for _ in range(workers)]
        self._busy: list[_Worker] = []
        self._context: C | None = None
        self.size = workers

    def __enter__(self) -> WorkerPool[C, T, R]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close(gently=kind is None)

    def run(
        self,
        context: C,
        items: Sequence[T],
        *,
        stop_when: Callable[[R | WorkerDied | TaskRaised], bool] = lambda _result: False,
        on_start: Callable[[T], None] = lambda _item: None,
    ) -> Iterator[tuple[T, R | WorkerDied | TaskRaised]]:
        """Run every item; yield ``(item, result)`` as they finish.

        ``context`` goes to each worker once; ``on_start`` hears each item as it is
        sent. After a result for which ``stop_when`` is true no new item is started;
        items never started are not yielded.
        """
        self._context = context
        for worker in self._idle:
            self._send_context(worker)
        waiting = deque(items)
        stopping = False
        while self._busy or (waiting and not stopping):
            while waiting and not stopping and len(self._busy) < self.size:
                worker = self._idle.pop() if self._idle else self._send_context(self._start())
                item = waiting.popleft()
                worker.item = item
                try:
                    worker.connection.send(item)
                except OSError:  # it died while idle: put the item back, use another
                    waiting.appendleft(item)
                    _close(worker)
                    continue
                on_start(item)
                self._busy.append(worker)
            ready = set(
                wait([w.connection for w in self._busy] + [w.process.sentinel for w in self._busy])
            )
            for worker in [w for w in self._busy if {w.connection, w.process.sentinel} & ready]:
                self._busy.remove(worker)
                result = cast("R | WorkerDied | TaskRaised", _result_of(worker))
                if isinstance(result, WorkerDied):
                    _close(worker)
                else:
                    self._idle.append(worker)
                yield cast("T", worker.item), result
                stopping = stopping or stop_when(result)

    def close(self, *, gently: bool = True) -> None:
        """Stop the workers: ask them to end (``gently``), or terminate them."""
        workers, self._idle, self._busy = [*self._idle, *self._busy], [], []
        for worker in workers:
            if gently:
                with contextlib.suppress(OSError):  # already gone
                    worker.connection.send(STOP)
            else:
                worker.process.terminate()
        for worker in workers:
            worker.process.join(timeout=10)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()

    def _start(self) -> _Worker:
        parent_end, child_end = self._spawn.Pipe()
        # Daemonic: if the parent ends without stopping it, the worker ends too.
        process = self._spawn.Process(
            target=_serve, args=(child_end, self._task, self._warm_up), daemon=True
        )
        process.start()
        child_end.close()  # so the parent sees EOF when the child dies
        return _Worker(process, parent_end)

    def _send_context(self, worker: _Worker) -> _Worker:
        with contextlib.suppress(OSError):  # a dead worker shows when it gets an item
            worker.connection.send(self._context)
        return worker


def _serve(
    connection: Connection, task: Callable[[C, T], R], warm_up: Callable[[], None] | None
) -> None:
    """A worker's life: warm up, take the context, then items until told to stop."""
    # Ctrl+C reaches the whole process group; the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        if warm_up is not None:
            warm_up()
        if (context := connection.recv()) is STOP:
            return  # the pool closed before it had work
        while (item := connection.recv()) is not STOP:
            try:
                result: object = task(context, item)
            except Exception as error:
                result = TaskRaised(f"{type(error).__name__}: {error}")
            connection.send(result)
    except (EOFError, BrokenPipeError):
        pass  # the parent is gone: nothing left to do


def _result_of(worker: _Worker) -> object:
    try:
        if worker.connection.poll():
            return worker.connection.recv()
    except (EOFError, OSError):
        pass
    worker.process.join(timeout=5)
    return WorkerDied(worker.process.exitcode)


def _close(worker: _Worker) -> None:
    worker.connection.close()
    if worker.process.is_alive():
        worker.process.terminate()
    worker.process.join(timeout=5)
