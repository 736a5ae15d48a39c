"""Allocating a district target over units, and comparing with a published split.

Whole people, totals exact: Hamilton's largest-remainder method. Each unit gets the floor
of its quota ``total x weight / sum(weights)``; the people left over go one each to the
largest fractional remainders; ties go to the unit listed first (deterministic). Fixed
shares (a school's own quota) are taken out of the total first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.tables.checks import require


def hamilton_split(total: int, weights) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights`` (Hamilton's method).

    The numeric core of :func:`largest_remainder` (also used by the synthetic generator).

    Parameters
    ----------
    total : int
        Non-negative whole number to split.
    weights : array-like
        Non-negative weights.

    Returns
    -------
    numpy.ndarray
        Integers summing to ``total``; ties go to the earlier position.
    """
    w = np.asarray(weights, dtype=float)
    if total < 0 or int(total) != total or (w < 0).any() or np.isnan(w).any():
        raise DataError(f"total ({total}) must be a whole number >= 0 and weights >= 0",
                        column="weights", expected="total a whole number >= 0, weights >= 0",
                        found=(total, w.tolist()[:10]))
    if total == 0:
        return np.zeros(len(w), dtype=int)
    if w.sum() == 0:
        raise DataError(f"cannot split {total} over all-zero weights", column="weights",
                        expected="at least one weight > 0", found=w.tolist()[:10])
    quota = total * w / w.sum()
    base = np.floor(quota).astype(int)
    rest = int(total - base.sum())
    order = np.lexsort((np.arange(len(w)), -(quota - base)))
    base[order[:rest]] += 1
    return base


def largest_remainder(total: int, weights: pd.Series, fixed: dict[str, int] | None = None) -> pd.Series:
    """Split ``total`` over ``weights`` (indexed by unit) in whole numbers.

    Parameters
    ----------
    total : int
        Whole number to split (>= 0).
    weights : Series
        Non-negative weights by unit (the allocation base).
    fixed : dict, optional
        Units with a fixed share, taken out first; they need not be in ``weights``.

    Returns
    -------
    Series of int
        Allocation by unit (fixed units first), summing exactly to ``total``.
    """
    if total < 0 or int(total) != total:
        raise DataError(f"total must be a whole number >= 0, got {total}", column="target",
                        expected="a whole number >= 0", found=total)
    w = pd.Series(weights, dtype=float)
    if (w < 0).any() or w.isna().any():
        raise DataError(f"weights must be >= 0: {w[(w < 0) | w.isna()].to_dict()}", column="count",
                        expected="weights >= 0 for every unit", found=w[(w < 0) | w.isna()].to_dict())
    fixed = dict(fixed or {})
    rest = int(total) - sum(fixed.values())
    if rest < 0:
        raise DataError(f"fixed shares {sum(fixed.values())} exceed the total {total}", column="target",
                        expected=f"fixed shares <= {total}", found=sum(fixed.values()))
    w = w.drop(index=[k for k in fixed if k in w.index])
    if rest > 0 and w.sum() == 0:
        raise DataError("all weights are zero; nothing to allocate in proportion to", column="count",
                        expected="at least one weight > 0", found=0)
    base = hamilton_split(rest, w.to_numpy())
    out = pd.concat([pd.Series(fixed, dtype=int), pd.Series(base, index=w.index)])
    return out.astype(int)


def allocate(total: int, bases: pd.DataFrame, base: str = "resident",
             fixed: dict[str, int] | None = None, units: list[str] | None = None) -> pd.Series:
    """Largest-remainder split of ``total`` in proportion to one base of the ``bases`` table."""
    require(bases, ["unit_id", "base", "count"], "bases")
    b = bases[bases["base"] == base].set_index("unit_id")["count"].astype(float)
    if b.empty:
        raise DataError(f"bases: no rows for base {base!r}; have {sorted(bases['base'].unique())}",
                        column="base", expected=f"rows with base {base!r}", found=sorted(bases["base"].unique()))
    if units is not None:
        b = b.reindex(units)
        if b.isna().any():
            raise DataError(f"bases: no {base} for unit(s) {list(b.index[b.isna()])}", column="unit_id",
                            expected=f"a {base} count for every unit", found=list(b.index[b.isna()]))
    return largest_remainder(total, b, fixed)


def compare_allocation(published: pd.Series, computed: pd.Series) -> pd.DataFrame:
    """Side by side: unit_id, published, computed, difference (published - computed), pct."""
    df = pd.DataFrame({"published": published, "computed": computed})
    if df.isna().any().any():
        raise DataError(f"units in one allocation only: {list(df.index[df.isna().any(axis=1)])}",
                        column="unit_id", expected="the same units in both allocations",
                        found=list(df.index[df.isna().any(axis=1)]))
    df["difference"] = df["published"] - df["computed"]
    df["pct_difference"] = 100 * df["difference"] / df["computed"].where(df["computed"] > 0)
    return df.rename_axis("unit_id").reset_index()


def best_base(targets: pd.DataFrame, bases: pd.DataFrame, programme: str,
              candidates: tuple[str, ...] = ("resident", "age_20_59", "low_attainment_20_59")) -> pd.DataFrame:
    """Which base a published allocation follows best.

    The programme's published targets over the units that have every candidate base are
    re-split by largest remainder on each base; the base with the smallest total absolute
    departure explains the published split best.

    Returns
    -------
    DataFrame
        base, units, total, sum_abs_difference, max_abs_difference, unit_max (the unit
        departing most), ratio_cv (coefficient of variation of target/base across units: 0
        means exactly proportional), sorted best first.
    """
    require(targets, ["unit_id", "programme", "target"], "targets")
    t = targets[targets["programme"] == programme].set_index("unit_id")["target"]
    have = bases[bases["base"].isin(candidates)].pivot_table(index="unit_id", columns="base",
                                                             values="count", aggfunc="sum")
    units = [u for u in t.index if u in have.index and have.loc[u, list(candidates)].notna().all()]
    if not units:
        raise DataError(f"{programme}: no unit has both a target and every base {candidates}",
                        column="base", expected=f"units with a target and bases {candidates}",
                        found="none")
    pub = t.loc[units].astype(int)
    rows = []
    for b in candidates:
        comp = largest_remainder(int(pub.sum()), have.loc[units, b])
        diff = (pub - comp.loc[units]).abs()
        ratio = pub / have.loc[units, b]
        rows.append({"base": b, "units": len(units), "total": int(pub.sum()),
                     "sum_abs_difference": int(diff.sum()), "max_abs_difference": int(diff.max()),
                     "unit_max": diff.idxmax(), "ratio_cv": float(ratio.std(ddof=0) / ratio.mean())})
    return pd.DataFrame(rows).sort_values(["sum_abs_difference", "ratio_cv"]).reset_index(drop=True)
