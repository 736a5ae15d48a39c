"""Attainment levels: the ordered category every table uses, and years per level."""

from __future__ import annotations

import pandas as pd

#: The ordered attainment levels (lowest first). See DESIGN.md.
LEVELS: tuple[str, ...] = (
    "none",
    "preschool",
    "primary",
    "junior_secondary",
    "senior_secondary",
    "junior_college",
    "bachelor",
    "postgraduate",
)

#: Ordered categorical dtype for attainment columns.
ATTAINMENT_DTYPE = pd.CategoricalDtype(categories=list(LEVELS), ordered=True)

#: Years credited per level: the convention that reproduces the census yearbook's
#: 平均受教育年限 (none 0, preschool 0, primary 6, junior secondary 9, senior secondary 12,
#: every tertiary level 16).
DEFAULT_YEARS: dict[str, float] = {
    "none": 0.0,
    "preschool": 0.0,
    "primary": 6.0,
    "junior_secondary": 9.0,
    "senior_secondary": 12.0,
    "junior_college": 16.0,
    "bachelor": 16.0,
    "postgraduate": 16.0,
}


def as_attainment(values: pd.Series) -> pd.Series:
    """Cast a Series of level ids to the ordered attainment dtype.

    Parameters
    ----------
    values : pandas.Series
        Level ids as in :data:`LEVELS`.

    Returns
    -------
    pandas.Series
        Ordered categorical; unknown ids raise ``ValueError`` naming them.
    """
    bad = sorted(set(values.dropna().astype(str)) - set(LEVELS))
    if bad:
        raise ValueError(f"unknown attainment level(s) {bad}; expected one of {list(LEVELS)}")
    return values.astype(ATTAINMENT_DTYPE)
