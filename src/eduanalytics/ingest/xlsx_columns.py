"""A worksheet's body as columns, built in bulk from python-calamine's rows.

calamine parses the sheet (in Rust) and hands out rows of Python values. They are taken in
blocks of :data:`BLOCK` rows; a block of text only goes to Arrow in one piece (a list
array, cut into columns by ``take``), any other block is transposed into columns (``zip``);
every column is converted as a whole, so no Python code runs per cell:

- a column holding only text (empty cells included) becomes an Arrow-backed string column
  (``pd.StringDtype("pyarrow")``, as :mod:`eduanalytics.ingest.columnar` gives for CSV),
  an empty cell missing;
- any other column keeps the cells as Excel holds them, in an object column: an empty cell
  None, a whole number an ``int`` (calamine reads every number as a float:
  331004199001011234 stored as a number must not become 3.31e17), a date-only cell a
  ``datetime``, anything else (text, fractions, date-times, booleans) as calamine gives it.

Cells of a range merged below the header take the range's value (a unit typed once over
several learners' rows); rows whose cells are all empty or blank are dropped, ``_row``
keeping the Excel row number of the others.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Rows converted at a time (bounds the Python objects alive at once).
BLOCK = 65_536
_STRING = pd.StringDtype("pyarrow")
_NULL_STR = pa.scalar(None, pa.string())
_INT64_MAX = float(2**63 - 1)
#: A cell's kind by its exact type (a datetime is not a date here: it stays as it is).
_OTHER, _STR, _FLOAT, _DATE, _NONE = range(5)
_KIND = defaultdict(int, {str: _STR, float: _FLOAT, dt.date: _DATE, type(None): _NONE})


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the row lists calamine creates are containers,
    and millions of them make the collector walk everything alive again and again (none
    of them is part of a cycle; reference counting frees them)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def text_column(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """An Arrow string column with ``""`` made missing, and where it is not blank."""
    blank = pc.equal(pc.utf8_trim_whitespace(values), "").to_numpy(zero_copy_only=False)
    empty = pc.equal(values, "")
    if pc.any(empty).as_py():
        values = pc.if_else(empty, _NULL_STR, values)
    return values, ~blank


def object_column(cells: tuple | list) -> tuple[np.ndarray, np.ndarray]:
    """Mixed cells as Excel holds them (see the module notes), and where they are not
    blank (None, or text of whitespace only)."""
    n = len(cells)
    out = np.fromiter(cells, dtype=object, count=n)
    kind = np.fromiter(map(_KIND.__getitem__, map(type, cells)), dtype=np.int8, count=n)
    nonblank = kind != _NONE
    is_str = kind == _STR
    if is_str.any():
        text, keep = text_column(pa.array(out[is_str].tolist(), type=pa.string()))
        nonblank[is_str] = keep
        out[np.flatnonzero(is_str)[text.is_null().to_numpy(zero_copy_only=False)]] = None
    is_float = kind == _FLOAT
    if is_float.any():
        x = out[is_float].astype(float)
        whole = np.isfinite(x) & (np.floor(x) == x)
        small = whole & (np.abs(x) <= _INT64_MAX)
        pos = np.flatnonzero(is_float)
        out[pos[small]] = x[small].astype(np.int64).astype(object)
        big = whole & ~small
        if big.any():
            out[pos[big]] = [int(v) for v in x[big]]
    is_date = kind == _DATE
    if is_date.any():
        days = pa.array(out[is_date].tolist(), type=pa.date32())
        out[is_date] = days.cast(pa.timestamp("us")).to_numpy().astype(object)
    return out, nonblank


def convert(cells: tuple | list) -> tuple[pa.Array | np.ndarray, np.ndarray]:
    """One block of one column: an Arrow string array when every cell is text, else an
    object array (:func:`object_column`); and where the cells are not blank."""
    try:
        values = pa.array(cells, type=pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return object_column(cells)
    return text_column(values)


def text_block(rows: list[list], col0: int = 0) -> list[tuple[pa.Array, np.ndarray]] | None:
    """A block of rows whose every cell is text, as columns (see :func:`convert`), through
    one Arrow list array (no transposing in Python); None when a cell is not text."""
    n, w = len(rows), len(rows[0])
    try:
        flat = pa.array(rows, type=pa.list_(pa.string())).flatten()
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return None
    if len(flat) != n * w:
        return None
    values, nonblank = text_column(flat)
    nonblank = nonblank.reshape(n, w)
    lead = [(pa.nulls(n, pa.string()), np.zeros(n, dtype=bool))] * col0
    return lead + [(values.take(pa.array(np.arange(i, n * w, w))), nonblank[:, i])
                   for i in range(w)]


@dataclass
class Body:
    """What :func:`body_columns` returns: the columns (in sheet order), the Excel row
    number of each kept row, and how many cells merged ranges filled."""

    columns: list[pd.api.extensions.ExtensionArray | np.ndarray]
    rows: np.ndarray
    filled: int = 0


class _Merges:
    """Merged ranges below the header, filled block by block."""

    def __init__(self, merged: list, start: int, width: int, end: int) -> None:
        self.ranges = [((r0, c0), (min(r1, end), min(c1, width - 1)))
                       for (r0, c0), (r1, c1) in merged if start <= r0 <= end and c0 < width]
        self.values: dict[tuple[int, int], object] = {}
        self.filled = sum((r1 - r0 + 1) * (c1 - c0 + 1) - 1 for (r0, c0), (r1, c1) in self.ranges)

    def touch(self, first: int, last: int) -> bool:
        """True when a range lies (partly) within rows ``first`` to ``last``."""
        return any(r0 <= last and r1 >= first for (r0, _), (r1, _) in self.ranges)

    def fill(self, cols: list, first: int) -> list:
        """The block's columns (rows ``first`` on) with merged cells holding their value."""
        last = first + (len(cols[0]) if cols else 0) - 1
        for (r0, c0), (r1, c1) in self.ranges:
            if r1 < first or r0 > last:
                continue
            if r0 >= first:
                self.values[(r0, c0)] = cols[c0][r0 - first]
            v = self.values[(r0, c0)]
            lo, hi = max(r0, first) - first, min(r1, last) - first
            for c in range(c0, c1 + 1):
                col = cols[c] if isinstance(cols[c], list) else list(cols[c])
                col[lo:hi + 1] = [v] * (hi - lo + 1)
                cols[c] = col
        return cols


def body_columns(blocks: Iterable[tuple[int, list[list]]], width: int, merged: list,
                 start: int, end: int, col0: int = 0) -> Body:
    """Convert a sheet's body, given as blocks of rows, into columns.

    Parameters
    ----------
    blocks : iterable of (int, list of list)
        ``(first, rows)``: ``rows`` are the sheet's rows from 0-based row ``first`` on,
        each ``width - col0`` cells long (from column ``col0``).
    width : int
        Number of columns.
    merged : list
        Merged ranges ``((row0, col0), (row1, col1))``, 0-based inclusive; those starting
        at or below ``start`` are filled.
    start, end : int
        0-based first body row and last row of the sheet.
    col0 : int
        0-based column of the rows' first cell (the columns before it are empty).

    Returns
    -------
    Body
    """
    merges = _Merges(merged, start, width, end)
    parts: list[list] = [[] for _ in range(width)]
    kept: list[np.ndarray] = []
    with no_gc():
        for first, rows in blocks:
            if not rows:
                continue
            last = first + len(rows) - 1
            done = None if merges.touch(first, last) else text_block(rows, col0)
            if done is None:
                cols = [("",) * len(rows)] * col0 + list(zip(*rows, strict=True))
                done = [convert(c) for c in merges.fill(cols, first)]
                del cols
            del rows
            keep = np.logical_or.reduce([nb for _, nb in done]) if done else np.zeros(0, bool)
            kept.append(first + 1 + np.flatnonzero(keep))
            whole = bool(keep.all())
            for i, (values, _) in enumerate(done):
                parts[i].append(values if whole else (values.filter(pa.array(keep))
                                                      if isinstance(values, pa.Array)
                                                      else values[keep]))
    rows = np.concatenate(kept).astype(np.int64) if kept else np.zeros(0, np.int64)
    return Body(columns=[join(p) for p in parts], rows=rows, filled=merges.filled)


def join(parts: list) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """A column's blocks as one array: Arrow strings if every block is text, else objects."""
    if all(isinstance(p, pa.Array) for p in parts):
        chunked = pa.chunked_array(parts, type=pa.string())
        return pd.array(pd.arrays.ArrowStringArray(chunked), dtype=_STRING)
    objs = [p.to_numpy(zero_copy_only=False) if isinstance(p, pa.Array) else p for p in parts]
    return np.concatenate(objs) if objs else np.empty(0, dtype=object)


def row_blocks(rows: Iterator[list], first: int, size: int = BLOCK) -> Iterator[tuple[int, list[list]]]:
    """``(first row, rows)`` blocks of ``size`` rows from an iterator of rows."""
    while True:
        block = list(itertools.islice(rows, size))
        if not block:
            return
        yield first, block
        first += len(block)
