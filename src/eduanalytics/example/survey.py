"""Door-to-door survey (摸排) counts, drawn from the census-consistent counts.

Long form (the district example: unit x 10-year band x sex x level, one count each) and
wide form (a county's: one row per unit with its census and survey counts of one age
band and level group side by side).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.example.census_extract import LOW
from eduanalytics.example.profiles import LUQIAO


def survey_counts(census_streets: pd.DataFrame, rng: np.random.Generator,
                  coverage: dict[str, float] | None = None) -> pd.DataFrame:
    """摸排 counts of the 20-59 with senior secondary or below, by 10-year band, sex, level.

    Parameters
    ----------
    census_streets : DataFrame
        Output of :func:`street_census_attainment`.
    rng : numpy.random.Generator
        Source of the binomial noise and the survey dates.
    coverage : dict, optional
        Street -> coverage factor (default: the district example's profile).

    Returns
    -------
    DataFrame
        ``街道, 年龄段, 性别, 受教育程度, 摸排人数, 摸排日期``; 学前教育 is recorded as
        未上过学, as a door-to-door survey would.
    """
    coverage = LUQIAO["survey_coverage"] if coverage is None else coverage
    c = census_streets[census_streets["受教育程度"].isin(LOW)].copy()
    lo = c["年龄段"].str.extract(r"^(\d+)")[0].astype(int)
    c = c[(lo >= 20) & (lo < 60)]
    lo = lo[c.index]
    c["年龄段"] = (lo // 10 * 10).astype(str) + "-" + (lo // 10 * 10 + 9).astype(str)
    c["受教育程度"] = c["受教育程度"].replace({"学前教育": "未上过学"})
    g = c.groupby(["街道", "年龄段", "性别", "受教育程度"], sort=False, as_index=False)["人数"].sum()
    unknown = sorted(set(g["街道"]) - set(coverage))
    if unknown:
        raise DataError(f"survey_counts: no coverage factor for street(s) {unknown}")
    f = g["街道"].map(coverage).to_numpy(dtype=float)
    n = g["人数"].to_numpy()
    g["摸排人数"] = rng.binomial(n, np.minimum(f, 1.0)) + rng.binomial(n, np.clip(f - 1.0, 0, 1))
    start = {s: int(d) for s, d in zip(g["街道"].unique(), rng.integers(6, 20, g["街道"].nunique()),
                                       strict=True)}
    day = g["街道"].map(start).to_numpy() + rng.integers(0, 10, len(g))
    g["摸排日期"] = ["2023年3月" + str(d) + "日" for d in day]
    return g.drop(columns="人数")


