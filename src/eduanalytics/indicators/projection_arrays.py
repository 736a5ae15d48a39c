"""The projection's engine: numpy arrays of units x levels x single ages.

:func:`prepare` checks a population table once over all its rows
(:mod:`eduanalytics.indicators.projection_input`) and builds, once per call, the
single-year array of every unit (bands split evenly over their years, with no loop over
units or rows), the years per level, the entrants' mix and the survival vector. :func:`run` ages the array year by year, adds the
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
from eduanalytics.indicators.projection_input import encode, level_index, population_rows
from eduanalytics.indicators.schooling import years_mapping
from eduanalytics.tables.attainment import LEVELS
from eduanalytics.tables.checks import known_values, numeric_counts, require

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


def _run_heads(*columns: np.ndarray) -> np.ndarray:
    """Positions where a run of rows equal in every column begins."""
    change = np.zeros(columns[0].size, dtype=bool)
    change[:1] = True
    for c in columns:
        change[1:] |= c[1:] != c[:-1]
    return np.flatnonzero(change)


def _bands(codes: np.ndarray, start: np.ndarray, width: np.ndarray, n_units: int, n_start: int,
           units: pd.Index, by: str | None, lo: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distinct bands (unit, start, width) by unit then age, and the band number of each
    (unit, start, width) given (in :func:`prepare`, one per run of rows of a band).

    Two widths at one start, or bands that overlap, raise, naming the unit and the band.
    """
    key = codes * n_start + start
    width_at = np.zeros(n_units * n_start, dtype=np.int64)
    width_at[key] = width
    other = np.flatnonzero(width_at[key] != width)  # same start, another width
    cell = np.flatnonzero(width_at)
    u, s = np.divmod(cell, n_start)
    w = width_at[cell]
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
    number = width_at  # reused: band number of each (unit, start) cell
    number[cell] = np.arange(cell.size)
    return u, s, w, number[key]


def _single_year_array(cell: np.ndarray, count: np.ndarray,
                       bands: tuple[np.ndarray, np.ndarray, np.ndarray], n_units: int,
                       n_ages: int) -> tuple[np.ndarray, np.ndarray]:
    """Counts (units, levels, ages) and the ages present, bands split evenly over their years.

    ``cell`` is each row's band number times the number of levels plus its level; ``bands``
    the distinct (unit, start, width) by unit then age (``start`` an offset from the
    array's youngest age), which never overlap (checked by :func:`_bands`). The rows are
    summed per band and level, then each band is
    spread over its years: when every unit has the same bands (the usual case) by one
    gather over the ages, else by one block copy per distinct (start, width).
    """
    n_lv = len(LEVELS)
    u, s, w = bands
    per_band = np.bincount(cell, weights=count,
                           minlength=u.size * n_lv).reshape(u.size, n_lv)
    k = u.size // n_units
    if k * n_units == u.size and (u == np.repeat(np.arange(n_units), k)).all():
        s_k, w_k = s.reshape(n_units, k), w.reshape(n_units, k)
        if (s_k == s_k[0]).all() and (w_k == w_k[0]).all():
            return _shared_bands(per_band, s_k[0], w_k[0], n_units, n_ages)
    arr = np.zeros((n_units, n_lv, n_ages))
    present = np.zeros((n_units, n_ages), dtype=bool)
    pair = s * (int(w.max()) + 1) + w
    order = np.argsort(pair, kind="stable")
    cuts = np.flatnonzero(np.diff(pair[order])) + 1
    for grp in np.split(order, cuts):
        s0, w0 = int(s[grp[0]]), int(w[grp[0]])
        ages = slice(s0, min(s0 + w0, n_ages))
        sel = slice(None) if len(grp) == n_units else u[grp]
        arr[sel, :, ages] = (per_band[grp] / w0)[:, :, None]
        present[sel, ages] = True
    return arr, present


def _shared_bands(per_band: np.ndarray, s: np.ndarray, w: np.ndarray, n_units: int,
                  n_ages: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_single_year_array` when every unit has the bands (``s``, ``w``)."""
    k, n_lv = s.size, per_band.shape[1]
    shares = np.zeros((n_units, n_lv, k + 1))  # the last one, 0, for ages of no band
    np.divide(per_band.reshape(n_units, k, n_lv).transpose(0, 2, 1), w, out=shares[:, :, :k])
    band_of_age = np.full(n_ages, k)
    for j in range(k):
        band_of_age[s[j]:s[j] + w[j]] = j
    present = np.broadcast_to(band_of_age < k, (n_units, n_ages)).copy()
    return np.take(shares, band_of_age, axis=2), present


def prepare(population: pd.DataFrame, age_min: int, age_max: int,
            years: dict[str, float] | None = None, entrant_mix: pd.Series | None = None,
            survival: pd.Series | None = None, by: str | None = None,
            completions: Iterable[pd.DataFrame | None] = (), keep_ages: bool = False) -> Base:
    """Check the population and build the base-year arrays (see :class:`Base`).

    The table is checked once over all its rows
    (:func:`~eduanalytics.indicators.projection_input.population_rows`). ``keep_ages``
    builds the array only (for :func:`projection.single_years`), without the working-age
    checks.
    """
    what = "population"
    rows = population_rows(population, by, what)
    units, unit_dtype = rows.units, rows.unit_dtype
    # a table holds the rows of one unit and band together (by sex and level): the bands
    # are worked out once per run of such rows
    heads = _run_heads(rows.codes, rows.age_lo, rows.age_hi)
    length = np.diff(np.append(heads, rows.codes.size))
    codes = rows.codes[heads].astype(np.int64)
    a_lo, a_hi = rows.age_lo[heads], rows.age_hi[heads]
    lv, count = rows.level, rows.count
    below = a_lo <= age_max
    if not below.all():
        keep = np.repeat(below, length)
        lv, count = lv[keep], count[keep]
        codes, a_lo, a_hi, length = codes[below], a_lo[below], a_hi[below], length[below]
    if a_lo.size == 0:
        raise DataError(f"{what}: no rows with an attainment level at ages up to {age_max}",
                        column="age_min", expected=f"rows starting at or below {age_max}",
                        found="none")
    open_top = a_hi < 0
    if open_top.any():
        raise DataError(f"{what}: an open-ended age band starts at or below {age_max}; cannot "
                        "split it", column="age_max", expected=f"closed bands up to {age_max}",
                        found=f"{a_lo[open_top.argmax()]}+")
    width = a_hi - a_lo + 1
    lo = int(min(age_min - 1, a_lo.min()))
    top = max(age_max, age_min + 4)
    start = a_lo - lo
    *bands, band = _bands(codes, start, width, len(units), age_max - lo + 1, units, by, lo)
    cell = np.repeat(band * len(LEVELS), length)  # each row's (band, level) cell
    cell += lv
    arr, present = _single_year_array(cell, count, tuple(bands), len(units), top - lo + 1)
    levels = list(LEVELS)
    to_levels = [lv for c in completions if c is not None and "level_to" in c
                 for lv in pd.unique(c["level_to"].dropna().astype(str))]
    held = arr.sum(axis=(0, 2)) > 0
    shown = [lv for i, lv in enumerate(levels) if held[i]]
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
    """Completions (year, level_from, level_to, count[, by]) as per-unit arrays by year.

    Counts of the same unit, year and step are added up; within a year the steps are
    taken in the order of (level_from, level_to) names. Rows missing a unit, year or level
    are left out.
    """
    moves: Moves = {}
    if completions is None or len(completions) == 0:
        return moves
    what = "completions"
    require(completions, ["year", "level_from", "level_to", "count"], what)
    c = numeric_counts(completions, ["count"], what)
    lf, lt = (level_index(c[col], what, col) for col in ("level_from", "level_to"))
    year_code, years = encode(c["year"], sort=True)
    n_units = len(base.units)
    per_unit = base.by is not None and base.by in c.columns
    if per_unit:
        unit_code, named = encode(c[base.by])
        pos = np.append(base.units.get_indexer(named), -1)
        stray = sorted(named[pos[:-1] < 0].tolist())
        if stray:
            raise DataError(f"{what}: {base.by} {stray[:5]} not in the population",
                            column=base.by, expected="units of the population", found=stray[:5])
        unit = pos[unit_code]
    else:
        unit = np.zeros(len(c), dtype=np.int64)
    ok = (unit >= 0) & (year_code >= 0) & (lf >= 0) & (lt >= 0)
    n_lv = len(LEVELS)
    rank = np.argsort(np.argsort(np.array(LEVELS)))  # a level's place in name order
    step = (year_code * n_lv + rank[lf]) * n_lv + rank[lt]
    keys, which = np.unique(step[ok], return_inverse=True)
    width = n_units if per_unit else 1
    total = np.bincount(which * width + unit[ok], weights=c["count"].to_numpy(dtype=float)[ok],
                        minlength=keys.size * width).reshape(keys.size, width)
    by_name = np.argsort(np.array(LEVELS))
    for key, n in zip(keys, total, strict=True):
        y, r_from, r_to = key // (n_lv * n_lv), (key // n_lv) % n_lv, key % n_lv
        moves.setdefault(int(years[y]), []).append(
            (int(by_name[r_from]), int(by_name[r_to]), n if per_unit else np.full(n_units, n[0])))
    return moves


#: Bytes of one block of units projected together: a block's arrays stay in the
#: processor's cache through all its years instead of streaming through memory each year.
BLOCK_BYTES = 1 << 21


def run(base: Base, moves: Moves, base_year: int, target_year: int,
        on_short: str = "raise") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Project every unit; return means and persons (units x years) and a feasible flag.

    ``on_short="raise"`` raises :class:`NotEnoughPeople` for the first unit with more
    completions than holders of a level (in the first year and step where any unit is
    short); ``"flag"`` marks it infeasible (its figures are then meaningless) and carries
    on. Units are projected in blocks of about :data:`BLOCK_BYTES`, each unit exactly as
    alone.
    """
    n_units, n_lv = base.arr.shape[:2]
    n_years = target_year - base_year + 1
    n_w = base.age_max - base.age_min + 1
    means, persons = np.empty((n_units, n_years)), np.empty((n_units, n_years))
    ok = np.ones(n_units, dtype=bool)
    size = max(1, BLOCK_BYTES // (8 * n_lv * (n_w + n_years)))
    shorts = []
    for b0 in range(0, n_units, size):
        blk = slice(b0, min(b0 + size, n_units))
        short = _run_block(base, moves, blk, base_year, target_year, means[blk], persons[blk],
                           ok[blk], stop=on_short == "raise")
        if short is not None:
            shorts.append(short)
    if shorts:
        _, _, i, year, lf, n, total = min(shorts)
        unit = "" if base.by is None else f"{base.by} {base.units[i]}: "
        raise NotEnoughPeople(
            f"{unit}{year}: {n:.0f} completions from {LEVELS[lf]} but only {total:.0f} people "
            "of working age hold that level", column="count", expected=f"at most {total:.0f}",
            found=float(n))
    return means, persons, ok


def _run_block(base: Base, moves: Moves, blk: slice, base_year: int, target_year: int,
               means: np.ndarray, persons: np.ndarray, ok: np.ndarray, stop: bool
               ) -> tuple | None:
    """:func:`run` for the units ``blk``, writing into their rows of ``means``,
    ``persons`` and ``ok``; with ``stop``, the first shortfall ends it and is returned as
    (step, move, unit, year, level_from, count, holders)."""
    arr, present, mix = base.arr[blk], base.present[blk], base.mix[blk]
    n_units, n_lv = arr.shape[:2]
    w0, n_w = base.age_min - base.lo, base.age_max - base.age_min + 1
    n_years = target_year - base_year + 1
    # ages of working age as a window sliding down one buffer: ageing a year moves the
    # window, the entering cohort is written just below it, the oldest falls out of it
    buf = np.empty((n_units, n_lv, n_w + n_years - 1))
    work = buf[:, :, n_years - 1:]
    work[...] = arr[:, :, w0:w0 + n_w]
    young = arr[:, 0, :w0].copy()  # people by age below working age
    for i in range(1, n_lv):
        young += arr[:, i, :w0]
    first = work[:, :, 0].sum(axis=1)

    def measure(t: int) -> None:
        by_level = work.sum(axis=2)
        persons[:, t] = by_level.sum(axis=1)
        by_level *= base.yrs  # a sum per unit, not a matrix product: the same in any block
        with np.errstate(invalid="ignore", divide="ignore"):
            means[:, t] = by_level.sum(axis=1) / persons[:, t]

    measure(0)
    for step, year in enumerate(range(base_year + 1, target_year + 1), start=1):
        work = buf[:, :, n_years - 1 - step:n_years - 1 - step + n_w]  # age a-1 -> a
        a = w0 - step
        size = np.where(present[:, a], young[:, a], first) if 0 <= a < w0 else first
        work[:, :, 0] = mix * size[:, None]
        if base.surv is not None:
            work *= base.surv
        for k, (lf, lt, n_all) in enumerate(moves.get(year, ())):
            n = n_all[blk]
            have = work[:, lf, :]
            total = have.sum(axis=1)
            short = n > total + 1e-9
            if short.any():
                if stop:
                    i = int(short.argmax())
                    return step, k, blk.start + i, year, lf, n[i], total[i]
                ok &= ~short
            moved = have / np.where(total > 0, total, 1.0)[:, None]
            moved *= n[:, None]
            have -= moved  # a view of work
            work[:, lt, :] += moved
        measure(step)
    return None
