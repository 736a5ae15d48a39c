"""Feeding a register's pieces to the cleaning: here, read one piece ahead on a thread
(:class:`Here`, :func:`prefetched`), or on worker processes that read and clean spans of
the register themselves (:class:`SpanCleaner`, :func:`worker_count`); the process that
cleans hands its freed memory back between pieces (:func:`release_memory`). The process
taking in the workers' outcomes does not: it keeps what it receives, and handing back the
buffers it unpickled from only had them faulted in again for the next piece (measured at
10M rows on 2 workers: 2.5-3 CPU-s more there, the same peak).

On one process, reading (pyarrow, outside Python's global lock) overlaps cleaning. On
several, each worker reads its own spans (so parsing is spread over the cores and no piece
is copied between processes), cleans them and sends back only the outcomes and the few
raw rows asked for. Whatever the number of workers, pieces come back in file order.
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.connection import wait
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.errors import ConfigError, IngestError
from eduanalytics.ingest.columnar import as_text

#: From this many rows (as :func:`~eduanalytics.ingest.columnar.estimate_rows` guesses)
#: ``workers: auto`` cleans on several processes. Each worker costs about 150 MB besides
#: its spans, so a shorter register is cleaned here: measured on 2 cores, one process
#: against two (when this process still read every piece for the workers), 1,000,000
#: rows took 4.9 s and 510 MB against 4.3 s and 970 MB (all processes, shared pages
#: once); 10,000,000 rows 47 s against 37 s. With the workers reading their own spans,
#: 10,000,000 CSV rows took 36-38 s on two, 2.9 GB above the imports.
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
    return min(usable_cores(), MAX_AUTO_WORKERS)


def usable_cores() -> int:
    """The cores this process may run on (at least 1)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, cores or 1)


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


class Cleaned(NamedTuple):
    """One piece cleaned: how many rows it had, what ``work`` made of it, what to add to
    its row numbers (its outcome's and its raw rows'), and ``keep(rows)``, which asks for
    the raw rows with these row numbers (as numbered after adding ``offset``) to be among
    the cleaner's ``kept()``."""

    rows: int
    outcome: object
    offset: int
    keep: Callable[[np.ndarray], None]


def rows_numbered(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The rows of ``frame`` whose ``_row`` is among ``rows`` (columns read as
    categoricals as text again, :func:`~eduanalytics.ingest.columnar.as_text`)."""
    return as_text(frame.loc[frame["_row"].isin(rows)])


class Here:
    """``work(piece, rules)`` on each of ``pieces``, in this process, in order (pieces
    already numbered: offset 0); the raw rows asked for are taken from the piece at hand,
    and each piece's working memory is handed back before the next (:func:`release_memory`).
    Nothing to start or stop, so (unlike :class:`SpanCleaner`) not a context manager."""

    def __init__(self, work: Callable, rules: object, pieces: Iterable[pd.DataFrame]) -> None:
        self.work, self.rules, self.pieces = work, rules, pieces
        self._kept: list[pd.DataFrame] = []

    def cleaned(self) -> Iterator[Cleaned]:
        """Each piece's :class:`Cleaned`, in order."""
        for piece in self.pieces:
            yield Cleaned(len(piece), self.work(piece, self.rules), 0,
                          lambda rows, piece=piece: self._kept.append(rows_numbered(piece, rows)))
            del piece
            release_memory()

    def kept(self) -> list[pd.DataFrame]:
        """The raw rows asked for, piece by piece."""
        return self._kept


class SpanCleaner:
    """Cleans a register's spans on worker processes that read them themselves.

    Used as a context manager: entering starts ``workers`` processes (forks of this one on
    Linux; spawned elsewhere, so there a script calling this keeps its work under
    ``if __name__ == "__main__":``), leaving stops them. Span ``i`` goes to worker
    ``i % workers``, which reads it (``read(span)``: a frame numbered from 0), cleans it in
    slices of ``batch_rows`` rows (``work(slice, rules)``) and holds its raw rows until
    this process, having taken the outcomes in file order, says which to send back
    (``Cleaned.keep``); the rest are let go. At most ``workers + 1`` spans are out at
    once, so no worker waits and each holds two or three spans' raw rows. Only the
    spans' outcomes and the raw rows asked for cross between processes.

    Parameters
    ----------
    spans : list of Span
        The register, in file order (:func:`~eduanalytics.ingest.spans.plan_spans`).
    read : callable
        ``span -> frame`` (header-mapped, names dropped), ``_row`` from 0; a module-level
        function or a ``functools.partial`` of one where processes are spawned.
    work : callable
        ``(piece, rules) -> outcome``, module-level.
    rules : object
        Everything ``work`` needs (with a ``step`` name for messages).
    workers : int
        Processes.
    batch_rows : int
        Rows per slice a worker cleans at a time.
    """

    def __init__(self, spans: list, read: Callable, work: Callable, rules: object,
                 workers: int, batch_rows: int) -> None:
        self.spans, self.read, self.work, self.rules = list(spans), read, work, rules
        self.workers, self.batch_rows = max(int(workers), 1), max(int(batch_rows), 1)
        self.procs: list = []
        self._inbox: list = []
        self._conns: list = []
        self._replies: dict = {}  # (kind, span, slice) -> (value, failed), as they came
        self._closed: set[int] = set()  # workers whose pipe has closed
        self._arrived = threading.Condition()
        self._listener: threading.Thread | None = None
        self._lost: BaseException | None = None  # why the listener stopped early
        self._asked: list[tuple[int, int]] = []  # (span, offset) whose raw rows were asked for

    def __enter__(self) -> SpanCleaner:
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        for _ in range(self.workers):
            inbox, (here, there) = ctx.Queue(), ctx.Pipe()  # puts never block
            proc = ctx.Process(target=_serve, args=(there, inbox, self.read, self.work,
                                                    self.rules, self.batch_rows), daemon=True)
            proc.start()
            there.close()
            self.procs.append(proc)
            self._inbox.append(inbox)
            self._conns.append(here)
        # replies are read as they come, so that no worker waits to hand one over
        self._listener = threading.Thread(target=self._listen, name="eduanalytics-replies",
                                          daemon=True)
        self._listener.start()
        return self

    def _listen(self) -> None:
        """Read every worker's replies as they arrive, until every pipe has closed; if a
        reply cannot be taken (out of memory, say), say so to whoever waits, and stop."""
        which = {conn: w for w, conn in enumerate(self._conns)}
        try:
            while which:
                for conn in wait(list(which)):
                    try:
                        key, value, failed = conn.recv()
                    except (EOFError, OSError):  # the worker has ended, or died
                        with self._arrived:
                            self._closed.add(which.pop(conn))
                            self._arrived.notify_all()
                        continue
                    with self._arrived:
                        self._replies[key] = (value, failed)
                        self._arrived.notify_all()
        except BaseException as exc:  # handed to the thread waiting for a reply
            with self._arrived:
                self._lost = exc
                self._arrived.notify_all()

    def __exit__(self, exc_type: object, *exc: object) -> None:
        for inbox, proc in zip(self._inbox, self.procs, strict=True):
            if exc_type is None and proc.is_alive():
                inbox.put(None)
        for proc in self.procs:
            proc.join(timeout=5 if exc_type is None else 0)
            if proc.is_alive():
                proc.terminate()
                proc.join()
        if self._listener is not None:  # every pipe has closed with its process
            self._listener.join()
            self._listener = None
        for conn, inbox in zip(self._conns, self._inbox, strict=True):
            conn.close()
            if exc_type is not None:  # requests nobody will read: not waited for
                inbox.cancel_join_thread()
            inbox.close()
        self.procs, self._inbox, self._conns = [], [], []

    def _died(self) -> IngestError:
        step = getattr(self.rules, "step", "")
        return IngestError(f"a process cleaning the register ({step}) died before it finished "
                           "(killed, or out of memory)", expected="inputs.register.workers: 1, "
                           "a smaller batch_rows, or the Dask engine")

    def _reply(self, key: tuple[str, int, int]) -> object:
        """The reply ``key`` (kind, span, slice) from the span's worker (raised if it
        failed)."""
        with self._arrived:
            while key not in self._replies:
                if self._lost is not None:
                    step = getattr(self.rules, "step", "")
                    why = ": ".join(t for t in (type(self._lost).__name__, str(self._lost)) if t)
                    raise IngestError(f"the results of the processes cleaning the register ({step}) "
                                      f"could not be taken in: {why}", expected="inputs.register."
                                      "workers: 1, a smaller batch_rows, or the Dask engine"
                                      ) from self._lost
                if key[1] % self.workers in self._closed:
                    raise self._died()
                self._arrived.wait()
            value, failed = self._replies.pop(key)
        if failed:
            raise value
        return value

    def cleaned(self) -> Iterator[Cleaned]:
        """Each slice's :class:`Cleaned`, in file order.

        Raises
        ------
        IngestError
            A worker died (killed, e.g. out of memory); the message says what to change.
            An error raised while reading or cleaning a span is raised here as it was
            there, in file order.
        """
        sent, done = 0, {}
        for i, span in enumerate(self.spans):
            while sent < len(self.spans) and sent <= i + self.workers:
                self._inbox[sent % self.workers].put(("clean", sent, self.spans[sent]))
                sent += 1
            offset = span.first_row + done.get(span.path, 0)
            wanted: list[np.ndarray] = []

            def keep(rows: np.ndarray, offset: int = offset, wanted: list = wanted) -> None:
                wanted.append(np.asarray(rows, dtype=np.int64) - offset)

            for k in itertools.count():  # each slice as soon as its worker has cleaned it
                n, outcome, last = self._reply(("clean", i, k))
                done[span.path] = done.get(span.path, 0) + n
                yield Cleaned(n, outcome, offset, keep)
                if last:
                    break
            # the worker lets the span's raw rows go, sending back those asked for
            self._inbox[i % self.workers].put(("keep", i, np.concatenate(wanted) if wanted else None))
            self._asked.append((i, offset))

    def kept(self) -> list[pd.DataFrame]:
        """The raw rows asked for, span by span, numbered as in the outcomes."""
        out = []
        for i, offset in self._asked:
            rows = self._reply(("keep", i, 0))
            if rows is not None:
                out.append(rows.assign(_row=rows["_row"].to_numpy(np.int64) + offset))
        self._asked = []
        return out


def _serve(conn, inbox, read: Callable, work: Callable, rules: object, batch_rows: int) -> None:
    """A worker of :class:`SpanCleaner`: requests from ``inbox`` until None, answered on
    ``conn`` as ``(key, value, failed)``: each slice's ``(rows, outcome, last)`` as it is
    cleaned (key ``("clean", span, slice)``), then the raw rows asked for (``("keep",
    span, 0)``); an error instead of the value where one was raised."""
    held: dict[int, pd.DataFrame] = {}

    def answer(key: tuple[str, int, int], value: object, failed: bool = False) -> None:
        try:
            conn.send((key, value, failed))
        except Exception:  # an error that cannot be pickled: its text then
            if not failed:
                raise
            conn.send((key, IngestError(f"{type(value).__name__}: {value}"), True))

    while (request := inbox.get()) is not None:
        kind, i, arg = request
        k = 0
        try:
            if kind == "clean":
                frame = read(arg)
                pieces = list(_slices(frame, batch_rows))
                for k, piece in enumerate(pieces):
                    answer((kind, i, k), (len(piece), work(piece, rules), k == len(pieces) - 1))
                held[i] = frame
            else:
                frame = held.pop(i)
                answer((kind, i, 0), None if arg is None or not len(arg) else rows_numbered(frame, arg))
        except Exception as exc:  # raised in the reading process, in file order
            answer((kind, i, k), exc, failed=True)
        frame = pieces = piece = None
        release_memory()


def _slices(frame: pd.DataFrame, rows: int) -> Iterator[pd.DataFrame]:
    """``frame`` in consecutive slices of at most ``rows`` rows (itself if it is short)."""
    if len(frame) <= rows:
        yield frame
        return
    for at in range(0, len(frame), rows):
        yield frame.iloc[at:at + rows]


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
