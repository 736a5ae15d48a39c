"""The projection's engine: numpy arrays of units x levels x single ages.

:func:`prepare` checks a population table and builds, once per call, the single-year
array of every unit (bands split evenly over their years), the years per level, the
entrants' mix and the survival vector. :func:`run` ages the array year by year, adds the
entering cohort, applies survival and moves completions up a level — each step one numpy
operation over all units at once. :mod:`eduanalytics.indicators.projection` turns the
arrays into tables; :mod:`eduanalytics.indicators.targets_needed` runs many candidate
completion counts as "units" of one array.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.indicators.schooling import years_mapping
from eduanalytics.tables.attainment import LEVELS
from eduanalytics.tables.checks import (
    age_ranges,
    known_values,
    numeric_counts,
    one_unit_per_group,
    require,
)

_LEVEL_INDEX = {lv: i for i, lv in enumerate(LEVELS)}

#: year -> [(level_from index, level_to index, completions per unit), ...] in level order.
Moves = dict[int, list[tuple[int, int, np.ndarray]]]


class NotEnoughPeople(DataError):
    """More completions were asked for than people hold the level they start from."""


@dataclass(frozen=True)
class Base:
    """Base-year state of every unit, built once by :func:`prepare`.

    ``arr`` holds counts of shape (units, levels, ages ``lo``..``lo + n_ages - 1``);
    ``present`` marks the ages a unit's data reach; ``mix`` the entrants' shares per unit.
    """

    by: str | None
    units: pd.Index
    unit_dtype: object
    lo: int
    age_min: int
    age_max: int
    arr: np.ndarray
    present: np.ndarray
    yrs: np.ndarray
    mix: np.ndarray
    surv: np.ndarray | None
    entrants_mean: np.ndarray

    def repeat(self, k: int) -> Base:
        """The first unit repeated ``k`` times (candidates of a search, one per "unit")."""
        def rep(a):
            return np.repeat(a[:1], k, axis=0)
        return replace(self, units=pd.Index(np.arange(k)), arr=rep(self.arr), present=rep(self.present),
                       mix=rep(self.mix), entrants_mean=rep(self.entrants_mean))


def _units(p: pd.DataFrame, by: str | None) -> tuple[np.ndarray, np.ndarray, object]:
    if by is None:
        return np.zeros(len(p), dtype=np.int64), pd.Index([None], dtype=object), None
    codes, units = pd.factorize(p[by], sort=True)
    return codes.astype(np.int64), pd.Index(units), p[by].dtype


def _single_year_array(codes: np.ndarray, start: np.ndarray, lv: np.ndarray, count: np.ndarray,
                       bands: tuple[np.ndarray, np.ndarray, np.ndarray], n_units: int,
                       n_ages: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts (units, levels, ages) and the ages present, bands split evenly over their years.

    ``start`` is each row's first age (offset from the array's youngest), ``bands`` the
    distinct (unit, start, width) of the units, which never overlap (checked by the caller).
    """
    n_lv = len(LEVELS)
    # one cell per (unit, level, band start)
    first = np.bincount((codes * n_lv + lv) * n_ages + start, weights=count,
                        minlength=n_units * n_lv * n_ages).reshape(n_units, n_lv, n_ages)
    u, s, w = bands
    arr = np.zeros((n_units, n_lv, n_ages))
    present = np.zeros((n_units, n_ages), dtype=bool)
    # one block copy per distinct band (start, width): units usually share their bands
    pair = s * (int(w.max()) + 1) + w
    order = np.argsort(pair, kind="stable")
    cuts = np.flatnonzero(np.diff(pair[order])) + 1
    for grp in np.split(order, cuts):
        s0, w0 = int(s[grp[0]]), int(w[grp[0]])
        ages = slice(s0, min(s0 + w0, n_ages))
        sel = slice(None) if len(grp) == n_units else u[grp]
        arr[sel, :, ages] = (first[sel, :, s0] / w0)[:, :, None]
        present[sel, ages] = True
    return arr, present


def _bands(codes: np.ndarray, start: np.ndarray, width: np.ndarray, n_units: int, n_start: int,
           units: np.ndarray, by: str | None, lo: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct bands (unit, start, width) by unit then age; overlapping bands raise."""
    width_at = np.zeros((n_units, n_start), dtype=np.int64)
    width_at[codes, start] = width
    other = np.flatnonzero(width_at[codes, start] != width)  # same start, another width
    u, s = np.nonzero(width_at)
    w = width_at[u, s]
    clash = np.flatnonzero((u[1:] == u[:-1]) & (s[1:] < s[:-1] + w[:-1])) + 1
    if other.size or clash.size:
        if other.size:
            i = other[0]
            unit, a, b = codes[i], start[i] + lo, start[i] + width[i] - 1 + lo
        else:
            i = clash[0]
            unit, a, b = u[i], s[i] + lo, s[i] + w[i] - 1 + lo
        name = "" if by is None else f" for {by} {units[int(unit)]}"
        raise DataError(f"population: population age bands overlap{name} (the band {a}-{b} "
                        "overlaps another)", column="age_min", expected="bands that do not overlap",
                        found=f"{a}-{b}")
    return u, s, w


def prepare(population: pd.DataFrame, age_min: int, age_max: int,
            years: dict[str, float] | None = None, entrant_mix: pd.Series | None = None,
            survival: pd.Series | None = None, by: str | None = None,
            completions: Iterable[pd.DataFrame | None] = (), keep_ages: bool = False) -> Base:
    """Check the population and build the base-year arrays (see :class:`Base`).

    ``keep_ages`` builds the array only (for :func:`projection.single_years`), without
    the working-age checks.
    """
    what = "population"
    require(population, [*([by] if by else []), "age_min", "age_max", "attainment", "count"], what)
    cols = [*([by] if by else []), *(c for c in ("unit_id", "sex") if c in population.columns),
            "age_min", "age_max", "attainment", "count"]
    p = population.loc[population["attainment"].notna().to_numpy(dtype=bool),
                       list(dict.fromkeys(cols))]
    p = age_ranges(p, what)
    p = numeric_counts(p, ["count"], what)
    lv_codes, lv_uniq = pd.factorize(p["attainment"])
    known_values(pd.Series(lv_uniq, dtype=object), LEVELS, what, "attainment")
    lv = np.array([_LEVEL_INDEX[str(x)] for x in lv_uniq], dtype=np.int64)[lv_codes]
    one_unit_per_group(p, [by] if by else [], what)
    codes, units, unit_dtype = _units(p, by)
    below = p["age_min"].le(age_max).to_numpy(dtype=bool)
    p, codes, lv = p[below], codes[below], lv[below]
    if p.empty:
        raise DataError(f"{what}: no rows with an attainment level at ages up to {age_max}",
                        column="age_min", expected=f"rows starting at or below {age_max}",
                        found="none")
    if p["age_max"].isna().any():
        raise DataError(f"{what}: an open-ended age band starts at or below {age_max}; cannot "
                        "split it", column="age_max", expected=f"closed bands up to {age_max}",
                        found=f"{p.loc[p['age_max'].isna(), 'age_min'].iloc[0]}+")
    a_lo = p["age_min"].to_numpy(dtype=np.int64)
    width = p["age_max"].to_numpy(dtype=np.int64) - a_lo + 1
    lo = int(min(age_min - 1, a_lo.min()))
    top = max(age_max, age_min + 4)
    start = a_lo - lo
    bands = _bands(codes, start, width, len(units), age_max - lo + 1, units, by, lo)
    arr, present = _single_year_array(codes, start, lv, p["count"].to_numpy(dtype=float), bands,
                                      len(units), top - lo + 1)
    levels = list(LEVELS)
    to_levels = [lv for c in completions if c is not None and "level_to" in c
                 for lv in pd.unique(c["level_to"].dropna().astype(str))]
    shown = [lv for i, lv in enumerate(levels) if arr[:, i, :].sum() > 0]
    mapping = years_mapping(years, shown + to_levels) if not keep_ages else {}
    yrs = np.array([float(mapping.get(lv, 0.0)) for lv in levels])
    n_units = len(units)
    w0 = age_min - lo
    if keep_ages:
        mix = np.zeros((n_units, len(levels)))
    elif entrant_mix is None:
        head = arr[:, :, w0:w0 + 5].sum(axis=2)
        total = head.sum(axis=1)
        if (total <= 0).any():
            bad = units[total <= 0][:5].tolist()
            raise DataError(f"{what}: nobody aged {age_min}-{age_min + 4} to take the entrants' "
                            f"attainment mix from ({by or 'unit'} {bad}); pass entrant_mix",
                            column="count", expected=f"people aged {age_min}-{age_min + 4}",
                            found=0)
        mix = head / total[:, None]
    else:
        shares = pd.Series(entrant_mix, dtype=float)
        known_values(pd.Series(shares.index), levels, "entrant_mix", "attainment")
        shares = shares.reindex(levels, fill_value=0.0)
        if not abs(shares.sum() - 1) <= 1e-6:
            raise DataError(f"entrant attainment shares sum to {shares.sum():g}; expected 1",
                            column="entrant_mix", expected="shares summing to 1",
                            found=float(shares.sum()))
        mix = np.tile(shares.to_numpy(), (n_units, 1))
    persons = arr[:, :, w0:w0 + age_max - age_min + 1].sum(axis=(1, 2))
    if not keep_ages and (persons <= 0).any():
        bad = units[persons <= 0][:5].tolist()
        raise DataError(f"{what}: nobody of working age ({age_min}-{age_max}) in "
                        f"{by or 'unit'} {bad}; a mean needs people", column="count",
                        expected="people of working age", found=0)
    surv = None
    if survival is not None:
        surv = pd.Series(survival, dtype=float).reindex(np.arange(age_min, age_max + 1))
        surv = surv.fillna(1.0).to_numpy()
    return Base(by, units, unit_dtype, lo, age_min, age_max, arr, present, yrs, mix, surv,
                (mix * yrs).sum(axis=1))


def moves_from_frame(completions: pd.DataFrame | None, base: Base) -> Moves:
    """Completions (year, level_from, level_to, count[, by]) as per-unit arrays by year."""
    moves: Moves = {}
    if completions is None or len(completions) == 0:
        return moves
    what = "completions"
    require(completions, ["year", "level_from", "level_to", "count"], what)
    c = numeric_counts(completions, ["count"], what)
    for col in ("level_from", "level_to"):
        known_values(c[col], LEVELS, what, col)
    n_units = len(base.units)
    if base.by is not None and base.by in c.columns:
        g = c.groupby([base.by, "year", "level_from", "level_to"])["count"].sum()
        wide = g.unstack(base.by)
        stray = sorted(set(wide.columns) - set(base.units))
        if stray:
            raise DataError(f"{what}: {base.by} {stray[:5]} not in the population",
                            column=base.by, expected="units of the population", found=stray[:5])
        wide = wide.reindex(columns=list(base.units)).fillna(0.0)
        items = [(k, row.to_numpy(dtype=float)) for k, row in wide.iterrows()]
    else:
        g = c.groupby(["year", "level_from", "level_to"])["count"].sum()
        items = [(k, np.full(n_units, float(n))) for k, n in g.items()]
    for (year, lf, lt), n in items:
        moves.setdefault(int(year), []).append((_LEVEL_INDEX[lf], _LEVEL_INDEX[lt], n))
    return moves


def run(base: Base, moves: Moves, base_year: int, target_year: int,
        on_short: str = "raise") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project every unit; return means and persons (units x years) and a feasible flag.

    ``on_short="raise"`` raises :class:`NotEnoughPeople` for the first unit with more
    completions than holders of a level; ``"flag"`` marks it infeasible (its figures are
    then meaningless) and carries on.
    """
    n_units = base.arr.shape[0]
    w0, n_w = base.age_min - base.lo, base.age_max - base.age_min + 1
    work = base.arr[:, :, w0:w0 + n_w].copy()
    spare = np.empty_like(work)
    young = base.arr[:, :, :w0].sum(axis=1)
    first = work[:, :, 0].sum(axis=1)
    n_years = target_year - base_year + 1
    means, persons = np.empty((n_units, n_years)), np.empty((n_units, n_years))
    ok = np.ones(n_units, dtype=bool)

    def measure(t: int) -> None:
        by_level = work.sum(axis=2)
        persons[:, t] = by_level.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means[:, t] = (by_level @ base.yrs) / persons[:, t]

    measure(0)
    for step, year in enumerate(range(base_year + 1, target_year + 1), start=1):
        spare[:, :, 1:] = work[:, :, :-1]  # age a-1 -> a; the oldest cohort leaves
        work, spare = spare, work
        a = w0 - step
        size = np.where(base.present[:, a], young[:, a], first) if 0 <= a < w0 else first
        work[:, :, 0] = base.mix * size[:, None]
        if base.surv is not None:
            work *= base.surv
        for lf, lt, n in moves.get(year, ()):
            have = work[:, lf, :]
            total = have.sum(axis=1)
            short = n > total + 1e-9
            if short.any():
                if on_short == "raise":
                    i = int(short.argmax())
                    unit = "" if base.by is None else f"{base.by} {base.units[i]}: "
                    raise NotEnoughPeople(
                        f"{unit}{year}: {n[i]:.0f} completions from {LEVELS[lf]} but only "
                        f"{total[i]:.0f} people of working age hold that level",
                        column="count", expected=f"at most {total[i]:.0f}", found=float(n[i]))
                ok &= ~short
            moved = n[:, None] * (have / np.where(total > 0, total, 1.0)[:, None])
            work[:, lf, :] = have - moved
            work[:, lt, :] = work[:, lt, :] + moved
        measure(step)
    return means, persons, ok
