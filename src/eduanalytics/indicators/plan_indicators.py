"""Other plan indicators: school life expectancy and gross enrolment ratio.

- School life expectancy (儿童平均预期受教育年限), UNESCO Institute for Statistics: the
  number of years a child of school-entry age can expect to spend in education if current
  age-specific enrolment rates persist, ``SLE = sum over ages a of E(a) / P(a)`` (enrolment
  at age a over the population of age a; UIS Glossary, "School life expectancy").
- Gross enrolment ratio (毛入学率): ``GER = 100 x enrolment at the level, whatever the age /
  population of the level's official age group`` (UIS Glossary); it may exceed 100. For
  tertiary education the official age group in China's statistics is 18-22.
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.tables.checks import non_negative, require


def school_life_expectancy(enrolment_by_age: pd.DataFrame, population_by_age: pd.DataFrame,
                           max_age: int | None = None) -> float:
    """UNESCO school life expectancy from enrolment and population by single year of age.

    Parameters
    ----------
    enrolment_by_age, population_by_age : DataFrame
        Columns ``age`` and ``count``; each age at most once.
    max_age : int, optional
        Ignore ages above this.
    """
    for name, df in (("enrolment", enrolment_by_age), ("population", population_by_age)):
        require(df, ["age", "count"], name)
        non_negative(df, ["count"], name)
        if df["age"].duplicated().any():
            raise DataError(f"{name}: ages listed more than once (overlapping ages): "
                             f"{sorted(df.loc[df['age'].duplicated(), 'age'].tolist())}", column="age",
                            expected="each age once",
                            found=sorted(df.loc[df['age'].duplicated(), 'age'].tolist()))
    e = enrolment_by_age.set_index("age")["count"].astype(float)
    p = population_by_age.set_index("age")["count"].astype(float)
    if max_age is not None:
        e, p = e[e.index <= max_age], p[p.index <= max_age]
    missing = sorted(set(e.index[e > 0]) - set(p.index[p > 0]))
    if missing:
        raise DataError(f"enrolment at ages {missing} with no population", column="age",
                        expected="a population at every enrolled age", found=missing)
    return float((e / p.reindex(e.index)).fillna(0).sum())


def gross_enrolment_ratio(enrolment: float, population_official_age: float) -> float:
    """Gross enrolment ratio in percent (may exceed 100)."""
    if enrolment < 0 or population_official_age < 0:
        raise DataError("counts must be >= 0", column="count", expected="counts >= 0",
                        found=(enrolment, population_official_age))
    if population_official_age == 0:
        raise DataError("the official-age population is 0; a ratio needs a denominator",
                        column="count", expected="a population > 0", found=0)
    return 100.0 * enrolment / population_official_age
