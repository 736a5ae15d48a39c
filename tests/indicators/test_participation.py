"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.seed000 import PROGRAMMES, _enrol

from eduanalytics.indicators.participation import (
    eligible_population,
    participation_rates,
    rank_units,
)


def _population():
    rows = []
    for unit, low, high in (("a", 900, 100), ("b", 40, 10)):
        rows += [(unit, "census", 2020, 20, 39, "male", "junior_secondary", low // 2),
                 (unit, "census", 2020, 20, 39, "female", "junior_secondary", low - low // 2),
                 (unit, "census", 2020, 40, 59, "male", "senior_secondary", high),
                 (unit, "census", 2020, 60, None, "male", "primary", 500)]
    return pd.DataFrame(rows, columns=["unit_id", "source", "year", "age_min", "age_max", "sex",
                                       "attainment", "count"]).astype({"age_max": "Int64"})


def test_participation_rate_and_small_unit_not_a_leader():
    pop = _population()
    e = pd.concat([_enrol("a", "secondary_upgrade", 90), _enrol("b", "secondary_upgrade", 6)])
    r = participation_rates(e, pop, PROGRAMMES, programme_ids=["secondary_upgrade"], min_denominator=100)
    r = r.set_index("unit_id")
    # a: 90 of 900 eligible (20-59, junior secondary or below) = 10 %; b: 6 of 40 = 15 %
    assert r.loc["a", "rate"] == pytest.approx(0.10) and r.loc["b", "rate"] == pytest.approx(0.15)
    assert bool(r.loc["b", "small_denominator"]) and not bool(r.loc["a", "small_denominator"])
    ranked = rank_units(r.reset_index())
    assert ranked.iloc[0]["unit_id"] == "a"  # b's higher point rate has a wide interval


def test_participation_errors():
    pop = _population()
    with pytest.raises(ValueError, match="unknown programme"):
        participation_rates(_enrol("a", "secondary_upgrade", 1), pop, PROGRAMMES, programme_ids=["x"])
    with pytest.raises(ValueError, match="above its population"):
        participation_rates(_enrol("b", "secondary_upgrade", 41), pop, PROGRAMMES,
                            programme_ids=["secondary_upgrade"])
    with pytest.raises(ValueError, match="no eligible population"):
        participation_rates(_enrol("zz", "secondary_upgrade", 1), pop, PROGRAMMES,
                            programme_ids=["secondary_upgrade"])
    bad = pop.copy()
    bad.loc[0, "count"] = -3
    with pytest.raises(ValueError, match="negative"):
        eligible_population(bad, "secondary_upgrade", PROGRAMMES)
    straddle = pop.copy()
    straddle.loc[0, "age_max"] = 64
    with pytest.raises(ValueError, match="straddles"):
        eligible_population(straddle, "secondary_upgrade", PROGRAMMES)


def test_continuing_education_participation_against_seed003_targets():
    # seed 003 targets: 社区教育参与率 35 %, 从业人员继续教育参与率 25 %. Made-up counts:
    # 3,150 of 10,000 residents -> 31.5 % (3.5 points short); 600 of 2,000 employees -> 30 %
    counts = pd.DataFrame({"indicator": ["community_education_participation", "employee_ce_participation"],
                           "participants": [3150, 600], "population": [10000, 2000]})
    targets = pd.DataFrame({"indicator": ["community_education_participation", "employee_ce_participation"],
                            "target_value": [35.0, 25.0], "unit": "percent"})
    from eduanalytics.indicators.participation import ce_participation

    r = ce_participation(counts, targets).set_index("indicator")
    assert r.loc["community_education_participation", "rate_pct"] == pytest.approx(31.5)
    assert r.loc["community_education_participation", "gap_pct"] == pytest.approx(-3.5)
    assert r.loc["employee_ce_participation", "gap_pct"] == pytest.approx(5.0)
    assert r.loc["employee_ce_participation", "ci_low_pct"] < 30 < r.loc["employee_ce_participation", "ci_high_pct"]
    with pytest.raises(ValueError, match="negative"):
        ce_participation(counts.assign(participants=[-1, 2]))
