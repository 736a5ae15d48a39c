"""Text columns as the Arrow data behind them: one array, fixed-width byte matrices, codes,
and back again.

The register's vectorised steps (ID check digits, learner keys, masks, rejected-row JSON,
categoricals, duplicate groups, rejected-row records) work on the Arrow buffers of pandas'
Arrow-backed strings rather than on a Python object per value. The first three functions
reach those buffers; :func:`category_text`, :func:`text_array` and :func:`repeated_text`
build text columns from Arrow arrays without a Python string per value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def arrow_strings(s: pd.Series) -> pa.Array:
    """The text of ``s`` as one contiguous Arrow string array (the Series' own Arrow data,
    not copied, when it is Arrow-backed; converted otherwise). Missing values stay null."""
    arr = pa.array(s.astype("string").array)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _offsets(arr: pa.Array) -> np.ndarray:
    kind = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    return np.frombuffer(arr.buffers()[1], dtype=kind)[arr.offset:arr.offset + len(arr) + 1]


def value_bytes(arr: pa.Array) -> np.ndarray:
    """The bytes of a string array's values, one after another, as uint8 viewing Arrow's
    buffer (a missing value has none)."""
    if not len(arr) or arr.buffers()[2] is None:
        return np.zeros(0, dtype=np.uint8)
    offsets = _offsets(arr)
    return np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]


def fixed_width_bytes(arr: pa.Array, width: int) -> np.ndarray | None:
    """The bytes of a string array whose every value is ``width`` bytes long, as an
    ``(n, width)`` uint8 matrix viewing Arrow's buffer; None when a value is missing or of
    another length."""
    n = len(arr)
    if n == 0:
        return np.zeros((0, width), dtype=np.uint8)
    if arr.null_count:
        return None
    offsets = _offsets(arr)
    if offsets[-1] - offsets[0] != width * n or not (np.diff(offsets) == width).all():
        return None
    return value_bytes(arr).reshape(n, width)


def dictionary_codes(s: pd.Series) -> tuple[np.ndarray, pa.Array] | None:
    """Arrow's dictionary encoding of an Arrow-backed text column: integer codes (-1 for
    missing) and the distinct values, numbered in order of first appearance; None when
    ``s`` is not Arrow-backed text."""
    arr = getattr(s.array, "_pa_array", None)
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return None
    enc = (arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr).dictionary_encode()
    return pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), enc.dictionary


def category_text(s: pd.Series) -> pa.Array:
    """The values of a categorical of text as one Arrow array: its categories (as Arrow)
    taken by its codes, null where a value is missing, without a Python string per value
    (pandas' ``astype`` from a categorical: 7.5 ms against 0.6 ms for 23,000 values of
    3,000 categories)."""
    cat = s.array
    codes = np.asarray(cat.codes)
    return arrow_strings(pd.Series(cat.categories)).take(pa.array(codes, mask=codes < 0))


#: pandas' default text dtype (``"str"``: Arrow-backed, NaN for missing).
TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def text_array(arr: pa.Array | pa.ChunkedArray) -> pd.api.extensions.ExtensionArray:
    """Arrow text as pandas' default text array (``"str"``), without converting a value."""
    arr = arr.cast(pa.large_string())
    return pd.arrays.ArrowStringArray(arr if isinstance(arr, pa.ChunkedArray)
                                      else pa.chunked_array([arr]), dtype=TEXT)


def repeated_text(values: list[str], counts: list[int]) -> pa.Array:
    """Each of ``values`` repeated its count of times, in order, as one Arrow array."""
    which = np.repeat(np.arange(len(values)), counts)
    return pa.array(values, pa.large_string()).take(pa.array(which))
