"""What it takes: the smallest number of completions that reaches a target mean."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from eduanalytics.indicators.projection import NotEnoughPeople, completions_from_programmes, project


@dataclass(frozen=True)
class Needed:
    """Answer of :func:`completions_needed`.

    Attributes
    ----------
    reachable : bool
        Whether programmes alone can reach the target by the target year.
    per_year : int or None
        Smallest whole number of completions per year (all programmes together) that
        reaches it; None when out of reach.
    by_programme : dict
        ``per_year`` split by the mix.
    mean_reached : float
        Mean in the target year with ``per_year`` (or with the most the eligible people
        allow, when out of reach).
    mean_without : float
        Mean in the target year with no programmes.
    shortfall : float
        Years short of the target at the most possible (0 when reachable).
    max_per_year : int
        Most completions per year the eligible people allow.
    """

    reachable: bool
    per_year: int | None
    by_programme: dict[str, float]
    mean_reached: float
    mean_without: float
    shortfall: float
    max_per_year: int


def completions_needed(population: pd.DataFrame, base_year: int, target_year: int,
                       target_mean: float, mix: dict[str, float], steps: dict[str, dict[str, str]],
                       level_mix: dict[str, dict[str, float]], start_year: int | None = None,
                       **kw) -> Needed:
    """Smallest whole number of completions per year reaching ``target_mean`` by ``target_year``.

    The mean in the target year rises with the number of completions (each completion
    moves a person up a step), so the answer is found by bisection on whole numbers.

    Parameters
    ----------
    population : DataFrame
        Base-year population of the unit.
    base_year, target_year : int
    target_mean : float
        Target mean years of schooling of the working-age population.
    mix : dict
        Programme -> share of the completions (sums to 1).
    steps, level_mix : dict
        See :func:`eduanalytics.indicators.projection.completions_from_programmes`.
    start_year : int, optional
        First year with completions (default base_year + 1).
    **kw
        Passed to :func:`eduanalytics.indicators.projection.project` (age range, years, survival...).
    """
    if abs(sum(mix.values()) - 1) > 1e-9:
        raise ValueError(f"programme mix shares sum to {sum(mix.values()):g}; expected 1")
    if target_year <= base_year:
        raise ValueError(f"target year {target_year} must be after the base year {base_year}")
    years = range(start_year or base_year + 1, target_year + 1)

    def final(n: int) -> float:
        c = completions_from_programmes({p: n * s for p, s in mix.items()}, steps, level_mix, years)
        return float(project(population, base_year, target_year, completions=c, **kw)["mean_years"].iloc[-1])

    def feasible(n: int) -> bool:
        try:
            final(n)
            return True
        except NotEnoughPeople:
            return False

    without = final(0)
    if without >= target_mean:
        return Needed(True, 0, dict.fromkeys(mix, 0.0), without, without, 0.0, 0)
    # the most completions per year the eligible people allow (doubling, then bisection)
    hi = 1
    while feasible(hi):
        hi *= 2
    lo = hi // 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if feasible(mid) else (lo, mid)
    max_n = lo
    best = final(max_n)
    if best < target_mean:
        return Needed(False, None, {p: max_n * s for p, s in mix.items()}, best, without,
                      target_mean - best, max_n)
    lo, up = 0, max_n  # invariant: final(lo) < target <= final(up)
    while up - lo > 1:
        mid = (lo + up) // 2
        lo, up = (lo, mid) if final(mid) >= target_mean else (mid, up)
    return Needed(True, up, {p: up * s for p, s in mix.items()}, final(up), without, 0.0, max_n)
