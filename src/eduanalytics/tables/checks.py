"""Input checks shared by the indicator functions: fail loudly, name what is wrong.

Every check raises :class:`eduanalytics.errors.DataError` (an ``InputError`` and a
``ValueError``) whose message names the table, the column, the row (its index label and the
unit / level / ages it holds) and what was expected. Nothing here prints, logs or returns a
silently repaired figure.

Counts held as text are refused rather than coerced: a processed table carries numbers
(ingest parses ``"1,234"`` with :mod:`eduanalytics.normalise.numbers` and logs it), so text
in a count column means the table skipped ingest, and guessing whether ``"1,234"`` is one
thousand or 1.234 is not an indicator's job. The error names the column and the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.labels import label
from eduanalytics.tables.columns import PROGRAMMES

#: Columns that identify a row in messages, when the table has them.
_KEY = ("unit_id", "source", "year", "sex", "age_min", "age_max", "attainment", "programme",
        "level_from", "level_to")


def describe_row(df: pd.DataFrame, index, key: Sequence[str] = _KEY) -> str:
    """``"row 7 (unit_id 330000, ages 6+, attainment bachelor 大学本科)"`` for messages."""
    r = df.loc[index]
    if isinstance(r, pd.DataFrame):
        r = r.iloc[0]
    parts = []
    for c in key:
        if c not in df.columns or c == "age_max":
            continue
        v = r[c]
        if c == "age_min" and "age_max" in df.columns:
            top = r["age_max"]
            parts.append(f"ages {v}+" if pd.isna(top) else f"ages {v}-{top}")
        elif c in ("attainment", "level_from", "level_to") and pd.notna(v):
            parts.append(f"{c} {v} ({label(str(v))})")
        else:
            parts.append(f"{c} {v}")
    return f"row {index}" + (f" ({', '.join(parts)})" if parts else "")


def require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`DataError` naming the columns ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{what}: missing column(s) {missing}", column=missing[0],
                        expected=f"columns {list(columns)}", found=list(df.columns))


def numeric_counts(df: pd.DataFrame, columns: Iterable[str], what: str,
                   allow_missing: bool = False) -> pd.DataFrame:
    """The table with its count columns as numbers, checked: no text, no NaN, none < 0.

    Parameters
    ----------
    df : DataFrame
        The table.
    columns : iterable of str
        Count columns.
    what : str
        Table name for messages.
    allow_missing : bool
        Accept <NA> counts (default: a missing count raises, because dropping it would
        change the figure without a word).

    Returns
    -------
    DataFrame
        ``df`` (a copy only when a column had to be turned from object into numbers).

    Raises
    ------
    DataError
        A count held as text that is not a plain number (e.g. ``"1,234"``), a missing
        count, or a negative count; the message names the column, the row and the value.
    """
    out = df
    for col in columns:
        s = out[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            num = pd.to_numeric(s.astype("object"), errors="coerce")
            bad = num.isna() & s.notna()
            if bad.any():
                i = bad.idxmax()
                raise DataError(f"{what}: {col} holds text that is not a number at "
                                f"{describe_row(df, i)}", column=col,
                                expected="numbers (parse text such as '1,234' at ingest)",
                                found=s[i])
            out = out.assign(**{col: num})
        if not allow_missing:
            nan = out[col].isna()
            if nan.any():
                raise DataError(f"{what}: {col} is missing at {describe_row(df, nan.idxmax())} "
                                f"({int(nan.sum())} missing in all)", column=col,
                                expected="a count (0 when there is nobody)", found="NaN")
    non_negative(out, columns, what)
    return out


def non_negative(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`DataError` if any count is negative (naming the first offending row)."""
    for col in columns:
        neg = pd.to_numeric(df[col], errors="coerce").lt(0).fillna(False)
        if neg.any():
            i = neg.idxmax()
            raise DataError(f"{what}: negative {col} at {describe_row(df, i)}", column=col,
                            expected="counts >= 0", found=df.loc[i, col])


def age_ranges(df: pd.DataFrame, what: str) -> pd.DataFrame:
    """The table with ``age_min``/``age_max`` as whole numbers (Int64), checked.

    ``age_max`` <NA> is an open top band ("60+"); ``age_max < age_min`` is a band of no
    single year at all (zero width), which no count can belong to.

    Raises
    ------
    DataError
        An age that is text or not whole, a missing or negative ``age_min``, or an empty
        range; the message names the row.
    """
    out = df
    for col in ("age_min", "age_max"):
        s = df[col]
        if pd.api.types.is_integer_dtype(s):
            continue
        num = pd.to_numeric(s.astype("object"), errors="coerce")
        bad = (num.isna() & s.notna()) | (num.notna() & (num % 1 != 0))
        if bad.any():
            i = bad.idxmax()
            raise DataError(f"{what}: {col} is not a whole number of years at "
                            f"{describe_row(df, i)}", column=col, expected="whole years",
                            found=s[i])
        out = out.assign(**{col: num.astype("Int64")})
    lo, hi = out["age_min"], out["age_max"]
    for bad, msg, exp in (
        (lo.isna(), "age_min is missing", "a whole number of years >= 0"),
        (lo.lt(0).fillna(False), "negative age_min", "ages >= 0"),
        ((hi.notna() & lo.notna() & hi.lt(lo)).fillna(False), "age_max below age_min (a band "
         "of zero width)", "age_max >= age_min, or <NA> for an open top band"),
    ):
        if bad.any():
            i = bad.idxmax()
            raise DataError(f"{what}: {msg} at {describe_row(df, i)}", column="age_min",
                            expected=exp, found=f"{lo[i]}-{hi[i]}")
    return out


def known_values(values: pd.Series, allowed: Iterable[str], what: str, column: str) -> None:
    """Raise :class:`DataError` for values of ``column`` outside ``allowed`` (<NA> allowed)."""
    allowed = list(allowed)
    bad = sorted({str(v) for v in pd.unique(values.dropna())} - set(allowed))
    if bad:
        raise DataError(f"{what}: unknown {column} value(s) {bad}", column=column,
                        expected=f"one of {allowed}", found=bad)


def known_programmes(values: Iterable[str], allowed: Iterable[str] | None = None) -> None:
    """Raise :class:`DataError` for a programme id that is not known."""
    allowed = set(allowed or PROGRAMMES)
    bad = sorted(set(map(str, values)) - allowed)
    if bad:
        raise DataError(f"unknown programme(s) {bad}", column="programme",
                        expected=f"one of {sorted(allowed)}", found=bad)


def one_unit_per_group(df: pd.DataFrame, by: Sequence[str], what: str,
                       key: Sequence[str] = ("age_min", "age_max", "attainment")) -> None:
    """Refuse tables that would pool several units, or count people twice, silently.

    Raises :class:`DataError` when

    * ``unit_id`` holds several units but is not among ``by`` (group by it, or give the
      rows one ``unit_id`` to pool them on purpose);
    * there is no ``unit_id`` column and the same ``by`` + ``key`` (+ sex, source, year)
      appears on several rows: units stacked without a grouping column;
    * ``sex`` is not among ``by`` and a group mixes ``total`` rows with ``male``/``female``
      rows (everyone would be counted twice).
    """
    by = list(by)
    if "unit_id" in df.columns and "unit_id" not in by:
        units = pd.unique(df["unit_id"].dropna())
        if len(units) > 1:
            raise DataError(f"{what}: {len(units)} units stacked ({list(units[:5])}...) without "
                            "grouping by them; pass by=('unit_id', ...) or give the rows one "
                            "unit_id to pool them on purpose", column="unit_id",
                            expected="one unit, or unit_id among by", found=len(units))
    if "unit_id" not in df.columns:
        cols = [c for c in [*by, *key, "sex", "source", "year"] if c in df.columns]
        dup = df.duplicated(list(dict.fromkeys(cols)), keep=False)
        if dup.any():
            raise DataError(f"{what}: {describe_row(df, dup.idxmax())} appears "
                            f"{int(dup.sum())} times; several units stacked without a unit_id "
                            "column?", column="unit_id", expected="one row per group and level",
                            found="repeated rows")
    if "sex" in df.columns and "sex" not in by and len(df):
        tot = df["sex"].eq("total").to_numpy(dtype=bool)
        mf = df["sex"].isin(["male", "female"]).to_numpy(dtype=bool)
        if not (tot.any() and mf.any()):
            return
        if by:
            grp = [df[c] for c in by]
            tot = pd.Series(tot, index=df.index).groupby(grp).transform("any").to_numpy()
            mf = pd.Series(mf, index=df.index).groupby(grp).transform("any").to_numpy()
            both = tot & mf
        else:  # one group, which holds both kinds: name its first 'total' row
            both = tot
        if both.any():
            i = df.index[both.argmax()]
            raise DataError(f"{what}: sex 'total' rows mixed with male/female rows at "
                            f"{describe_row(df, i)}; keep one or the other", column="sex",
                            expected="total, or male and female", found="both")


def age_band_labels(bands: Iterable[Iterable[int]]) -> list[tuple[int, int, str]]:
    """``[[20, 29], ...]`` -> ``[(20, 29, "20-29"), ...]``; overlapping bands raise."""
    out = sorted((int(a), int(b), f"{int(a)}-{int(b)}") for a, b in bands)
    for a, b, _ in out:
        if b < a:
            raise DataError(f"age band {a}-{b} is empty", column="age_bands",
                            expected="[age_min, age_max] with age_max >= age_min", found=[a, b])
    for (a1, b1, _), (a2, _, _) in zip(out, out[1:], strict=False):
        if a2 <= b1:
            raise DataError(f"age bands overlap: {a1}-{b1} and one starting at {a2}",
                            column="age_bands", expected="bands that do not overlap")
    return out


def band_of_ages(ages: pd.Series, bands: Iterable[Iterable[int]]) -> pd.Series:
    """Label single ages with their band (``"20-29"``); ages outside every band -> <NA>."""
    out = pd.Series(pd.NA, index=ages.index, dtype="string")
    for a, b, lab in age_band_labels(bands):
        out = out.mask(ages.between(a, b).fillna(False), lab)
    return out


def band_of_ranges(age_min: pd.Series, age_max: pd.Series,
                   bands: Iterable[Iterable[int]]) -> pd.Series:
    """Label age ranges (population rows) with the band that contains them.

    A range lying across a band boundary raises :class:`DataError`: it cannot be assigned
    without an assumption. Ranges outside every band get <NA>.
    """
    out = pd.Series(pd.NA, index=age_min.index, dtype="string")
    hi = age_max.fillna(200)
    for a, b, lab in age_band_labels(bands):
        inside = age_min.ge(a) & hi.le(b)
        cross = age_min.le(b) & hi.ge(a) & ~inside
        if cross.any():
            i = cross.idxmax()
            raise DataError(f"population age range {age_min[i]}-{age_max[i]} (row {i}) straddles "
                            f"the band {lab}; use bands that line up with the data",
                            column="age_min", expected=f"ranges inside or outside {lab}",
                            found=f"{age_min[i]}-{age_max[i]}")
        out = out.mask(inside.fillna(False), lab)
    return out


def rows_in_age_range(df: pd.DataFrame, lo: int, hi: int, what: str = "population") -> pd.DataFrame:
    """Rows whose age range lies inside ``lo``-``hi`` (an open top counts as age 200).

    A row that straddles the range cannot be counted without an assumption, so it raises
    :class:`DataError` naming it; rows outside are dropped.
    """
    top = df["age_max"].fillna(200)
    inside = df["age_min"].ge(lo) & top.le(hi)
    straddle = (df["age_min"].le(hi) & top.ge(lo) & ~inside).fillna(False)
    if straddle.any():
        i = straddle.idxmax()
        r = df.loc[i]
        src = f" ({r['source']})" if "source" in df.columns else ""
        raise DataError(f"{what}: the band {r['age_min']}-{r['age_max']}{src} straddles the age "
                        f"range {lo}-{hi} at {describe_row(df, i)}; split the band first",
                        column="age_min", expected=f"bands inside or outside {lo}-{hi}",
                        found=f"{r['age_min']}-{r['age_max']}")
    return df.loc[inside.fillna(False)]
