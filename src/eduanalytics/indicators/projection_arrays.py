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
    units: np.ndarray
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
        return replace(self, units=np.arange(k), arr=rep(self.arr), present=rep(self.present),
                       mix=rep(self.mix), entrants_mean=rep(self.entrants_mean))


def _units(p: pd.DataFrame, by: str | None) -> tuple[np.ndarray, np.ndarray, object]:
    if by is None:
        return np.zeros(len(p), dtype=np.int64), np.array([None], dtype=object), None
    codes, units = pd.factorize(p[by], sort=True)
    return codes.astype(np.int64), np.asarray(units, dtype=object), p[by].dtype


def _single_year_array(p: pd.DataFrame, codes: np.ndarray, n_units: int, lo: int,
                       top: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts (units, levels, ages lo..top) and the ages present, bands split evenly."""
    n_ages, n_lv = top - lo + 1, len(LEVELS)
    amin = p["age_min"].to_numpy(dtype=np.int64) - lo
    width = p["age_max"].to_numpy(dtype=np.int64) - p["age_min"].to_numpy(dtype=np.int64) + 1
    lv_codes, lv_uniq = pd.factorize(p["attainment"])
    lv = np.array([_LEVEL_INDEX[str(x)] for x in lv_uniq], dtype=np.int64)[lv_codes]
    # one cell per (unit, level, band start): bands of one unit never overlap (checked)
    start = np.bincount((codes * n_lv + lv) * n_ages + amin,
                        weights=p["count"].to_numpy(dtype=float),
                        minlength=n_units * n_lv * n_ages).reshape(n_units, n_lv, n_ages)
    wbase = int(width.max()) + 1
    key = np.unique((codes * n_ages + amin) * wbase + width)  # distinct bands of each unit
    u, s = np.divmod(key // wbase, n_ages)
    w = key % wbase
    k = np.arange(int(w.sum())) - np.repeat(np.cumsum(w) - w, w)
    u_rep, s_rep, w_rep = np.repeat(u, w), np.repeat(s, w), np.repeat(w, w)
    age = s_rep + k
    keep = age < n_ages
    u_rep, s_rep, w_rep, age = u_rep[keep], s_rep[keep], w_rep[keep], age[keep]
    arr = np.zeros((n_units, n_lv, n_ages))
    arr[u_rep, :, age] = start[u_rep, :, s_rep] / w_rep[:, None]
    present = np.zeros((n_units, n_ages), dtype=bool)
    present[u_rep, age] = True
    return arr, present


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
    p = population[population["attainment"].notna()]
    p = age_ranges(p, what)
    p = numeric_counts(p, ["count"], what)
    known_values(p["attainment"], LEVELS, what, "attainment")
    one_unit_per_group(p, [by] if by else [], what)
    codes, units, unit_dtype = _units(p, by)
    below = p["age_min"].le(age_max).to_numpy(dtype=bool)
    p, codes = p[below], codes[below]
    if p.empty:
        raise DataError(f"{what}: no rows with an attainment level at ages up to {age_max}",
                        column="age_min", expected=f"rows starting at or below {age_max}",
                        found="none")
    if p["age_max"].isna().any():
        raise DataError(f"{what}: an open-ended age band starts at or below {age_max}; cannot "
                        "split it", column="age_max", expected=f"closed bands up to {age_max}",
                        found=f"{p.loc[p['age_max'].isna(), 'age_min'].iloc[0]}+")
    a_lo = p["age_min"].to_numpy(dtype=np.int64)
    a_hi = p["age_max"].to_numpy(dtype=np.int64)
    big = int(a_hi.max()) + 2
    key = np.unique((codes * big + a_lo) * big + a_hi)  # distinct bands, by unit then age
    b_u, rest = np.divmod(key, big * big)
    b_lo, b_hi = np.divmod(rest, big)
    clash = np.flatnonzero((b_u[1:] == b_u[:-1]) & (b_lo[1:] <= b_hi[:-1])) + 1
    if clash.size:
        i = clash[0]
        unit = "" if by is None else f" for {by} {units[int(b_u[i])]}"
        raise DataError(f"{what}: population age bands overlap{unit} (a band starting at "
                        f"{b_lo[i]} overlaps the one before it)", column="age_min",
                        expected="bands that do not overlap", found=f"{b_lo[i]}-{b_hi[i]}")
    lo = int(min(age_min - 1, a_lo.min()))
    top = max(age_max, age_min + 4)
    arr, present = _single_year_array(p, codes, len(units), lo, top)
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
    young = base.arr[:, :, :w0].sum(axis=1)
    first = work[:, :, 0].sum(axis=1)
    n_years = target_year - base_year + 1
    means, persons = np.empty((n_units, n_years)), np.empty((n_units, n_years))
    ok = np.ones(n_units, dtype=bool)
    yrs = base.yrs[None, :, None]

    def measure(t: int) -> None:
        persons[:, t] = work.reshape(n_units, -1).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            means[:, t] = (work * yrs).reshape(n_units, -1).sum(axis=1) / persons[:, t]

    measure(0)
    for step, year in enumerate(range(base_year + 1, target_year + 1), start=1):
        work[:, :, 1:] = work[:, :, :-1].copy()  # age a-1 -> a; the oldest cohort leaves
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
