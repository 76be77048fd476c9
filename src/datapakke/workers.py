"""A small pool of spawned worker processes that knows which task killed a worker.

``concurrent.futures`` fails every task in flight when one worker dies, and on
Python 3.11 its shutdown can hang on a worker started during that breakdown.
Here each worker has its own pipe and runs one task at a time, so a dead worker
(out of memory, killed) costs exactly its own task and is replaced.

Workers are spawned, not forked: a forked child can deadlock on locks held by
Polars' thread pool. The shared ``context`` is sent once per worker.
"""

from __future__ import annotations

import contextlib
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnContext
from multiprocessing.process import BaseProcess
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


class _Worker(Generic[T]):
    def __init__(self, process: BaseProcess, connection: Connection) -> None:
        self.process = process
        self.connection = connection
        self.item: T | None = None


def run_in_workers(
    task: Callable[[C, T], R],
    context: C,
    items: Sequence[T],
    workers: int,
    *,
    stop_when: Callable[[R | WorkerDied | TaskRaised], bool] = lambda _result: False,
) -> Iterator[tuple[T, R | WorkerDied | TaskRaised]]:
    """Run ``task(context, item)`` for each item in ``workers`` processes; yield as they finish.

    ``task`` must be a module-level function (it is pickled by reference). After a
    result for which ``stop_when`` is true no new item is started; items never
    started are not yielded. Closing the iterator, or an exception such as Ctrl+C,
    terminates the workers.
    """
    spawn = get_context("spawn")
    waiting = deque(items)
    idle: list[_Worker[T]] = []
    busy: list[_Worker[T]] = []
    stopping = False
    finished = False
    try:
        while busy or (waiting and not stopping):
            while waiting and not stopping and len(busy) < workers:
                worker = idle.pop() if idle else _start(spawn, task, context)
                worker.item = waiting.popleft()
                try:
                    worker.connection.send(worker.item)
                except OSError:  # it died while idle: put the item back, use another
                    waiting.appendleft(worker.item)
                    _close(worker)
                    continue
                busy.append(worker)
            ready = wait([w.connection for w in busy] + [w.process.sentinel for w in busy])
            for worker in [w for w in busy if w.connection in ready or w.process.sentinel in ready]:
                busy.remove(worker)
                result = cast("R | WorkerDied | TaskRaised", _result_of(worker))
                if isinstance(result, WorkerDied):
                    _close(worker)
                else:
                    idle.append(worker)
                assert worker.item is not None
                yield worker.item, result
                stopping = stopping or stop_when(result)
        finished = True
    finally:
        _stop_all([*idle, *busy], gently=finished)


def _start(spawn: SpawnContext, task: Callable[[C, T], R], context: C) -> _Worker[T]:
    parent_end, child_end = spawn.Pipe()
    # Daemonic: if the parent ends without stopping it, the worker ends too.
    process = spawn.Process(target=_serve, args=(child_end, task, context), daemon=True)
    process.start()
    child_end.close()  # so the parent sees EOF when the child dies
    return _Worker(process, parent_end)


def _serve(connection: Connection, task: Callable[[C, T], R], context: C) -> None:
    """A worker's life: take an item, send back its result, until told to stop."""
    # Ctrl+C reaches the whole process group; the parent alone decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while (item := connection.recv()) is not STOP:
            try:
                result: object = task(context, item)
            except Exception as error:
                result = TaskRaised(f"{type(error).__name__}: {error}")
            connection.send(result)
    except (EOFError, BrokenPipeError):
        pass  # the parent is gone: nothing left to do


def _result_of(worker: _Worker[T]) -> object:
    try:
        if worker.connection.poll():
            return worker.connection.recv()
    except (EOFError, OSError):
        pass
    worker.process.join(timeout=5)
    return WorkerDied(worker.process.exitcode)


def _close(worker: _Worker[T]) -> None:
    worker.connection.close()
    if worker.process.is_alive():
        worker.process.terminate()
    worker.process.join(timeout=5)


def _stop_all(workers: list[_Worker[T]], *, gently: bool) -> None:
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
