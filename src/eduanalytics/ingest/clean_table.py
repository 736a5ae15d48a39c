"""The clean table of a register put together from its pieces.

Pieces keep their coded text columns (:data:`COMPACT`) as categoricals of ``str``
(:func:`compact`): a handful of distinct values whatever the row count.
:func:`concat_compact` puts pieces together column by column into one new array per
column, uniting their categories in sorted order and leaving out, as it copies, the rows
not kept (duplicates) and the columns not asked for (the working ones); text stays the
pieces' Arrow chunks. :func:`by_column` runs such per-column work on threads.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.arrow_text import dictionary_codes
from eduanalytics.ingest.register_workers import usable_cores

#: Clean columns held as categoricals between pieces (few distinct values each).
COMPACT = ("unit_id", "programme", "level_from", "level_to", "batch", "status",
           "register_fail_reason", "mode", "sex", "school_unit_id", "_file")


def _str_category(s: pd.Series) -> pd.Series:
    """A text column as a categorical whose categories are ``str`` (whatever it held)."""
    coded = dictionary_codes(s)
    if coded is not None:
        cats = pd.Index(coded[1].to_pylist(), dtype="str")
        return pd.Series(pd.Categorical.from_codes(coded[0], dtype=pd.CategoricalDtype(cats),
                                                   validate=False), index=s.index)
    if not isinstance(s.dtype, pd.CategoricalDtype):
        return s.astype("str").astype("category")
    if s.cat.categories.dtype != "str":
        return s.cat.rename_categories(pd.Index(s.cat.categories.astype(str), dtype="str"))
    return s


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its :data:`COMPACT` columns as categoricals of ``str`` (the others
    untouched)."""
    cols = {c: _str_category(frame[c]) for c in COMPACT if c in frame.columns}
    return frame.assign(**cols) if cols else frame


#: pandas' nullable arrays: values and a missing flag each.
_MASKED = (pd.arrays.IntegerArray, pd.arrays.BooleanArray, pd.arrays.FloatingArray)


def concat_compact(frames: list[pd.DataFrame], keep: list[np.ndarray | None] | None = None,
                   columns: list[str] | None = None) -> pd.DataFrame:
    """Concatenate compact pieces column by column, uniting the categories of each
    categorical column in sorted order (a plain ``pd.concat`` would fall back to Python
    objects when the categories differ; sorting makes the result independent of where
    pieces are cut).

    ``keep`` (one boolean array per piece, or None for all its rows) leaves rows out as
    they are copied, and ``columns`` (default the first piece's) picks the columns: each
    kept value is copied once (a concatenation followed by a filter would copy it twice),
    and text stays the pieces' Arrow data, not copied at all where a piece keeps every row.
    """
    columns = list(frames[0].columns) if columns is None else columns
    keep = [None] * len(frames) if keep is None else keep
    sizes = [len(f) if k is None else int(np.count_nonzero(k)) for f, k in zip(frames, keep, strict=True)]
    return pd.DataFrame(by_column(lambda c: _stacked([f[c] for f in frames], keep, sizes), columns),
                        index=pd.RangeIndex(sum(sizes)), copy=False)


def by_column(fn: Callable[[str], object], columns: list[str]) -> dict[str, object]:
    """``{column: fn(column)}``, the columns on threads, one per usable core (numpy's copies
    and Arrow's kernels let go of the GIL: the work after the last piece would otherwise
    run on one core while the others idle)."""
    threads = min(usable_cores(), len(columns))
    if threads < 2:
        return {c: fn(c) for c in columns}
    with ThreadPoolExecutor(threads, thread_name_prefix="eduanalytics-columns") as pool:
        return dict(zip(columns, pool.map(fn, columns), strict=True))


def _stacked(parts: list[pd.Series], keep: list[np.ndarray | None], sizes: list[int]):
    """One column of :func:`concat_compact`: the parts' kept values, one after another."""
    first = parts[0].array
    if all(p.dtype == parts[0].dtype for p in parts):
        if isinstance(first, pd.arrays.ArrowStringArray):  # the pieces' Arrow chunks
            chunks = [c for p, k in zip(parts, keep, strict=True)
                      for c in (p.array._pa_array if k is None
                                else p.array._pa_array.filter(pa.array(k))).chunks if len(c)]
            return (pd.arrays.ArrowStringArray(pa.chunked_array(chunks), dtype=first.dtype)
                    if chunks else first[:0])
        if isinstance(first, _MASKED):  # Int64, boolean: values and missing flags
            blank = first.dtype.numpy_dtype.type(0)
            return type(first)(_filled_into([p.array.to_numpy(first.dtype.numpy_dtype, na_value=blank)
                                             for p in parts], keep, sizes),
                               _filled_into([p.isna().to_numpy() for p in parts], keep, sizes))
        if isinstance(parts[0].dtype, np.dtype):  # numbers, dates, flags
            return _filled_into([p.to_numpy() for p in parts], keep, sizes)
    if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
        values = sorted(set().union(*(p.cat.categories for p in parts)))
        cats = pd.Index(values, dtype="str") if values else parts[0].cat.categories
        kind = np.int8 if len(cats) < 127 else np.int16 if len(cats) < 32767 else np.int32
        # each piece's codes renumbered into the united categories (-1, missing, stays -1)
        codes = [_recoded(p.cat.codes.to_numpy(), cats.get_indexer(p.cat.categories), kind)
                 for p in parts]
        return pd.Categorical.from_codes(_filled_into(codes, keep, sizes),
                                         dtype=pd.CategoricalDtype(cats), validate=False)
    return pd.concat([p if k is None else p[k] for p, k in zip(parts, keep, strict=True)],
                     ignore_index=True).array


def _recoded(codes: np.ndarray, new: np.ndarray, kind: type) -> np.ndarray:
    """Codes renumbered (code ``i`` becomes ``new[i]``, -1 stays -1) as integers of ``kind``;
    the codes themselves when nothing changes."""
    if codes.dtype == kind and (new == np.arange(len(new))).all():
        return codes
    return np.append(new, -1).astype(kind)[codes]


def _filled_into(arrays: list[np.ndarray], keep: list[np.ndarray | None], sizes: list[int]) -> np.ndarray:
    """The arrays' kept values written one after another into one new array."""
    out = np.empty(sum(sizes), dtype=arrays[0].dtype)
    at = 0
    for a, k, n in zip(arrays, keep, sizes, strict=True):
        if k is None:
            out[at:at + n] = a
        else:
            np.compress(k, a, out=out[at:at + n])
        at += n
    return out


def _sorted_str(s: pd.Series) -> pd.Series:
    """A categorical whose categories are the values present, as sorted ``str`` (``s``
    itself when they already are)."""
    s = _str_category(s)
    codes, cats = s.cat.codes.to_numpy(), s.cat.categories
    seen = np.zeros(len(cats) + 1, dtype=bool)  # O(rows), no sort; the last entry: missing
    seen[codes] = True
    used = np.flatnonzero(seen[:-1])
    if len(used) == len(cats) and cats.is_monotonic_increasing:
        return s
    order = sorted(range(len(used)), key=lambda i: cats[used[i]])
    new = np.full(len(cats), -1, dtype=np.int64)  # an unused category's code: none
    new[used[order]] = np.arange(len(order))
    dtype = pd.CategoricalDtype(pd.Index([cats[used[i]] for i in order], dtype="str"))
    return pd.Series(pd.Categorical.from_codes(_recoded(codes, new, codes.dtype.type), dtype=dtype,
                                               validate=False), index=s.index, name=s.name)
