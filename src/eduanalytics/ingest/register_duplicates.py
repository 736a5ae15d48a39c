"""Duplicates in a register: rows repeating an earlier row's key, found exactly.

Both engines end here: the pandas engine over all its clean rows at once, the Dask engine
one learner-key bucket at a time (every row of a key in the same bucket). Rows are numbered
by group from the columns' integer codes (Arrow's hash table for text; no Python object
per value, no collisions), in order of first appearance, so "a later row of the same
group" is one pass over the numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.arrow_text import dictionary_codes, text_array


def _codes(s: pd.Series) -> np.ndarray:
    """Integer codes of a column's values (-1 for missing): Arrow's hash table for Arrow
    strings (no Python string per value), the codes of a categorical, factorize else."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(dtype=np.int64)
    coded = dictionary_codes(s)
    if coded is not None:
        return coded[0].astype(np.int64)
    return pd.factorize(s, use_na_sentinel=True)[0].astype(np.int64)


def group_ids(keys: pd.DataFrame, cols: list[str]) -> np.ndarray:
    """One integer per row, equal exactly when the rows' ``cols`` are equal (missing equal
    to missing): per-column codes combined pairwise and re-factorised, so no hashing of
    Python objects and no collisions. Numbered in order of first appearance."""
    group = np.zeros(len(keys), dtype=np.int64)
    for i, c in enumerate(cols):
        code = _codes(keys[c]) + 1  # 0 = missing
        # a first column's codes are used as they are when more columns follow; each later
        # column is combined with them and the pairs numbered again
        group = code if i == 0 else group * (int(code.max(initial=0)) + 1) + code
        if i > 0 or len(cols) == 1:
            group = pd.factorize(group)[0].astype(np.int64)
    return group


#: Bits of a :func:`file_positions` value holding the row number (the file's position above).
ROW_BITS = 40


def file_positions(rows: pd.DataFrame, order: dict[str, int]) -> np.ndarray:
    """Each row's place in the register as one integer, increasing in file order (``order``:
    file -> position) then row: ``position * 2**ROW_BITS + _row``."""
    f = rows["_file"]
    if isinstance(f.dtype, pd.CategoricalDtype):
        codes, files = f.cat.codes.to_numpy(), f.cat.categories
    else:  # each distinct name looked up once (a map per row took 0.17 s for 370k rows)
        codes, files = pd.factorize(f)
    part = np.array([order[str(c)] for c in files], dtype=np.int64)[codes]
    return (part << ROW_BITS) + rows["_row"].to_numpy(dtype=np.int64)


def among(values: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """True where each of ``values`` is in ``pool`` (integers, such as
    :func:`file_positions`), through a hash table: linear time. ``np.isin`` sorts both
    arrays whenever the values span a range wider than its lookup table allows, which
    positions always do: measured 0.9 s against 0.05 s for 370,000 values among 765,000."""
    return pd.Index(values).isin(pool)


def find_duplicates(keys: pd.DataFrame, key_cols: list[str], order: dict[str, int]) -> pd.DataFrame:
    """Rows repeating an earlier row's key (file order, then row number).

    Parameters
    ----------
    keys : DataFrame
        ``key_cols`` plus ``_file`` and ``_row``; every row of a key must be present (the
        Dask engine shuffles on ``learner_key`` first).
    key_cols : list of str
        The duplicate key.
    order : dict
        File -> position, for "earlier".

    Returns
    -------
    DataFrame
        ``_file``, ``_row`` of each duplicate, ``first_file``, ``first_row`` of its first.
    """
    cols = ["_file", "_row", "first_file", "first_row"]
    if keys.empty:
        return pd.DataFrame(columns=cols)
    pos = file_positions(keys, order)
    k = keys[key_cols].reset_index(drop=True)
    if not (np.diff(pos) >= 0).all():
        o = np.argsort(pos, kind="stable")
        k, pos = k.iloc[o].reset_index(drop=True), pos[o]
    group = group_ids(k, key_cols)
    # groups are numbered in order of first appearance: a row repeats an earlier key exactly
    # when its number is not above every number before it (no second hash table)
    seen = np.maximum.accumulate(np.concatenate([[-1], group[:-1]]))
    dup = group <= seen
    if not dup.any():
        return pd.DataFrame(columns=cols)
    later, first = np.flatnonzero(dup), np.flatnonzero(~dup)[group[dup]]
    # file names as text taken by Arrow from the few names (not a Python string per row)
    files = pa.array([str(n) for n in sorted(order, key=order.get)], pa.large_string())
    row = (1 << ROW_BITS) - 1
    return pd.DataFrame({"_file": text_array(files.take(pa.array(pos[later] >> ROW_BITS))),
                         "_row": (pos[later] & row).astype(np.int64),
                         "first_file": text_array(files.take(pa.array(pos[first] >> ROW_BITS))),
                         "first_row": (pos[first] & row).astype(np.int64)})
