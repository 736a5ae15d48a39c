"""Census (七普) vs survey (摸排) counts of a target group, unit by unit.

The test: under the null hypothesis the survey counts the census population of a unit at
the reference coverage ``r0`` (1 = the survey should find everyone the census counted; or
the district's pooled ratio, to ask which units depart from the district's own coverage).
Treating both counts as Poisson, conditional on their sum N = S + C the survey count is
Binomial(N, r0 / (1 + r0)) (the classical comparison of two Poisson counts), tested
two-sided with an exact binomial test; p-values are adjusted over units (Holm by default).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from eduanalytics.errors import DataError
from eduanalytics.indicators.intervals import adjust_pvalues, funnel_limits
from eduanalytics.tables.checks import band_of_ranges, non_negative, require, rows_in_age_range


def target_group(population: pd.DataFrame, age_min: int = 20, age_max: int = 59,
                 levels: Sequence[str] | None = None, by: Sequence[str] = ("unit_id",),
                 age_bands: list | None = None) -> pd.DataFrame:
    """Census and survey counts of a target group side by side, summed over ``by``.

    Parameters
    ----------
    population : DataFrame
        The ``population`` table with both sources.
    age_min, age_max : int
        Age range of the group; rows must lie entirely inside or outside it.
    levels : sequence of str, optional
        Attainment levels of the group (default: all). Levels the survey merges (preschool
        into none) should be listed together.
    by : sequence of str
        unit_id and optionally sex, age_band.
    age_bands : list, optional
        Bands for ``age_band`` (must line up with both sources' bands).

    Returns
    -------
    DataFrame
        ``by``, census_count, survey_count, present (both / census_only / survey_only).
    """
    require(population, ["unit_id", "source", "age_min", "age_max", "sex", "attainment", "count"],
            "population")
    non_negative(population, ["count"], "population")
    p = rows_in_age_range(population[population["source"].isin(["census", "survey"])], age_min,
                          age_max)
    if levels is not None:
        p = p[p["attainment"].isin(list(levels))]
    if "age_band" in by:
        p = p.assign(age_band=band_of_ranges(p["age_min"], p["age_max"], age_bands or []))
    g = p.groupby([*by, "source"], observed=True)["count"].sum().unstack("source")
    g = g.reindex(columns=["census", "survey"])
    present = np.select([g["census"].notna() & g["survey"].notna(), g["census"].notna()],
                        ["both", "census_only"], "survey_only")
    g.columns.name = None
    out = g.rename(columns={"census": "census_count", "survey": "survey_count"}).reset_index()
    out["present"] = present
    return out


def compare_counts(counts: pd.DataFrame, null_ratio: float | str = 1.0,
                   method: str = "holm", alpha: float = 0.05) -> pd.DataFrame:
    """Difference, ratio, relative gap and a test per row of :func:`target_group`.

    Parameters
    ----------
    counts : DataFrame
        census_count, survey_count (and grouping columns).
    null_ratio : float or "pooled"
        Reference coverage r0 (see the module notes).
    method : {"holm", "bh"}
        Adjustment over the rows tested.
    alpha : float
        Level for the ``significant`` flag (on adjusted p-values).

    Returns
    -------
    DataFrame
        ``counts`` plus difference (survey - census), ratio (survey / census),
        relative_gap ((survey - census) / census), p_value, p_adjusted, significant. Rows
        present in one source only keep <NA> statistics and are listed, not dropped.
    """
    require(counts, ["census_count", "survey_count"], "counts")
    c = counts.copy()
    both = c["census_count"].notna() & c["survey_count"].notna()
    non_negative(c.loc[both], ["census_count", "survey_count"], "counts")
    cc = c["census_count"].astype(float)
    ss = c["survey_count"].astype(float)
    if null_ratio == "pooled":
        r0 = float(ss[both].sum() / cc[both].sum())
    else:
        r0 = float(null_ratio)
    if r0 <= 0:
        raise DataError(f"null ratio must be > 0, got {r0}", column="null_ratio",
                        expected="a ratio > 0 (or 'pooled')", found=r0)
    c["difference"] = ss - cc
    c["ratio"] = ss / cc.where(cc > 0)
    c["relative_gap"] = (ss - cc) / cc.where(cc > 0)
    p = pd.Series(np.nan, index=c.index)
    q = r0 / (1 + r0)
    testable = both & (cc + ss > 0)
    for i in c.index[testable]:  # one exact test per unit (units, not register rows)
        n = int(cc[i] + ss[i])
        p[i] = stats.binomtest(int(ss[i]), n, q).pvalue
    c["null_ratio"] = r0
    c["p_value"] = p
    c["p_adjusted"] = np.nan
    c.loc[testable, "p_adjusted"] = adjust_pvalues(p[testable].to_numpy(), method)
    c["significant"] = c["p_adjusted"] < alpha
    return c


def funnel_table(compared: pd.DataFrame, levels=(0.95, 0.998)) -> pd.DataFrame:
    """Coverage ratio against census size with Poisson control limits around the pooled
    ratio, so large and small units are judged on the same footing."""
    require(compared, ["census_count", "survey_count", "ratio"], "compared")
    f = compared[compared["census_count"].notna() & compared["survey_count"].notna()
                 & (compared["census_count"] > 0)].copy()
    target = float(f["survey_count"].sum() / f["census_count"].sum())
    lim = funnel_limits(f["census_count"].to_numpy(), target, levels, kind="ratio")
    for col in lim.columns[1:]:
        f[col] = lim[col].to_numpy()
    f["target_ratio"] = target
    lo, hi = f"low_{levels[-1]:g}", f"high_{levels[-1]:g}"
    lo1, hi1 = f"low_{levels[0]:g}", f"high_{levels[0]:g}"
    f["zone"] = np.select([(f["ratio"] < f[lo]) | (f["ratio"] > f[hi]),
                           (f["ratio"] < f[lo1]) | (f["ratio"] > f[hi1])],
                          [f"outside_{levels[-1]:g}", f"outside_{levels[0]:g}"], "inside")
    return f


def closest_units(compared: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Units ranked by how close the survey is to the census (|relative gap|, smallest
    first): seed 004's candidates for a first year's cohort. Units in one source only are
    ranked last."""
    require(compared, ["relative_gap"], "compared")
    out = compared.assign(abs_gap=compared["relative_gap"].abs())
    out = out.sort_values("abs_gap", na_position="last", kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out.head(n) if n else out
