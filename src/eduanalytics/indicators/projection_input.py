"""A stacked population table as flat numpy arrays, checked once over all its rows.

:func:`population_rows` turns the rows of a population table that hold an attainment level
into arrays (unit code, level index, first and last age, count) for the projection engine
(:mod:`eduanalytics.indicators.projection_arrays`). The whole table is checked at once with
numpy over its columns: ages whole and not negative, no empty band, counts present and not
negative, attainment levels known, one unit per call unless ``by`` names the unit column,
``total`` rows not mixed with ``male``/``female`` rows of the same unit, no unit missing.
When a check fails, or a column needs converting (ages or counts held as text, ...), the
table goes through the shared checks of :mod:`eduanalytics.tables.checks` instead, which
raise the error naming the row and the value; a table without a ``unit_id`` column takes
that road too (its check for repeated rows compares whole rows).

Text columns are not hashed row by row when their values come in runs, as a stacked table
holds each unit's rows together: only the first value of each run is factorised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from eduanalytics.errors import DataError
from eduanalytics.tables.attainment import LEVELS
from eduanalytics.tables.checks import (
    age_ranges,
    describe_row,
    known_values,
    numeric_counts,
    one_unit_per_group,
    require,
)

_LEVELS = pd.Index(list(LEVELS))


@dataclass(frozen=True)
class Rows:
    """The rows of a population table holding an attainment level, as flat arrays.

    ``codes`` are positions in ``units`` (all 0 without ``by``); ``level`` positions in
    :data:`~eduanalytics.tables.attainment.LEVELS`; ``age_hi`` is -1 for an open top band.
    """

    codes: np.ndarray
    units: pd.Index
    unit_dtype: object
    level: np.ndarray
    age_lo: np.ndarray
    age_hi: np.ndarray
    count: np.ndarray


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """The column's Arrow array when it is held in Arrow (no copy), else None."""
    dt = values.dtype
    if isinstance(dt, pd.ArrowDtype) or (isinstance(dt, pd.StringDtype)
                                         and dt.storage == "pyarrow"):
        return pa.array(values.array)
    return None


def run_starts(values: pd.Series) -> np.ndarray | None:
    """Positions where a new run of equal values begins (None when not cheap to find).

    Missing values each start a run of their own.
    """
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    a = _arrow(values)
    if a is not None:
        change = pc.fill_null(pc.not_equal(a.slice(1), a.slice(0, n - 1)), True)
        change = np.asarray(change.to_numpy(zero_copy_only=False), dtype=bool)
    elif isinstance(values.dtype, np.dtype) and values.dtype.kind in "iufbmM":
        v = values.to_numpy()
        change = v[1:] != v[:-1]
    else:
        return None
    return np.concatenate([[0], np.flatnonzero(change) + 1]).astype(np.int64)


def encode(values: pd.Series, sort: bool = False) -> tuple[np.ndarray, pd.Index]:
    """Codes (integers, -1 for <NA>) and distinct values of a column, like
    :func:`pd.factorize`.

    Categorical columns give their codes (only the categories in use are kept, in category
    order); a column whose values come in runs has only the first value of each run
    factorised.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy(dtype=np.int64)
        cats = values.cat.categories
        used = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0
        if not used.all():
            remap = np.append(np.where(used, np.cumsum(used) - 1, -1), -1)
            codes, cats = remap[codes], cats[used]
        return codes, pd.Index(cats)
    starts = run_starts(values)
    if starts is not None and len(starts) <= len(values) // 4:
        head, uniques = pd.factorize(values.iloc[starts], sort=sort)
        lengths = np.diff(np.append(starts, len(values)))
        small = np.int32 if len(uniques) < 2**31 else np.int64
        return np.repeat(head.astype(small), lengths), pd.Index(uniques)
    codes, uniques = pd.factorize(values, sort=sort)
    return codes.astype(np.int64), pd.Index(uniques)


def level_index(values: pd.Series, what: str, column: str) -> np.ndarray:
    """Position in LEVELS of each value (-1 for <NA>); unknown values raise, naming them."""
    a = _arrow(values)
    if a is not None and (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
        idx = pc.index_in(a, value_set=pa.array(list(LEVELS), type=a.type))
        if idx.null_count == a.null_count:  # no value outside LEVELS
            if idx.null_count:
                idx = pc.fill_null(idx, -1)
            return np.asarray(idx.to_numpy(zero_copy_only=False))  # int32
    codes, uniques = encode(values)
    known_values(pd.Series(uniques, dtype=object), LEVELS, what, column)
    pos = np.append(_LEVELS.get_indexer(uniques.astype(str)), -1)
    return pos[codes]


def _whole(s: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Whole numbers as int64 (-1 where missing) and where they are missing; None when
    the column holds something else (text, fractions)."""
    if pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_integer_dtype(s):
        return s.to_numpy(dtype=np.int64, na_value=-1), s.isna().to_numpy(dtype=bool)
    if not pd.api.types.is_float_dtype(s):
        return None
    f = s.to_numpy(dtype=np.float64, na_value=np.nan)
    missing = np.isnan(f)
    f = np.where(missing, -1.0, f)
    if (f % 1 != 0).any():
        return None
    return f.astype(np.int64), missing


def _ages(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, bool] | None:
    """age_min, age_max (-1 = open) and whether they pass the checks; None if not whole."""
    lo, hi = _whole(df["age_min"]), _whole(df["age_max"])
    if lo is None or hi is None:
        return None
    (lo, _), (hi, open_top) = lo, hi
    ok = bool((lo >= 0).all()) and not ((hi < lo) & ~open_top).any()
    return lo, hi, ok


def _counts(df: pd.DataFrame) -> tuple[np.ndarray, bool] | None:
    s = df["count"]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        return None
    c = s.to_numpy(dtype=np.float64, na_value=np.nan)
    return c, not (~(c >= 0)).any()


def _holds(values: pd.Series, value: str) -> bool:
    """Whether any value equals ``value`` (one comparison per row, no hashing)."""
    a = _arrow(values)
    if a is not None and (pa.types.is_string(a.type) or pa.types.is_large_string(a.type)):
        return bool(pc.any(pc.equal(a, value)).as_py())
    return bool(values.eq(value).any())


def _pooling_ok(df: pd.DataFrame, by: str | None, codes: np.ndarray) -> bool:
    """The fast form of :func:`one_unit_per_group` (False: let it raise, or unsure)."""
    if "unit_id" not in df.columns:
        return False
    if by != "unit_id" and (encode(df["unit_id"])[0].max(initial=-1) > 0):
        return False
    if "sex" not in df.columns or by == "sex" or not _holds(df["sex"], "total"):
        return True
    starts = run_starts(df["sex"])
    sex = df["sex"] if starts is None else df["sex"].iloc[starts]
    where = codes if starts is None else codes[starts]
    sc, su = encode(sex)
    is_tot = np.append(su.isin(["total"]), False)[sc]
    is_mf = np.append(su.isin(["male", "female"]), False)[sc]
    if not (is_tot.any() and is_mf.any()):
        return True
    if by is None:
        return False
    n = int(where.max(initial=-1)) + 1
    ok = where >= 0
    both = (np.bincount(where[ok & is_tot], minlength=n) > 0) & (
        np.bincount(where[ok & is_mf], minlength=n) > 0)
    return not both.any()


def _units(df: pd.DataFrame, by: str | None, what: str) -> tuple[np.ndarray, pd.Index, object]:
    if by is None:
        return np.zeros(len(df), dtype=np.int64), pd.Index([None], dtype=object), None
    codes, units = encode(df[by], sort=True)
    if (codes < 0).any():
        i = df.index[int(np.argmax(codes < 0))]
        raise DataError(f"{what}: {by} is missing at {describe_row(df, i)}", column=by,
                        expected=f"a {by} on every row", found="<NA>")
    return codes, units, df[by].dtype


def _rows(df: pd.DataFrame, by: str | None, what: str, checked: bool) -> Rows | None:
    """Arrays of ``df``'s rows (all holding a level); None when a check fails."""
    ages, counts = _ages(df), _counts(df)
    if ages is None or counts is None:
        return None
    if not checked and not (ages[2] and counts[1]):
        return None
    level = level_index(df["attainment"], what, "attainment")
    codes, units, unit_dtype = _units(df, by, what)
    if not checked and not _pooling_ok(df, by, codes):
        return None
    return Rows(codes, units, unit_dtype, level, ages[0], ages[1], counts[0])


def population_rows(population: pd.DataFrame, by: str | None,
                    what: str = "population") -> Rows:
    """Check ``population`` and return its rows that hold an attainment level as arrays.

    Parameters
    ----------
    population : DataFrame
        age_min, age_max, attainment, count (and ``by``; unit_id, sex when present).
    by : str or None
        Column holding the unit, or None for one unit.
    what : str
        Table name for messages.

    Returns
    -------
    Rows

    Raises
    ------
    DataError
        As :func:`~eduanalytics.tables.checks.age_ranges`, ``numeric_counts``,
        ``known_values`` and ``one_unit_per_group`` would, naming the row; a row without
        a ``by`` value.
    """
    require(population, [*([by] if by else []), "age_min", "age_max", "attainment", "count"],
            what)
    cols = list(dict.fromkeys([*([by] if by else []),
                               *(c for c in ("unit_id", "sex") if c in population.columns),
                               "age_min", "age_max", "attainment", "count"]))
    keep = population["attainment"].notna().to_numpy(dtype=bool)
    df = population if keep.all() else population.loc[keep, cols]
    rows = _rows(df, by, what, checked=False)
    if rows is not None:
        return rows
    p = age_ranges(df[cols], what)
    p = numeric_counts(p, ["count"], what)
    known_values(p["attainment"], LEVELS, what, "attainment")
    one_unit_per_group(p, [by] if by else [], what)
    rows = _rows(p, by, what, checked=True)
    if rows is None:  # the checks passed, so the columns are numbers by now
        raise DataError(f"{what}: ages or counts that are not numbers", column="count",
                        expected="numbers", found="other values")
    return rows
