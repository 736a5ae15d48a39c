"""Confidence intervals, multiple-testing adjustment and funnel-plot limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from eduanalytics.errors import DataError


def _first_bad(bad: np.ndarray, message: str, column: str, expected: str, a: np.ndarray,
               b: np.ndarray) -> None:
    """Raise :class:`DataError` naming the first position where ``bad`` holds."""
    bad = np.atleast_1d(bad)
    if bad.any():
        i = int(bad.argmax())
        a1, b1 = np.atleast_1d(a), np.atleast_1d(b)
        found = a1[i] if a1 is b1 else (a1[min(i, a1.size - 1)], b1[min(i, b1.size - 1)])
        raise DataError(f"{message} (at position {i} of {bad.size})", column=column,
                        expected=expected, found=found)


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise DataError(f"confidence must be between 0 and 1, got {confidence}",
                        column="confidence", expected="0 < confidence < 1", found=confidence)
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson_interval(successes, trials, confidence: float = 0.95) -> pd.DataFrame:
    """Wilson score interval for binomial proportions (vectorised).

    ``rate = x/n``; interval ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``
    (Wilson 1927; recommended by Brown, Cai & DasGupta 2001 over the Wald interval, and
    sensible for the small denominators of small units).

    Parameters
    ----------
    successes, trials : array-like
        Counts; ``0 <= successes <= trials`` and ``trials > 0``.
    confidence : float
        Coverage, default 0.95.

    Returns
    -------
    DataFrame
        ``rate``, ``ci_low``, ``ci_high`` (proportions, not percent).
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    _first_bad((x < 0) | (n < 0) | np.isnan(x) | np.isnan(n), "counts must be >= 0",
               "successes/trials", "counts >= 0", x, n)
    _first_bad(n == 0, "a rate needs a denominator > 0; got trials == 0", "trials",
               "a denominator > 0", x, n)
    _first_bad(x > n, "successes exceed trials: a participant count above its population",
               "successes", "successes <= trials", x, n)
    z = _z(confidence)
    p = x / n
    denom = 1 + z**2 / n
    centre = (p + z**2 / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    index = successes.index if isinstance(successes, pd.Series) else None
    return pd.DataFrame({"rate": p, "ci_low": np.clip(centre - half, 0, 1),
                         "ci_high": np.clip(centre + half, 0, 1)}, index=index)


def poisson_rate_interval(events, exposure, confidence: float = 0.95) -> pd.DataFrame:
    """Exact (Garwood) interval for a rate of events (person-times) per person.

    Person-times can exceed the population, so a binomial interval does not apply.
    """
    k = np.asarray(events, dtype=float)
    e = np.asarray(exposure, dtype=float)
    _first_bad((k < 0) | (e <= 0) | np.isnan(k) | np.isnan(e),
               "events must be >= 0 and exposure > 0", "events/exposure",
               "events >= 0 and exposure > 0", k, e)
    a = 1 - confidence
    lo = np.where(k == 0, 0.0, stats.chi2.ppf(a / 2, 2 * k) / 2)
    hi = stats.chi2.ppf(1 - a / 2, 2 * k + 2) / 2
    index = events.index if isinstance(events, pd.Series) else None
    return pd.DataFrame({"rate": k / e, "ci_low": lo / e, "ci_high": hi / e}, index=index)


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Adjust p-values for multiple comparisons.

    Parameters
    ----------
    p : array-like
        Raw p-values.
    method : {"holm", "bh"}
        Holm's step-down (family-wise error) or Benjamini-Hochberg (false discovery rate,
        via ``scipy.stats.false_discovery_control``).
    """
    p = np.asarray(p, dtype=float)
    if p.size == 0:
        return p
    if np.any((p < 0) | (p > 1)):
        _first_bad((p < 0) | (p > 1), "p-values must lie in [0, 1]", "p", "0 <= p <= 1", p, p)
    if method == "bh":
        return stats.false_discovery_control(p, method="bh")
    if method != "holm":
        raise DataError(f"method must be 'holm' or 'bh', got {method!r}", column="method",
                        expected="'holm' or 'bh'", found=method)
    m = p.size
    order = np.argsort(p, kind="stable")
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def funnel_limits(size, target: float, levels=(0.95, 0.998), kind: str = "ratio") -> pd.DataFrame:
    """Control limits of a funnel plot at each size.

    Parameters
    ----------
    size : array-like
        Denominators (population, census count).
    target : float
        The central value (a proportion, or an expected ratio).
    levels : tuple of float
        Two-sided coverage of each pair of limits (95 % and 99.8 %, Spiegelhalter 2005).
    kind : {"proportion", "ratio"}
        Binomial limits ``t ± z·sqrt(t(1-t)/n)`` or Poisson-ratio limits ``t ± z·sqrt(t/n)``.

    Returns
    -------
    DataFrame
        ``size`` and ``low_<level>``, ``high_<level>`` columns.
    """
    n = np.asarray(size, dtype=float)
    if np.any(n <= 0):
        _first_bad(~(n > 0), "funnel sizes must be > 0", "size", "sizes > 0", n, n)
    var = target * (1 - target) / n if kind == "proportion" else target / n
    out = {"size": n}
    for lev in levels:
        z = _z(lev)
        out[f"low_{lev:g}"] = np.maximum(target - z * np.sqrt(var), 0)
        out[f"high_{lev:g}"] = target + z * np.sqrt(var)
    return pd.DataFrame(out)
