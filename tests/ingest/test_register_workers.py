"""Feeding pieces to the cleaning: one read ahead on a thread, or spans read and cleaned on
worker processes (in file order whatever finishes first, the raw rows asked for sent back),
an error in a span raised in order, a worker's death as one of our errors."""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace
from typing import NamedTuple

import numpy as np
import pandas as pd
import pytest

from eduanalytics.errors import ConfigError, IngestError
from eduanalytics.ingest.register_workers import (
    MAX_AUTO_WORKERS,
    PARALLEL_FROM_ROWS,
    Here,
    SpanCleaner,
    prefetched,
    worker_count,
)


class _Span(NamedTuple):
    """A stand-in span: ``rows`` rows of ``path``, the file's first row number 2."""

    path: str
    rows: int
    first_row: int = 2


def _read(span: _Span) -> pd.DataFrame:
    """A span's rows, numbered from 0, each holding its own number and the reader's pid."""
    if span.rows < 0:
        raise IngestError("cannot read as CSV", file=span.path)
    return pd.DataFrame({"_row": range(span.rows), "n": range(span.rows), "pid": os.getpid()})


def _die(piece: pd.DataFrame, rules: object) -> None:
    os._exit(3)  # a worker killed mid-piece (the kernel's OOM killer, say)


def _sum(piece: pd.DataFrame, rules: SimpleNamespace) -> tuple[int, int, list[int]]:
    return os.getpid(), int(piece["n"].sum()) * rules.factor, piece["_row"].tolist()


def test_spans_read_and_cleaned_by_workers_come_back_in_file_order():
    """Spans of 3, 5, 1, 4 (file a) and 2 (file b) rows on two workers, cleaned in slices
    of 2 rows: the slices come back in file order, each with its offset (file a: 2, 5,
    10, 11; file b restarts at 2), and the raw rows asked for come back numbered as the
    outcomes, from the workers that read them."""
    spans = [_Span("a", 3), _Span("a", 5), _Span("a", 1), _Span("a", 4), _Span("b", 2)]
    with SpanCleaner(spans, _read, _sum, SimpleNamespace(step="s", factor=10), 2, 2) as cleaner:
        got = []
        for item in cleaner.cleaned():
            got.append((item.rows, item.outcome[1], item.outcome[2], item.offset))
            assert item.outcome[0] != os.getpid()  # cleaned elsewhere
            item.keep(np.array(item.outcome[2][:1]) + item.offset)  # each slice's first row
        kept = cleaner.kept()
        procs = cleaner.procs
    assert got == [(2, 10, [0, 1], 2), (1, 20, [2], 2),
                   (2, 10, [0, 1], 5), (2, 50, [2, 3], 5), (1, 40, [4], 5),
                   (1, 0, [0], 10),
                   (2, 10, [0, 1], 11), (2, 50, [2, 3], 11),
                   (2, 10, [0, 1], 2)]
    assert [f["_row"].tolist() for f in kept] == [[2, 4], [5, 7, 9], [10], [11, 13], [2]]
    assert len({f["pid"].iloc[0] for f in kept} - {os.getpid()}) == 2  # both workers read
    assert cleaner.procs == [] and [p.exitcode for p in procs] == [0, 0]  # stopped on leaving


def test_span_errors_raised_in_file_order_and_a_dead_worker_is_an_ingest_error():
    spans = [_Span("a", 2), _Span("a", 2), _Span("a", -1), _Span("a", 2)]
    with SpanCleaner(spans, _read, _sum, SimpleNamespace(step="s", factor=1), 2, 5) as cleaner:
        seen = []
        with pytest.raises(IngestError, match="cannot read as CSV"):
            for item in cleaner.cleaned():
                seen.append(item.offset)
    assert seen == [2, 4]  # the spans before the one that failed
    with SpanCleaner([_Span("a", 1), _Span("a", 1)], _read, _die,
                     SimpleNamespace(step="enrolments[x]"), 2, 5) as cleaner:
        with pytest.raises(IngestError, match=r"enrolments\[x\].* died before it finished.*"
                                              r"expected inputs.register.workers: 1"):
            list(cleaner.cleaned())


def _refuse() -> None:
    raise MemoryError("no room for the reply")


class _Unloadable:
    """Pickles in the worker; taking it in raises (as a reply too large for the memory)."""

    def __reduce__(self):
        return _refuse, ()


def _unloadable(piece: pd.DataFrame, rules: object) -> _Unloadable:
    return _Unloadable()


def test_a_reply_that_cannot_be_taken_in_is_an_ingest_error_not_a_hang():
    with SpanCleaner([_Span("a", 1), _Span("a", 1)], _read, _unloadable,
                     SimpleNamespace(step="enrolments[x]"), 2, 5) as cleaner:
        with pytest.raises(IngestError, match=r"enrolments\[x\]\) could not be taken in: "
                                              r"MemoryError: no room"):
            list(cleaner.cleaned())


def test_here_cleans_in_this_process_and_keeps_from_the_piece_at_hand():
    pieces = [_read(_Span("a", 3)).assign(_row=[2, 3, 4]), _read(_Span("a", 2)).assign(_row=[5, 6])]
    here = Here(_sum, SimpleNamespace(factor=1), pieces)
    out = []
    for item in here.cleaned():
        out.append((item.rows, item.outcome[0], item.offset))
        item.keep(np.array([3, 6]))
    assert out == [(3, os.getpid(), 0), (2, os.getpid(), 0)]
    assert [f["_row"].tolist() for f in here.kept()] == [[3], [6]]


def test_worker_count():
    assert worker_count(3, 10) == 3  # as set, whatever the size
    for bad in (0, "2", 1.5, True):
        with pytest.raises(ConfigError, match="workers must be a whole number"):
            worker_count(bad, 10)
    assert worker_count("auto", PARALLEL_FROM_ROWS - 1) == 1  # too short to pay for processes
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert worker_count("auto", PARALLEL_FROM_ROWS) == max(1, min(cores, MAX_AUTO_WORKERS))


def test_prefetched_keeps_order_raises_in_place_and_stops_when_closed():
    def failing():
        yield 1
        yield 2
        raise IngestError("cannot read as CSV", file="x.csv")

    it = prefetched(failing())
    assert [next(it), next(it)] == [1, 2]
    with pytest.raises(IngestError, match="cannot read"):
        next(it)
    read = []

    def counted():
        for i in range(100):
            read.append(i)
            yield i

    it = prefetched(counted())
    assert next(it) == 0
    for _ in range(100):  # the reader reads piece 1 ahead, then waits
        if len(read) == 2:
            break
        threading.Event().wait(0.01)
    threading.Event().wait(0.1)
    assert read == [0, 1]  # one piece ahead, not more
    it.close()
    assert read == [0, 1]
    assert not any(t.name == "eduanalytics-prefetch" for t in threading.enumerate())
    assert list(prefetched(iter([]))) == []
