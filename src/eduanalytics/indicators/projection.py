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

The result depends only on the counts, never on the order of the input rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from eduanalytics.indicators.schooling import years_mapping
from eduanalytics.tables.attainment import LEVELS
from eduanalytics.tables.checks import non_negative, require


class NotEnoughPeople(ValueError):
    """More completions were asked for than people hold the level they start from."""


def single_years(population: pd.DataFrame, age_min: int, age_max: int) -> pd.DataFrame:
    """Age x level matrix of counts (floats), bands split evenly over their single years.

    Rows with attainment <NA> are ignored; ages above ``age_max`` are dropped; an open band
    starting at or below ``age_max`` raises (it cannot be split).
    """
    require(population, ["age_min", "age_max", "attainment", "count"], "population")
    non_negative(population, ["count"], "population")
    p = population[population["attainment"].notna() & population["age_min"].le(age_max)]
    if p["age_max"].isna().any():
        raise ValueError(f"an open-ended age band starts at or below {age_max}; cannot split it")
    bands = p[["age_min", "age_max"]].drop_duplicates().sort_values("age_min")
    if (bands["age_min"].iloc[1:].to_numpy() <= bands["age_max"].iloc[:-1].to_numpy()).any():
        raise ValueError("population age bands overlap")
    width = (p["age_max"] - p["age_min"] + 1).astype(int)
    rep = p.loc[p.index.repeat(width)].copy()
    rep["age"] = rep["age_min"] + rep.groupby(level=0).cumcount()
    rep["count"] = rep["count"].astype(float) / width.loc[rep.index]
    m = rep.pivot_table(index="age", columns="attainment", values="count", aggfunc="sum",
                        observed=True).fillna(0.0)
    return m.reindex(columns=list(LEVELS), fill_value=0.0)


def _mean(mat: pd.DataFrame, years: dict[str, float]) -> tuple[float, float]:
    yrs = pd.Series(years).reindex(mat.columns).fillna(0.0)
    persons = float(mat.to_numpy().sum())
    return float((mat * yrs).to_numpy().sum()) / persons, persons


def _apply_completions(work: pd.DataFrame, moves: pd.DataFrame, year: int) -> None:
    for r in moves[moves["year"] == year].itertuples(index=False):  # a few moves per year
        n = float(r.count)
        if n <= 0:
            continue
        have = work[r.level_from]
        total = float(have.sum())
        if n > total + 1e-9:
            raise NotEnoughPeople(f"{year}: {n:.0f} completions from {r.level_from} but only "
                                  f"{total:.0f} people of working age hold that level")
        share = have / total
        work[r.level_from] = have - n * share
        work[r.level_to] = work[r.level_to] + n * share


def project(population: pd.DataFrame, base_year: int, target_year: int, age_min: int = 20,
            age_max: int = 59, years: dict[str, float] | None = None,
            completions: pd.DataFrame | None = None, entrant_mix: pd.Series | None = None,
            survival: pd.Series | None = None) -> pd.DataFrame:
    """Project the mean years of schooling of ages ``age_min``-``age_max``.

    Parameters
    ----------
    population : DataFrame
        Base-year ``population`` rows of one unit (sum several units first), any bands.
    base_year, target_year : int
    age_min, age_max : int
        The working-age range.
    years : dict, optional
        Years per level.
    completions : DataFrame, optional
        year, level_from, level_to, count: programme completions moving people up.
    entrant_mix : Series, optional
        Attainment shares of each entering cohort (sums to 1).
    survival : Series, optional
        Probability of surviving the year, by age.

    Returns
    -------
    DataFrame
        year, persons, mean_years, entrants_mean_years (the mean of the cohort entering
        that year).
    """
    if target_year < base_year:
        raise ValueError(f"target year {target_year} is before the base year {base_year}")
    mat = single_years(population, min(age_min - 1, int(population["age_min"].min())), age_max)
    levels = list(mat.columns)
    yrs = years_mapping(years, [lv for lv in levels if mat[lv].sum() > 0] +
                        (list(completions["level_to"].unique()) if completions is not None else []))
    for lv in levels:
        yrs.setdefault(lv, 0.0)
    ages = np.arange(age_min, age_max + 1)
    work = mat.reindex(index=ages, fill_value=0.0)
    young = mat.loc[mat.index < age_min].sum(axis=1)
    if entrant_mix is None:
        head = mat.loc[age_min: age_min + 4].sum()
        entrant_mix = head / head.sum()
    entrant_mix = pd.Series(entrant_mix, dtype=float).reindex(levels, fill_value=0.0)
    if abs(entrant_mix.sum() - 1) > 1e-6:
        raise ValueError(f"entrant attainment shares sum to {entrant_mix.sum():g}; expected 1")
    if completions is not None:
        require(completions, ["year", "level_from", "level_to", "count"], "completions")
        non_negative(completions, ["count"], "completions")
        unknown = set(completions["level_from"]) | set(completions["level_to"])
        if unknown - set(levels):
            raise ValueError(f"unknown level(s) {sorted(unknown - set(levels))}")
        moves = completions.groupby(["year", "level_from", "level_to"], as_index=False)["count"].sum()
    else:
        moves = pd.DataFrame(columns=["year", "level_from", "level_to", "count"])
    rows = []
    m0, n0 = _mean(work, yrs)
    rows.append({"year": base_year, "persons": n0, "mean_years": m0,
                 "entrants_mean_years": float((entrant_mix * pd.Series(yrs).reindex(levels)).sum())})
    first_entrant_size = float(work.loc[age_min].sum())
    for step, year in enumerate(range(base_year + 1, target_year + 1), start=1):
        aged = work.shift(1).fillna(0.0)  # age a-1 -> a; the oldest cohort leaves
        size = float(young.get(age_min - step, first_entrant_size)) if len(young) else first_entrant_size
        aged.loc[age_min] = entrant_mix.to_numpy() * size
        if survival is not None:
            surv = pd.Series(survival, dtype=float).reindex(ages).fillna(1.0)
            aged = aged.mul(surv, axis=0)
        work = aged
        _apply_completions(work, moves, year)
        m, n = _mean(work, yrs)
        rows.append({"year": year, "persons": n, "mean_years": m,
                     "entrants_mean_years": rows[0]["entrants_mean_years"]})
    return pd.DataFrame(rows)


def completions_from_programmes(per_year: dict[str, float], steps: dict[str, dict[str, str]],
                                mix: dict[str, dict[str, float]], years: Sequence[int]) -> pd.DataFrame:
    """Turn completions per programme and year into level moves.

    Parameters
    ----------
    per_year : dict
        Programme -> completions per year.
    steps : dict
        Programme -> {level_from: level_to} (the config's ``programmes.*.steps``).
    mix : dict
        Programme -> {level_from: share} (shares sum to 1), e.g. the register's observed
        ``level_from`` mix.
    years : sequence of int
        Years the completions happen.
    """
    rows = []
    for prog, n in per_year.items():
        if prog not in steps:
            raise ValueError(f"programme {prog!r} has no steps in the config")
        shares = mix.get(prog) or {}
        if abs(sum(shares.values()) - 1) > 1e-6:
            raise ValueError(f"{prog}: level mix shares sum to {sum(shares.values()):g}; expected 1")
        for lv, s in shares.items():
            if lv not in steps[prog]:
                raise ValueError(f"{prog}: no step from level {lv!r} in the config")
            rows += [{"year": y, "level_from": lv, "level_to": steps[prog][lv], "count": n * s}
                     for y in years]
    return pd.DataFrame(rows, columns=["year", "level_from", "level_to", "count"])


def scenarios(population: pd.DataFrame, base_year: int, target_year: int,
              plans: dict[str, pd.DataFrame | None], **kw) -> pd.DataFrame:
    """Run several completion scenarios side by side, with the decomposition.

    Parameters
    ----------
    plans : dict
        Scenario name -> completions frame (``None`` = no programmes). A scenario named
        ``"none"`` is added when missing: it is the reference for the decomposition.
    **kw
        Passed to :func:`project`.

    Returns
    -------
    DataFrame
        scenario, year, persons, mean_years, entrants_mean_years, change (from the base
        year), cohort_replacement (the no-programme path's change), programmes (the rest).
    """
    plans = {"none": None, **plans}
    paths = {name: project(population, base_year, target_year, completions=c, **kw)
             for name, c in plans.items()}
    ref = paths["none"].set_index("year")["mean_years"]
    out = []
    for name, p in paths.items():
        p = p.assign(scenario=name)
        p["change"] = p["mean_years"] - p["mean_years"].iloc[0]
        p["cohort_replacement"] = p["year"].map(ref) - ref.iloc[0]
        p["programmes"] = p["change"] - p["cohort_replacement"]
        out.append(p)
    cols = ["scenario", "year", "persons", "mean_years", "entrants_mean_years", "change",
            "cohort_replacement", "programmes"]
    return pd.concat(out, ignore_index=True)[cols]
