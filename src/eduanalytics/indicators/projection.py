"""Projecting the working-age mean years of schooling year by year.

Model (single years of age, stated assumptions):

1. Banded counts are split evenly over the single years of their band (an open top band
   is not needed and is dropped above ``age_max``).
2. Each year everyone ages one year. The cohort turning ``age_min`` enters working age:
   its size is the base-year population one year younger (aged forward; when the data do
   not reach that young, the base year's youngest working-age cohort is repeated) and its
   attainment mix is ``entrant_mix`` — by default the base year's own youngest adult
   cohort (ages ``age_min`` to ``age_min + 4``). The cohort passing ``age_max`` leaves,
   with its attainment.
3. With a life table (``survival``: age -> probability of surviving the year), each age is
   multiplied by its survival probability.
4. Programme completions move people up one step (``level_from`` -> ``level_to``), taken
   from every working age in proportion to the people holding ``level_from`` there. More
   completions than people at a level raise :class:`NotEnoughPeople`.
5. The change of the mean from the base year is split into cohort replacement (the path
   with no programmes) and programmes (the difference between the path with programmes
   and the path without).

Many units at once: ``by="unit_id"`` projects every unit of a stacked table together, as
numpy arrays of units x levels x single ages (the table is checked once over all its rows
and the single-year matrix built once per call); each unit's path is the one it gets
alone, to the last digit. A table holding several units without ``by`` raises
:class:`~eduanalytics.errors.DataError` rather than pooling them: give the
rows one ``unit_id`` to pool them on purpose.

The result depends only on the counts, never on the order of the input rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.indicators.projection_arrays import (
    Base,
    NotEnoughPeople,
    moves_from_frame,
    prepare,
    run,
)
from eduanalytics.tables.attainment import LEVELS

__all__ = ["NotEnoughPeople", "completions_from_programmes", "project", "scenarios",
           "single_years"]


def single_years(population: pd.DataFrame, age_min: int, age_max: int) -> pd.DataFrame:
    """Age x level matrix of counts (floats) of one unit, bands split evenly over their years.

    Rows with attainment <NA> are ignored; ages above ``age_max`` are dropped; an open band
    starting at or below ``age_max`` raises (it cannot be split). ``age_min`` is the
    youngest age kept (default in :func:`project`: one below working age).
    """
    base = prepare(population, min(age_min, age_max), age_max, keep_ages=True)
    ages = np.arange(base.lo, base.lo + base.arr.shape[2])
    present = base.present[0]
    m = pd.DataFrame(base.arr[0].T[present], index=pd.Index(ages[present], name="age"),
                     columns=pd.Index(list(LEVELS), name="attainment"))
    return m.loc[(m.index >= age_min) & (m.index <= age_max)]


def _frame(base: Base, means: np.ndarray, persons: np.ndarray, years: range) -> pd.DataFrame:
    n_units, n_years = means.shape
    out = pd.DataFrame({
        "year": np.tile(np.asarray(years, dtype=np.int64), n_units),
        "persons": persons.ravel(), "mean_years": means.ravel(),
        "entrants_mean_years": np.repeat(base.entrants_mean, n_years)})
    if base.by is not None:
        out.insert(0, base.by, base.units.repeat(n_years).astype(base.unit_dtype))
    return out


def project(population: pd.DataFrame, base_year: int, target_year: int, age_min: int = 20,
            age_max: int = 59, years: dict[str, float] | None = None,
            completions: pd.DataFrame | None = None, entrant_mix: pd.Series | None = None,
            survival: pd.Series | None = None, by: str | None = None) -> pd.DataFrame:
    """Project the mean years of schooling of ages ``age_min``-``age_max``.

    Parameters
    ----------
    population : DataFrame
        Base-year ``population`` rows, any bands: of one unit, or of several units with
        ``by`` naming their column. Several units without ``by`` raise (give the rows one
        unit_id to pool them on purpose).
    base_year, target_year : int
    age_min, age_max : int
        The working-age range.
    years : dict, optional
        Years per level.
    completions : DataFrame, optional
        year, level_from, level_to, count: programme completions moving people up. With
        ``by``, a ``by`` column gives each unit its own completions; without it every unit
        gets the same.
    entrant_mix : Series, optional
        Attainment shares of each entering cohort (sums to 1), the same for every unit.
    survival : Series, optional
        Probability of surviving the year, by age.
    by : str, optional
        Column of ``population`` holding the unit (e.g. ``"unit_id"``): all units are
        projected at once, vectorised over units.

    Returns
    -------
    DataFrame
        (``by``,) year, persons, mean_years, entrants_mean_years (the mean of the cohort
        entering that year).

    Raises
    ------
    DataError
        Bad inputs (see :mod:`eduanalytics.tables.checks`), stacked units without ``by``,
        a unit with nobody of working age or nobody to take the entrants' mix from.
    NotEnoughPeople
        More completions than people holding the level they start from (names the unit).
    """
    if target_year < base_year:
        raise DataError(f"target year {target_year} is before the base year {base_year}",
                        column="target_year", expected=f">= {base_year}", found=target_year)
    base = prepare(population, age_min, age_max, years=years, entrant_mix=entrant_mix,
                   survival=survival, by=by, completions=[completions])
    moves = moves_from_frame(completions, base)
    means, persons, _ = run(base, moves, base_year, target_year)
    return _frame(base, means, persons, range(base_year, target_year + 1))


def completions_from_programmes(per_year: dict[str, float | pd.Series],
                                steps: dict[str, dict[str, str]],
                                mix: dict[str, dict[str, float]], years: Sequence[int],
                                by: str = "unit_id") -> pd.DataFrame:
    """Turn completions per programme and year into level moves.

    Parameters
    ----------
    per_year : dict
        Programme -> completions per year: a number (one unit), or a Series indexed by
        unit (then the result has a ``by`` column, for :func:`project` with ``by``).
    steps : dict
        Programme -> {level_from: level_to} (the config's ``programmes.*.steps``).
    mix : dict
        Programme -> {level_from: share} (shares sum to 1), e.g. the register's observed
        ``level_from`` mix.
    years : sequence of int
        Years the completions happen.
    by : str
        Name of the unit column when ``per_year`` holds Series.

    Returns
    -------
    DataFrame
        (``by``,) year, level_from, level_to, count.
    """
    per_unit = any(isinstance(n, pd.Series) for n in per_year.values())
    years = list(years)
    frames = []
    for prog, n in per_year.items():
        if prog not in steps:
            raise DataError(f"programme {prog!r} has no steps in the config", column="programme",
                            expected=f"one of {sorted(steps)}", found=prog)
        shares = mix.get(prog) or {}
        if abs(sum(shares.values()) - 1) > 1e-6:
            raise DataError(f"{prog}: level mix shares sum to {sum(shares.values()):g}; expected 1",
                            column="level_from", expected="shares summing to 1",
                            found=sum(shares.values()))
        units = n if isinstance(n, pd.Series) else pd.Series([n])
        for lv, s in shares.items():
            if lv not in steps[prog]:
                raise DataError(f"{prog}: no step from level {lv!r} in the config",
                                column="level_from", expected=f"one of {sorted(steps[prog])}",
                                found=lv)
            f = pd.DataFrame({"year": np.tile(np.asarray(years, dtype=np.int64), len(units)),
                              "level_from": lv, "level_to": steps[prog][lv],
                              "count": np.repeat(units.to_numpy(dtype=float) * s, len(years))})
            if per_unit:
                f.insert(0, by, np.repeat(units.index.to_numpy(), len(years)))
            frames.append(f)
    cols = [*([by] if per_unit else []), "year", "level_from", "level_to", "count"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def scenarios(population: pd.DataFrame, base_year: int, target_year: int,
              plans: dict[str, pd.DataFrame | None], **kw) -> pd.DataFrame:
    """Run several completion scenarios side by side, with the decomposition.

    Parameters
    ----------
    plans : dict
        Scenario name -> completions frame (``None`` = no programmes). A scenario named
        ``"none"`` is added when missing: it is the reference for the decomposition.
    **kw
        Passed to :func:`project` (``by="unit_id"`` runs every unit at once; the
        single-year matrix is built once for all scenarios).

    Returns
    -------
    DataFrame
        (``by``,) scenario, year, persons, mean_years, entrants_mean_years, change (from
        the base year), cohort_replacement (the no-programme path's change), programmes
        (the rest).
    """
    if target_year < base_year:
        raise DataError(f"target year {target_year} is before the base year {base_year}",
                        column="target_year", expected=f">= {base_year}", found=target_year)
    unknown = set(kw) - {"age_min", "age_max", "years", "entrant_mix", "survival", "by"}
    if unknown:
        raise DataError(f"unknown option(s) {sorted(unknown)} for the projection",
                        expected="age_min, age_max, years, entrant_mix, survival, by",
                        found=sorted(unknown))
    plans = {"none": None, **plans}
    base = prepare(population, kw.get("age_min", 20), kw.get("age_max", 59),
                   years=kw.get("years"), entrant_mix=kw.get("entrant_mix"),
                   survival=kw.get("survival"), by=kw.get("by"), completions=list(plans.values()))
    span = range(base_year, target_year + 1)
    ref_means = None
    out = []
    for name, comp in plans.items():
        means, persons, _ = run(base, moves_from_frame(comp, base), base_year, target_year)
        if ref_means is None:
            ref_means = means
        p = _frame(base, means, persons, span)
        p.insert(0, "scenario", name)
        p["change"] = (means - means[:, :1]).ravel()
        p["cohort_replacement"] = (ref_means - ref_means[:, :1]).ravel()
        p["programmes"] = p["change"] - p["cohort_replacement"]
        out.append(p)
    lead = [base.by] if base.by is not None else []
    cols = [*lead, "scenario", "year", "persons", "mean_years", "entrants_mean_years", "change",
            "cohort_replacement", "programmes"]
    return pd.concat(out, ignore_index=True)[cols]
