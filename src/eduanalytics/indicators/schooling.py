"""Mean years of schooling (平均受教育年限) from attainment counts.

Years per level come from the config (default: the census-yearbook convention none 0,
preschool 0, primary 6, junior secondary 9, senior secondary 12, every tertiary level 16;
it reproduces the yearbook's county figures to two decimals). Every mean states the
population it is for — "6+" (the yearbook's county figures), "15+" (the communiqué's
provincial figures), "20-59" (plans) — and rows of different, overlapping age ranges are
never mixed in one mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from eduanalytics.tables.attainment import DEFAULT_YEARS
from eduanalytics.tables.checks import non_negative, require, rows_in_age_range


def round_half_up(values, decimals: int = 2) -> np.ndarray:
    """Round as published tables do (half away from zero), not banker's rounding."""
    q = Decimal(1).scaleb(-decimals)
    return np.array([float(Decimal(repr(float(v))).quantize(q, rounding=ROUND_HALF_UP))
                     if pd.notna(v) else np.nan for v in values])


def _population_label(lo: int, hi) -> str:
    return f"{lo}+" if pd.isna(hi) else f"{lo}-{int(hi)}"


def years_mapping(years: dict[str, float] | None, levels) -> dict[str, float]:
    """The years mapping, checked to cover every level present."""
    mapping = dict(DEFAULT_YEARS if years is None else years)
    missing = sorted(set(map(str, levels)) - set(mapping))
    if missing:
        raise ValueError(f"level(s) {missing} missing from the years mapping {sorted(mapping)}")
    return mapping


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
        Grouping columns.
    age_min, age_max : int, optional
        Restrict to rows lying inside this age range (a row straddling it raises).

    Returns
    -------
    DataFrame
        ``by``, population (the age range the mean is for, e.g. "6+", "20-59"), persons,
        mean_years.

    Raises
    ------
    ValueError
        Negative counts, a level missing from the years mapping, or rows whose age ranges
        overlap or leave gaps inside one group (e.g. 6+ rows mixed with 15+ rows).
    """
    require(population, [*by, "age_min", "age_max", "attainment", "count"], "population")
    non_negative(population, ["count"], "population")
    p = population[population["attainment"].notna()]
    if age_min is not None or age_max is not None:
        p = rows_in_age_range(p, age_min if age_min is not None else 0,
                              age_max if age_max is not None else 200)
    if p.empty:
        raise ValueError("no population rows with an attainment level to average")
    mapping = years_mapping(years, p["attainment"].unique())
    bands = p[[*by, "age_min", "age_max"]].drop_duplicates().sort_values([*by, "age_min"])
    prev_max = bands.groupby(list(by))["age_max"].shift()
    gap_or_overlap = prev_max.notna() & (bands["age_min"] != prev_max + 1)
    open_not_last = bands["age_max"].isna() & bands.duplicated(list(by), keep="last")
    if gap_or_overlap.any() or open_not_last.any():
        bad = bands.loc[gap_or_overlap | open_not_last].iloc[0]
        raise ValueError("age ranges inside one group overlap or leave a gap (never mix e.g. 6+ "
                         f"with 15+ rows): group {bad[list(by)].to_dict()} at ages "
                         f"{bad['age_min']}-{bad['age_max']}")
    span = bands.groupby(list(by), as_index=False).agg(
        lo=("age_min", "min"), hi=("age_max", lambda s: s.iloc[-1]))
    w = p.assign(_y=p["attainment"].astype(str).map(mapping) * p["count"])
    out = w.groupby(list(by), as_index=False).agg(persons=("count", "sum"), _y=("_y", "sum"))
    out = out.merge(span, on=list(by))
    out["population"] = [_population_label(lo, hi) for lo, hi in zip(out["lo"], out["hi"], strict=True)]
    out["mean_years"] = out["_y"] / out["persons"]
    return out[[*by, "population", "persons", "mean_years"]]


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
        age_max <NA>) and age-group rows (attainment <NA>) covering 5-9 and 10-14.

    Returns
    -------
    DataFrame
        ``by``, population "15+", persons, mean_years, children_removed.
    """
    require(census, [*by, "age_min", "age_max", "attainment", "count"], "census")
    six = census[census["attainment"].notna() & census["age_min"].eq(6) & census["age_max"].isna()]
    ages = census[census["attainment"].isna()]
    g59 = ages[ages["age_min"].eq(5) & ages["age_max"].eq(9)].groupby(list(by))["count"].sum()
    g1014 = ages[ages["age_min"].eq(10) & ages["age_max"].eq(14)].groupby(list(by))["count"].sum()
    counts = six.pivot_table(index=list(by), columns="attainment", values="count", aggfunc="sum",
                             observed=True).fillna(0)
    if g59.empty or g1014.empty:
        raise ValueError("the 15+ estimate needs the 5-9 and 10-14 age groups")
    mapping = years_mapping(years, counts.columns)
    kids_6_11 = 0.8 * g59.reindex(counts.index) + 0.4 * g1014.reindex(counts.index)
    kids_12_14 = 0.6 * g1014.reindex(counts.index)
    pre = counts.get("preschool", pd.Series(0.0, index=counts.index))
    from_pre = np.minimum(pre, kids_6_11)
    from_primary = kids_6_11 - from_pre
    adj = counts.copy()
    adj["preschool"] = pre - from_pre
    adj["primary"] = adj["primary"] - from_primary
    adj["junior_secondary"] = adj["junior_secondary"] - kids_12_14
    if (adj < 0).any().any():
        raise ValueError("more children than counted at their level: the age groups do not fit "
                         "the attainment counts")
    yrs = pd.Series(mapping).reindex(adj.columns)
    persons = adj.sum(axis=1)
    out = pd.DataFrame({"population": "15+", "persons": persons,
                        "mean_years": (adj * yrs).sum(axis=1) / persons,
                        "children_removed": kids_6_11 + kids_12_14})
    return out.reset_index()
