"""Feeding pieces to the cleaning: one read ahead on a thread, cleaning on worker processes
(in file order whatever finishes first), a worker's death as one of our errors."""

from __future__ import annotations

import os
import threading
from types import SimpleNamespace

import pandas as pd
import pytest

from eduanalytics.errors import ConfigError, IngestError
from eduanalytics.ingest.register_workers import (
    MAX_AUTO_WORKERS,
    PARALLEL_FROM_ROWS,
    Cleaner,
    prefetched,
    worker_count,
)


def _die(piece: pd.DataFrame, rules: object) -> None:
    os._exit(3)  # a worker killed mid-piece (the kernel's OOM killer, say)


def _double(piece: pd.DataFrame, rules: SimpleNamespace) -> tuple[int, int]:
    return os.getpid(), int(piece["n"].sum()) * rules.factor


def test_pieces_come_back_in_order_from_worker_processes():
    pieces = [pd.DataFrame({"n": [i, i]}) for i in range(12)]
    rules = SimpleNamespace(step="s", factor=10)
    with Cleaner(_double, rules, workers=2) as cleaner:
        out = list(cleaner.cleaned(iter(pieces)))
    assert cleaner.pool is None  # stopped on leaving
    assert [p is q for (p, _), q in zip(out, pieces, strict=True)] == [True] * 12
    assert [r[1] for _, r in out] == [20 * i for i in range(12)]  # (i + i) * factor
    assert os.getpid() not in {r[0] for _, r in out}  # done elsewhere
    with Cleaner(_double, rules, workers=1) as here:  # one worker: this process
        assert {r[0] for _, r in here.cleaned(pieces)} == {os.getpid()}


def test_a_worker_that_dies_is_an_ingest_error():
    with Cleaner(_die, SimpleNamespace(step="enrolments[x]"), workers=2) as cleaner:
        with pytest.raises(IngestError, match=r"enrolments\[x\].* died before it finished.*"
                                              r"expected inputs.register.workers: 1"):
            list(cleaner.cleaned([pd.DataFrame({"n": [1]}), pd.DataFrame({"n": [2]})]))


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
