"""Input checks shared by the indicator functions: fail loudly, name what is wrong."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from eduanalytics.tables.columns import PROGRAMMES


def require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` naming the columns ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; has {list(df.columns)}")


def non_negative(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise ``ValueError`` if any count is negative (naming the first offending row)."""
    for col in columns:
        neg = pd.to_numeric(df[col], errors="coerce").lt(0)
        if neg.any():
            row = df.loc[neg].iloc[0]
            raise ValueError(f"{what}: negative {col} {row[col]} (row {row.to_dict()}); "
                             "counts must be >= 0")


def known_programmes(values: Iterable[str], allowed: Iterable[str] | None = None) -> None:
    """Raise ``ValueError`` for a programme id that is not known."""
    allowed = set(allowed or PROGRAMMES)
    bad = sorted(set(map(str, values)) - allowed)
    if bad:
        raise ValueError(f"unknown programme(s) {bad}; expected one of {sorted(allowed)}")


def age_band_labels(bands: Iterable[Iterable[int]]) -> list[tuple[int, int, str]]:
    """``[[20, 29], ...]`` -> ``[(20, 29, "20-29"), ...]``; overlapping bands raise."""
    out = sorted((int(a), int(b), f"{int(a)}-{int(b)}") for a, b in bands)
    for (a1, b1, _), (a2, _, _) in zip(out, out[1:], strict=False):
        if a2 <= b1:
            raise ValueError(f"age bands overlap: {a1}-{b1} and one starting at {a2}")
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

    A range lying across a band boundary raises ``ValueError``: it cannot be assigned
    without an assumption. Ranges outside every band get <NA>.
    """
    out = pd.Series(pd.NA, index=age_min.index, dtype="string")
    hi = age_max.fillna(200)
    for a, b, lab in age_band_labels(bands):
        inside = age_min.ge(a) & hi.le(b)
        cross = age_min.le(b) & hi.ge(a) & ~inside
        if cross.any():
            i = cross.idxmax()
            raise ValueError(f"population age range {age_min[i]}-{age_max[i]} straddles the band "
                             f"{lab}; use bands that line up with the data")
        out = out.mask(inside.fillna(False), lab)
    return out


def rows_in_age_range(df: pd.DataFrame, lo: int, hi: int, what: str = "population") -> pd.DataFrame:
    """Rows whose age range lies inside ``lo``-``hi`` (an open top counts as age 200).

    A row that straddles the range cannot be counted without an assumption, so it raises
    ``ValueError`` naming it; rows outside are dropped.
    """
    top = df["age_max"].fillna(200)
    inside = df["age_min"].ge(lo) & top.le(hi)
    straddle = df["age_min"].le(hi) & top.ge(lo) & ~inside
    if straddle.any():
        r = df.loc[straddle].iloc[0]
        src = f" ({r['source']})" if "source" in df.columns else ""
        raise ValueError(f"{what}: the band {r['age_min']}-{r['age_max']}{src} straddles the age "
                         f"range {lo}-{hi}; split the band first")
    return df.loc[inside]
