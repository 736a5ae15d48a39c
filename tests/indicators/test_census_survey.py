"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.indicators.census_survey import (
    closest_units,
    compare_counts,
    funnel_table,
    target_group,
)


def _cs():
    rows = [("a", "census", 100), ("a", "survey", 90), ("b", "census", 1000), ("b", "survey", 800),
            ("c", "census", 50)]
    return pd.DataFrame([(u, s, 2020, 20, 59, "total", "primary", n) for u, s, n in rows],
                        columns=["unit_id", "source", "year", "age_min", "age_max", "sex", "attainment", "count"])


def test_census_survey_small_case_by_hand():
    c = compare_counts(target_group(_cs()), null_ratio=1.0).set_index("unit_id")
    # a: S=90, C=100, N=190, under H0 S ~ Bin(190, 1/2): z = (90.5 - 95)/sqrt(47.5) = -0.653,
    # two-sided p ≈ 0.514 (normal approximation; the exact test gives 0.5133)
    assert c.loc["a", "difference"] == -10 and c.loc["a", "ratio"] == pytest.approx(0.9)
    assert c.loc["a", "relative_gap"] == pytest.approx(-0.1)
    assert c.loc["a", "p_value"] == pytest.approx(0.514, abs=0.005)
    # b: 800 of 1800 vs 900 expected, z = (800.5-900)/sqrt(450) = -4.69 -> p < 1e-5
    assert c.loc["b", "p_value"] < 1e-5
    # Holm over 2 tests: b first (2 x p_b), then a: max(2 p_b, 1 x p_a) = p_a
    assert c.loc["a", "p_adjusted"] == pytest.approx(c.loc["a", "p_value"])
    assert c.loc["c", "present"] == "census_only" and pd.isna(c.loc["c", "p_value"])
    ranked = closest_units(c.reset_index())
    assert ranked["unit_id"].tolist() == ["a", "b", "c"]
    f = funnel_table(c.reset_index())
    assert set(f["unit_id"]) == {"a", "b"}
    # pooled ratio 890/1100 = 0.809
    assert f["target_ratio"].iloc[0] == pytest.approx(890 / 1100)
