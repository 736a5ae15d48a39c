"""What it takes: the smallest number of completions that reaches a target mean."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from eduanalytics.errors import DataError
from eduanalytics.indicators.projection import completions_from_programmes
from eduanalytics.indicators.projection_arrays import _LEVEL_INDEX, prepare, run


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


def _first_true(pred, lo: int, hi: int, guess: int | None = None, k: int = 64) -> int:
    """Smallest n in (lo, hi] with ``pred`` true, given pred(lo) false, pred(hi) true and
    pred monotone. ``pred`` takes an array of candidates and answers for each at once, so
    every pass evaluates up to ``k`` candidates in one vectorised projection; a ``guess``
    adds its neighbours to the first pass (one pass when the guess is right)."""
    extra = [] if guess is None else list(range(guess - 1, guess + 2))
    while hi - lo > 1:
        grid = np.linspace(lo, hi, k + 2).round().astype(np.int64)
        cand = np.unique(np.concatenate([grid, np.asarray(extra, dtype=np.int64)]))
        cand = cand[(cand > lo) & (cand < hi)]
        extra = []
        res = np.asarray(pred(cand), dtype=bool)
        if res.any():
            j = int(res.argmax())
            hi, lo = int(cand[j]), (int(cand[j - 1]) if j > 0 else lo)
        else:
            lo = int(cand[-1])
    return hi


def completions_needed(population: pd.DataFrame, base_year: int, target_year: int,
                       target_mean: float, mix: dict[str, float], steps: dict[str, dict[str, str]],
                       level_mix: dict[str, dict[str, float]], start_year: int | None = None,
                       **kw) -> Needed:
    """Smallest whole number of completions per year reaching ``target_mean`` by ``target_year``.

    The mean in the target year rises with the number of completions (each completion
    moves a person up a step). It is nearly linear in that number: exactly linear while
    the people moved stay of working age, slightly bent once moved people leave at
    ``age_max`` (the next year's completions then come from a changed age mix). So the
    answer is solved directly: the single-year matrix is built once; the most completions
    the eligible people allow is found from one projection of 41 doublings at once and
    k-ary refinement (64 candidates per vectorised projection); the number needed is
    guessed by linear interpolation between no completions and the most possible, and
    the guess and its neighbours are checked exactly in the same vectorised pass — with
    bracketing passes as the fallback when the bend moves the answer. About six
    vectorised projections in all, instead of ~51 one-unit projections, and the same
    answer as bisection.

    Parameters
    ----------
    population : DataFrame
        Base-year population of the unit (one unit: several stacked raise).
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
        Passed to :func:`eduanalytics.indicators.projection.project` (age_min, age_max,
        years, entrant_mix, survival).
    """
    if abs(sum(mix.values()) - 1) > 1e-9:
        raise DataError(f"programme mix shares sum to {sum(mix.values()):g}; expected 1",
                        column="mix", expected="shares summing to 1", found=sum(mix.values()))
    if target_year <= base_year:
        raise DataError(f"target year {target_year} must be after the base year {base_year}",
                        column="target_year", expected=f"> {base_year}", found=target_year)
    unknown = set(kw) - {"age_min", "age_max", "years", "entrant_mix", "survival"}
    if unknown:
        raise DataError(f"unknown option(s) {sorted(unknown)} (completions_needed takes one unit)",
                        expected="age_min, age_max, years, entrant_mix, survival",
                        found=sorted(unknown))
    years = list(range(start_year or base_year + 1, target_year + 1))
    template = completions_from_programmes({p: s for p, s in mix.items()}, steps, level_mix,
                                           years[:1] or [target_year])
    base1 = prepare(population, kw.get("age_min", 20), kw.get("age_max", 59),
                    years=kw.get("years"), entrant_mix=kw.get("entrant_mix"),
                    survival=kw.get("survival"), completions=[template])
    # each level move of n completions a year: the sum over programmes of (n * share) * level share
    terms: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for prog, s in mix.items():
        for lv, share in (level_mix.get(prog) or {}).items():
            terms.setdefault((lv, steps[prog][lv]), []).append((s, share))
    pairs = sorted(terms)

    def evaluate(ns) -> tuple[np.ndarray, np.ndarray]:
        ns = np.asarray(ns, dtype=float)
        counts = []
        for pair in pairs:
            acc = np.zeros(len(ns))
            for s, share in terms[pair]:
                acc = acc + (ns * s) * share
            counts.append((_LEVEL_INDEX[pair[0]], _LEVEL_INDEX[pair[1]], acc))
        moves = dict.fromkeys(years, counts)
        means, _, ok = run(base1.repeat(len(ns)), moves, base_year, target_year, on_short="flag")
        return means[:, -1], ok

    without = float(evaluate([0])[0][0])
    if without >= target_mean:
        return Needed(True, 0, dict.fromkeys(mix, 0.0), without, without, 0.0, 0)
    # the most completions per year the eligible people allow
    powers = 2 ** np.arange(0, 41, dtype=np.int64)
    ok = evaluate(powers)[1]
    if ok.all():
        max_n = int(powers[-1])
    else:
        first_bad = int(powers[int((~ok).argmax())])
        max_n = _first_true(lambda c: ~evaluate(c)[1], first_bad // 2 if first_bad > 1 else 0,
                            first_bad) - 1
    best = float(evaluate([max_n])[0][0])
    if best < target_mean:
        return Needed(False, None, {p: max_n * s for p, s in mix.items()}, best, without,
                      target_mean - best, max_n)
    guess = int(np.ceil(max_n * (target_mean - without) / (best - without)))
    up = _first_true(lambda c: evaluate(c)[0] >= target_mean, 0, max_n, guess=guess)
    reached = float(evaluate([up])[0][0])
    return Needed(True, up, {p: up * s for p, s in mix.items()}, reached, without, 0.0, max_n)
