"""Mean years of schooling (平均受教育年限) from attainment counts.

Years per level come from the config (default: the census-yearbook convention none 0,
preschool 0, primary 6, junior secondary 9, senior secondary 12, every tertiary level 16;
it reproduces the yearbook's county figures to two decimals). Every mean states the
population it is for — "6+" (the yearbook's county figures), "15+" (the communiqué's
provincial figures), "20-59" (plans) — and rows of different, overlapping age ranges are
never mixed in one mean.

Nothing gives a silent figure: a missing (NaN), negative or non-numeric count (text such as
``"1,234"`` is refused, naming the column and the value — counts are parsed at ingest), an
unknown attainment value, a negative, missing or empty age range, a duplicated or
overlapping age group, several units stacked without grouping by them, ``total`` rows
mixed with male/female rows, or a missing column raise
:class:`~eduanalytics.errors.DataError` naming the column, the unit/row and what was
expected. A group of nobody is not an error: its mean is NaN and its ``flag`` says "zero
population".
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.tables.attainment import DEFAULT_YEARS, LEVELS
from eduanalytics.tables.checks import (
    age_ranges,
    describe_row,
    numeric_counts,
    one_unit_per_group,
    require,
    rows_in_age_range,
)


def round_half_up(values, decimals: int = 2) -> np.ndarray:
    """Round as published tables do (half away from zero), not banker's rounding."""
    q = Decimal(1).scaleb(-decimals)
    return np.array([float(Decimal(repr(float(v))).quantize(q, rounding=ROUND_HALF_UP))
                     if pd.notna(v) else np.nan for v in values])


def _population_label(lo: int, hi) -> str:
    return f"{lo}+" if pd.isna(hi) else f"{lo}-{int(hi)}"


def years_mapping(years: dict[str, float] | None, levels) -> dict[str, float]:
    """The years mapping, checked to cover every level present.

    Raises
    ------
    DataError
        A level present in the data is neither a known attainment level nor in the
        mapping (an unknown attainment value), or a known level has no years.
    """
    mapping = dict(DEFAULT_YEARS if years is None else years)
    present = set(map(str, levels))
    unknown = sorted(present - set(LEVELS) - set(mapping))
    if unknown:
        raise DataError(f"unknown attainment value(s) {unknown}", column="attainment",
                        expected=f"one of {list(LEVELS)}", found=unknown)
    missing = sorted(present - set(mapping))
    if missing:
        raise DataError(f"level(s) {missing} missing from the years mapping {sorted(mapping)}",
                        column="attainment", expected="years for every level present",
                        found=missing)
    return mapping


def _checked(population: pd.DataFrame, by: Sequence[str], what: str) -> pd.DataFrame:
    """Columns, ages and counts checked; counts as numbers (see :mod:`tables.checks`)."""
    require(population, [*by, "age_min", "age_max", "attainment", "count"], what)
    p = age_ranges(population, what)
    p = numeric_counts(p, ["count"], what)
    one_unit_per_group(p, by, what)
    return p


def _with_flag(out: pd.DataFrame, years_col: pd.Series) -> pd.DataFrame:
    """mean_years = years / persons; a group of nobody gets NaN and flag "zero population"."""
    zero = out["persons"].eq(0).to_numpy()
    out["mean_years"] = years_col.to_numpy() / np.where(zero, np.nan, out["persons"].to_numpy())
    out["flag"] = pd.Series(np.where(zero, "zero population", None), index=out.index,
                            dtype="string")
    return out


def mean_years(population: pd.DataFrame, years: dict[str, float] | None = None,
               by: Sequence[str] = ("unit_id",), age_min: int | None = None,
               age_max: int | None = None) -> pd.DataFrame:
    """Mean years of schooling of each group.

    Parameters
    ----------
    population : DataFrame
        ``population`` rows (unit_id, age_min, age_max, sex, attainment, count). Rows with
        attainment <NA> (all levels together, e.g. published age groups) are ignored.
    years : dict, optional
        Years per level (default :data:`eduanalytics.tables.attainment.DEFAULT_YEARS`).
    by : sequence of str
        Grouping columns. Several units in ``unit_id`` that are not grouped by raise: give
        the rows one unit_id to pool them on purpose.
    age_min, age_max : int, optional
        Restrict to rows lying inside this age range (a row straddling it raises).

    Returns
    -------
    DataFrame
        ``by``, population (the age range the mean is for, e.g. "6+", "20-59"), persons,
        mean_years, flag ("zero population" with mean_years NaN for a group of nobody;
        <NA> otherwise).

    Raises
    ------
    DataError
        A missing column, a missing (NaN), negative or non-numeric count, a negative or
        empty age range, an unknown attainment value or one missing from the years
        mapping, several units stacked without grouping by them, sex ``total`` rows mixed
        with male/female rows, or rows whose age ranges overlap or leave gaps inside one
        group (e.g. 6+ rows mixed with 15+ rows).
    """
    by = list(by)
    p = population[population["attainment"].notna()] if "attainment" in population else population
    p = _checked(p, by, "population")
    if age_min is not None or age_max is not None:
        p = rows_in_age_range(p, age_min if age_min is not None else 0,
                              age_max if age_max is not None else 200)
    if p.empty:
        raise DataError("population: no rows with an attainment level to average",
                        column="attainment", expected="rows with a level", found="none")
    mapping = years_mapping(years, p["attainment"].unique())
    bands = p[[*by, "age_min", "age_max"]].drop_duplicates().sort_values([*by, "age_min"])
    prev_max = bands.groupby(by)["age_max"].shift()
    gap_or_overlap = prev_max.notna() & (bands["age_min"] != prev_max + 1)
    open_not_last = bands["age_max"].isna() & bands.duplicated(by, keep="last")
    if gap_or_overlap.any() or open_not_last.any():
        bad = bands.loc[gap_or_overlap | open_not_last].iloc[0]
        raise DataError("population: age ranges inside one group overlap or leave a gap (never "
                        f"mix e.g. 6+ with 15+ rows): group {bad[by].to_dict()} at ages "
                        f"{bad['age_min']}-{bad['age_max']}", column="age_min",
                        expected="one set of adjoining age ranges per group",
                        found=f"{bad['age_min']}-{bad['age_max']}")
    span = bands.groupby(by, as_index=False).agg(
        lo=("age_min", "min"), hi=("age_max", lambda s: s.iloc[-1]))
    w = p.assign(_y=p["attainment"].astype(str).map(mapping) * p["count"])
    out = w.groupby(by, as_index=False).agg(persons=("count", "sum"), _y=("_y", "sum"))
    out = out.merge(span, on=by)
    out["population"] = [_population_label(lo, hi) for lo, hi in zip(out["lo"], out["hi"], strict=True)]
    out = _with_flag(out, out["_y"])
    return out[[*by, "population", "persons", "mean_years", "flag"]]


def mean_years_15plus(census: pd.DataFrame, years: dict[str, float] | None = None,
                      by: Sequence[str] = ("unit_id",)) -> pd.DataFrame:
    """Mean years of the population aged 15+ from 6+ attainment counts and age groups.

    Method (stated assumptions): the children aged 6-14 are taken out of the 6+ counts.
    Their number comes from the published age groups, splitting the 5-9 group evenly by
    single year (ages 6-9 = 4/5 of it) and using 10-14 whole. They are credited the level
    the census classifies children at school under: every preschool attendee aged 6+ is a
    child (taken out of 学前教育 first), the other children aged 6-11 are in primary, those
    aged 12-14 in junior secondary. For Zhejiang 2020 this gives 9.78 against the
    communiqué's 9.79.

    Parameters
    ----------
    census : DataFrame
        ``population`` rows of a census extract: 6+ rows by attainment (age_min 6,
        age_max <NA>) and age-group rows (attainment <NA>) covering 5-9 and 10-14, once
        each per group.

    Returns
    -------
    DataFrame
        ``by``, population "15+", persons, mean_years, children_removed, flag ("zero
        population" with mean NaN for a group of nobody).

    Raises
    ------
    DataError
        Everything :func:`mean_years` refuses, and: a group without its 5-9 or 10-14 age
        group, an age group listed twice or overlapping another, no 6+ rows, or more
        children than people counted at the level they are credited with.
    """
    by = list(by)
    what = "census"
    c = _checked(census, by, what)
    six = c[c["attainment"].notna() & c["age_min"].eq(6) & c["age_max"].isna()]
    ages = c[c["attainment"].isna()]
    if six.empty:
        raise DataError(f"{what}: no 6+ rows by attainment (age_min 6, age_max <NA>)",
                        column="attainment", expected="6+ counts by level", found="none")
    dup = ages.duplicated([*by, "age_min", "age_max", *(["sex"] if "sex" in ages else [])],
                          keep=False)
    if dup.any():
        raise DataError(f"{what}: the age group at {describe_row(ages, dup.idxmax())} is listed "
                        "more than once", column="age_min", expected="each age group once",
                        found="a repeated age group")
    for lo, hi in ((5, 9), (10, 14)):
        other = ages[~(ages["age_min"].eq(lo) & ages["age_max"].eq(hi)).fillna(False)]
        top = other["age_max"].fillna(200)
        clash = (other["age_min"].le(hi) & top.ge(lo)).fillna(False)
        if clash.any():
            raise DataError(f"{what}: the age group at {describe_row(other, clash.idxmax())} "
                            f"overlaps the {lo}-{hi} group the estimate uses", column="age_min",
                            expected="age groups that do not overlap", found="overlap")
    counts = six.pivot_table(index=by, columns="attainment", values="count", aggfunc="sum",
                             observed=True)
    mapping = years_mapping(years, counts.columns)
    counts = counts.reindex(columns=[*LEVELS, *[x for x in counts.columns if x not in LEVELS]],
                            fill_value=0.0).fillna(0.0).astype(float)

    def group(lo: int, hi: int) -> pd.Series:
        g = ages[ages["age_min"].eq(lo) & ages["age_max"].eq(hi)].groupby(by)["count"].sum()
        g = g.reindex(counts.index)
        if g.isna().any():
            raise DataError(f"{what}: no {lo}-{hi} age group for {list(g.index[g.isna()])[:5]}; "
                            "the 15+ estimate needs the 5-9 and 10-14 age groups",
                            column="age_min", expected=f"an age group {lo}-{hi} (attainment <NA>)",
                            found="none")
        return g.astype(float)

    g59, g1014 = group(5, 9), group(10, 14)
    kids_6_11 = 0.8 * g59 + 0.4 * g1014
    kids_12_14 = 0.6 * g1014
    pre = counts["preschool"]
    from_pre = np.minimum(pre, kids_6_11)
    adj = counts.copy()
    adj["preschool"] = pre - from_pre
    adj["primary"] = adj["primary"] - (kids_6_11 - from_pre)
    adj["junior_secondary"] = adj["junior_secondary"] - kids_12_14
    short = (adj < -1e-9).any(axis=1)
    if short.any():
        raise DataError(f"{what}: more children than counted at their level for "
                        f"{list(adj.index[short])[:5]}: the age groups do not fit the attainment "
                        "counts", column="count", expected="children aged 6-14 <= primary + "
                        "junior secondary + preschool counts", found="more children")
    yrs = pd.Series({lv: mapping.get(lv, 0.0) for lv in adj.columns})
    out = pd.DataFrame({"population": "15+", "persons": adj.sum(axis=1),
                        "_y": (adj * yrs).sum(axis=1),
                        "children_removed": kids_6_11 + kids_12_14}).reset_index()
    out = _with_flag(out, out["_y"])
    return out[[*by, "population", "persons", "mean_years", "children_removed", "flag"]]
