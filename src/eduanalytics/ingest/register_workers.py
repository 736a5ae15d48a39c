"""Feeding a register's pieces to the cleaning: read one piece ahead on a thread
(:func:`prefetched`), clean on worker processes (:class:`Cleaner`, :func:`worker_count`),
and hand freed memory back between pieces (:func:`release_memory`).

Reading (pyarrow, outside Python's global lock) overlaps cleaning; cleaning (pandas, mostly
inside it) runs on as many processes as the machine has cores, from a register long enough
to pay for them. Whatever the number of workers, pieces come back in file order.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import queue
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import pyarrow as pa

from eduanalytics.errors import ConfigError, IngestError

#: From this many rows (as :func:`~eduanalytics.ingest.columnar.estimate_rows` guesses)
#: ``workers: auto`` cleans on several processes. Each worker costs about 150 MB besides
#: its piece, so a shorter register is cleaned here: measured on 2 cores, one process
#: against two, 1,000,000 rows took 4.9 s and 510 MB against 4.3 s and 970 MB (all
#: processes, shared pages once); 10,000,000 rows 47 s against 37 s, 3.4 GB on two.
PARALLEL_FROM_ROWS = 5_000_000
#: ``workers: auto`` uses at most this many processes.
MAX_AUTO_WORKERS = 4


def worker_count(setting: int | str, expected_rows: int) -> int:
    """Processes to clean on: ``setting`` itself, or for ``"auto"`` one per usable core (at
    most :data:`MAX_AUTO_WORKERS`) when ``expected_rows`` reaches :data:`PARALLEL_FROM_ROWS`,
    else 1."""
    if setting != "auto":
        if isinstance(setting, bool) or not isinstance(setting, int) or setting < 1:
            raise ConfigError(f"workers must be a whole number of at least 1 or auto, not {setting!r}",
                              key="workers", allowed="auto, 1, 2, ...")
        return setting
    if expected_rows < PARALLEL_FROM_ROWS:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_AUTO_WORKERS))


def release_memory() -> None:
    """Hand freed memory back to the system between pieces: Arrow's pool, then the C heap
    (glibc's ``malloc_trim``, as Dask's workers do); otherwise each piece's freed working
    set would stay in the process and count towards its peak."""
    pa.default_memory_pool().release_unused()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, Windows, musl): nothing to trim
        return None


_LIBC = _glibc()


_WORKER: tuple[Callable, object] | None = None


def _take_work(work: Callable, rules: object) -> None:
    global _WORKER
    _WORKER = (work, rules)


def _work_in_worker(piece: pd.DataFrame) -> object:
    work, rules = _WORKER
    try:
        return work(piece, rules)
    finally:
        release_memory()


class Cleaner:
    """Runs ``work(piece, rules)`` on a register's pieces here, or on worker processes.

    Used as a context manager: entering starts the workers and leaving stops them. On
    Linux they are forks of this process, started before any thread of ours reads (so no
    lock is held by a thread the fork leaves behind) and without importing anything again;
    elsewhere they are spawned, so there (as for Dask's local cluster) a script that calls
    this must keep its work under ``if __name__ == "__main__":`` (the command line and
    notebooks need nothing). Each worker gets ``work`` and the rules once, and keeps what
    the rules remember (their memo of distinct values) from piece to piece.

    Parameters
    ----------
    work : callable
        ``(piece, rules) -> outcome``, a module-level function (it is sent by name).
    rules : object
        Everything ``work`` needs besides the piece (with a ``step`` name for messages).
    workers : int
        1: here, one piece after another. More: that many processes, each piece going to
        the next free one; one piece more than the workers is in flight, so none waits.
    """

    def __init__(self, work: Callable, rules: object, workers: int = 1) -> None:
        self.work, self.rules, self.workers = work, rules, max(int(workers), 1)
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Cleaner:
        if self.workers > 1:
            method = "fork" if sys.platform.startswith("linux") else "spawn"
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                            initializer=_take_work, initargs=(self.work, self.rules))
            self._translated(lambda: self.pool.submit(int).result())  # the workers start now
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _translated(self, get: Callable):
        try:
            return get()
        except BrokenProcessPool as exc:
            step = getattr(self.rules, "step", "")
            raise IngestError(f"a process cleaning the register ({step}) died before "
                              "it finished (killed, or out of memory)", expected="inputs.register."
                              "workers: 1, a smaller batch_rows, or the Dask engine") from exc

    def cleaned(self, batches: Iterable[pd.DataFrame]) -> Iterator[tuple[pd.DataFrame, object]]:
        """Each piece with its outcome, in file order.

        Raises
        ------
        IngestError
            A worker process died (killed, e.g. out of memory); the message says what to
            change. An error raised while cleaning a piece is raised here as it was there.
        """
        if self.pool is None:
            for piece in batches:
                yield piece, self.work(piece, self.rules)
            return
        waiting: deque = deque()
        try:
            for piece in batches:
                waiting.append((piece, self.pool.submit(_work_in_worker, piece)))
                if len(waiting) > self.workers:
                    piece, done = waiting.popleft()
                    yield piece, self._translated(done.result)
            while waiting:
                piece, done = waiting.popleft()
                yield piece, self._translated(done.result)
        finally:
            for _, done in waiting:  # stopped early: the pieces not yet cleaned are not wanted
                done.cancel()


def prefetched(items: Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """``items`` in order, each read one step ahead on a background thread: while one
    piece is cleaned, the next is read and parsed (pyarrow does that without holding
    Python's global lock, so a second core does it). At most one piece waits, and an
    error while reading is raised here, in order."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    turn, stop, end = threading.Semaphore(0), threading.Event(), object()

    def read() -> None:
        try:
            for item in items:
                ready.put(item)
                turn.acquire()  # the next piece only once this one has been taken
                if stop.is_set():
                    return
            ready.put(end)
        except BaseException as exc:  # handed to the consumer, raised there
            ready.put(_Failed(exc))

    worker = threading.Thread(target=read, name="eduanalytics-prefetch", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not end:
            turn.release()
            if isinstance(item, _Failed):
                raise item.exc
            yield item
            del item
    finally:
        stop.set()
        turn.release()
        while worker.is_alive():  # unblock a reader waiting to hand over a piece
            try:
                ready.get(timeout=0.05)
            except queue.Empty:
                pass
            turn.release()


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
