"""Years of schooling: the yearbook reproduced, 15+ for Zhejiang, projections by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.indicators.projection import completions_from_programmes, project, scenarios


def _toy():
    # ages 19-22; levels none 0, primary 6, junior 9
    rows = [(19, "primary", 100), (20, "primary", 100), (21, "none", 50), (21, "primary", 50),
            (22, "none", 100)]
    return pd.DataFrame([{"unit_id": "x", "source": "census", "year": 2020, "age_min": a,
                          "age_max": a, "sex": "total", "attainment": lv, "count": n}
                         for a, lv, n in rows]).astype({"age_max": "Int64"})


MIX = pd.Series({"primary": 0.5, "junior_secondary": 0.5})


def test_three_level_three_cohort_projection_by_hand():
    # 2020: (100*6 + 50*6) / 300 = 3.0
    # 2021: age 20 = entrants 50 primary + 50 junior (750), 21 = 100 primary (600),
    #       22 = 50 none + 50 primary (300) -> 1650/300 = 5.5; with 30 completions
    #       primary -> junior: +30*3 = 90 -> 1740/300 = 5.8
    # 2022 (no more completions): without 750+750+600 = 2100/300 = 7.0;
    #       with: the 2021 moves came 7.5/15/7.5 from ages 20/21/22, so age 21 holds
    #       42.5 primary + 57.5 junior (772.5), age 22 85 primary + 15 junior (645),
    #       entrants 750 -> 2167.5/300 = 7.225
    comp = pd.DataFrame({"year": [2021], "level_from": ["primary"], "level_to": ["junior_secondary"],
                         "count": [30]})
    none = project(_toy(), 2020, 2022, age_min=20, age_max=22, entrant_mix=MIX)
    assert none["mean_years"].tolist() == pytest.approx([3.0, 5.5, 7.0])
    s = scenarios(_toy(), 2020, 2022, {"plan": comp}, age_min=20, age_max=22, entrant_mix=MIX)
    plan = s[s["scenario"] == "plan"].set_index("year")
    assert plan["mean_years"].tolist() == pytest.approx([3.0, 5.8, 7.225])
    assert plan.loc[2022, "cohort_replacement"] == pytest.approx(4.0)
    assert plan.loc[2022, "programmes"] == pytest.approx(0.225)
    # adult programmes do not move the mean of the cohorts entering working age
    assert plan["entrants_mean_years"].nunique() == 1


def test_projection_ignores_row_order():
    pop = _toy()
    a = project(pop, 2020, 2022, age_min=20, age_max=22, entrant_mix=MIX)
    b = project(pop.sample(frac=1, random_state=3), 2020, 2022, age_min=20, age_max=22, entrant_mix=MIX)
    pd.testing.assert_frame_equal(a, b)


def test_bad_projection_inputs():
    with pytest.raises(ValueError, match="before the base year"):
        project(_toy(), 2020, 2019, age_min=20, age_max=22, entrant_mix=MIX)
    with pytest.raises(ValueError, match="sum"):
        project(_toy(), 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX * 0.5)
    with pytest.raises(ValueError, match="sum"):
        completions_from_programmes({"s": 10}, {"s": {"primary": "junior_secondary"}},
                                    {"s": {"primary": 0.6}}, [2021])
    overl = pd.concat([_toy(), _toy().assign(age_min=20, age_max=21).head(1)])
    with pytest.raises(ValueError, match="overlap"):
        project(overl, 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX)
    with pytest.raises(ValueError, match="years mapping"):
        project(_toy(), 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX, years={"none": 0})


def test_survival_applies_by_age():
    # everyone survives each year with probability 0.5: the 300 people of 2021 (entrants
    # included) become 150, and the mean is unchanged because the loss is even (5.5)
    surv = pd.Series(0.5, index=range(20, 23))
    p = project(_toy(), 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX, survival=surv)
    assert p["persons"].tolist() == pytest.approx([300, 150])
    assert p["mean_years"].tolist() == pytest.approx([3.0, 5.5])
