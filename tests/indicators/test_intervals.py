"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.indicators.intervals import adjust_pvalues, poisson_rate_interval, wilson_interval


def test_wilson_textbook_value():
    # x=81, n=263 (Newcombe 1998; Brown-Cai-DasGupta 2001): p = 0.30798, z = 1.95996,
    # centre = (p + z²/2n)/(1 + z²/n) = 0.315283/1.014606 = 0.31074,
    # half = z*sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n) = 1.95996*0.028710/1.014606 = 0.05546
    ci = wilson_interval(pd.Series([81]), pd.Series([263])).iloc[0]
    assert ci["rate"] == pytest.approx(0.30798, abs=1e-5)
    assert ci["ci_low"] == pytest.approx(0.2553, abs=1e-4)
    assert ci["ci_high"] == pytest.approx(0.3662, abs=1e-4)


def test_wilson_rejects_bad_counts():
    with pytest.raises(ValueError, match="above its population"):
        wilson_interval([5], [3])
    with pytest.raises(ValueError, match="denominator"):
        wilson_interval([0], [0])
    with pytest.raises(ValueError, match=">= 0"):
        wilson_interval([-1], [3])


def test_poisson_interval_zero_events():
    # Garwood: 0 events -> upper = chi2(0.975, 2)/2 = 3.689 (the "rule of 3.7")
    ci = poisson_rate_interval([0], [1]).iloc[0]
    assert ci["ci_low"] == 0 and ci["ci_high"] == pytest.approx(3.689, abs=1e-3)


def test_holm_by_hand():
    # p sorted 0.01, 0.02, 0.04 with m=3: 3*0.01=0.03, max(0.03, 2*0.02)=0.04, max(0.04, 1*0.04)=0.04
    assert adjust_pvalues([0.04, 0.01, 0.02]).tolist() == pytest.approx([0.04, 0.03, 0.04])


def test_bad_counts_are_data_errors_naming_the_position():
    with pytest.raises(DataError, match="at position 2 of 3") as e:
        wilson_interval([1, 2, 5], [3, 3, 3])
    assert e.value.location.column == "successes" and e.value.found == (5.0, 3.0)
    with pytest.raises(DataError, match="at position 1 of 2"):
        wilson_interval([1, float("nan")], [3, 3])
    with pytest.raises(DataError, match="exposure > 0"):
        poisson_rate_interval([1, 2], [5, 0])
    with pytest.raises(DataError, match="confidence"):
        wilson_interval([1], [3], confidence=95)
    with pytest.raises(DataError, match="'holm' or 'bh'"):
        adjust_pvalues([0.1], method="bonferroni")
    with pytest.raises(DataError, match=r"p-values must lie in \[0, 1\]"):
        adjust_pvalues([0.1, 1.5])
