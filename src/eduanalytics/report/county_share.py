"""Eligible populations estimated from the county census row when no street census exists.

Few counties have a street-level census table by sex x age x attainment. What they do
have is the county's row of the published census table (attainment of the 6+ population)
and, in their task table, each unit's resident population. The estimate applies the
county's attainment shares to each unit's base:

    estimate(unit) = base(unit) x (county persons 6+ at the eligible levels) / (county total population)

It assumes every unit has the county's attainment mix and says nothing about age (the
county row has no age x attainment table), so it is labelled an estimate with its method
wherever it is shown. Pure functions: tables in, tables out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError

#: How the estimate is made, for notes and table captions.
METHOD = ("估算：各单位{base_label} × 全{level}七普6岁及以上人口中{levels_label}的比例"
          "（{share:.2%}，未分年龄，假定各单位构成与全{level}相同）")


def county_share(county: pd.DataFrame, code: str, levels: Sequence[str] | str,
                 pop_total: float | None = None) -> float:
    """Share of the county's whole population at the given attainment levels (6+ counts).

    Parameters
    ----------
    county : DataFrame
        The ``census_county`` table (unit_id, age_min, attainment, count, ...).
    code : str
        The region's division code (``cfg.census_code``).
    levels : sequence of str or "all"
        Attainment levels counted.
    pop_total : float, optional
        The county's total population (``census_reported.pop_total``); default the sum of
        the 6+ attainment counts, i.e. a share of the 6+ population.

    Returns
    -------
    float

    Raises
    ------
    DataError
        No row for ``code``, or a zero population.
    """
    rows = county[(county["unit_id"].astype(str) == str(code)) & county["attainment"].notna()]
    if rows.empty:
        raise DataError(f"the county census table has no attainment rows for code {code}",
                        column="unit_id", expected=str(code))
    total = float(pop_total) if pop_total else float(rows["count"].sum())
    if total <= 0:
        raise DataError(f"county census row {code}: population is 0", expected="> 0")
    chosen = rows if levels == "all" else rows[rows["attainment"].isin(list(levels))]
    return float(chosen["count"].sum()) / total


def estimate_eligible(bases: pd.DataFrame, share: float, base: str = "resident",
                      units: Sequence[str] | None = None) -> pd.DataFrame:
    """Each unit's base population times the county share, rounded half up.

    Parameters
    ----------
    bases : DataFrame
        The ``bases`` table (unit_id, base, count).
    share : float
        From :func:`county_share`.
    base : str
        Which published population the share is applied to.
    units : sequence of str, optional
        Units to keep (default: every unit with that base).

    Returns
    -------
    DataFrame
        unit_id, base_count, share, eligible (int).
    """
    b = bases[bases["base"] == base]
    if units is not None:
        b = b[b["unit_id"].isin(list(units))]
    b = b.groupby("unit_id", as_index=False, sort=False)["count"].sum().rename(columns={"count": "base_count"})
    b["share"] = share
    b["eligible"] = np.floor(b["base_count"].astype(float) * share + 0.5).astype(int)
    return b
