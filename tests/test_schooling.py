"""Years of schooling: the yearbook reproduced, 15+ for Zhejiang, projections by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eduanalytics.census_table import census_wide_to_tidy
from eduanalytics.plan_indicators import gross_enrolment_ratio, school_life_expectancy
from eduanalytics.projection import completions_from_programmes, project, scenarios
from eduanalytics.schooling import mean_years, mean_years_15plus, round_half_up
from eduanalytics.targets_needed import completions_needed

ROOT = Path(__file__).resolve().parents[1]
CENSUS = ROOT / "data/raw/census/2020/zhejiang_2020_county_education.csv"


@pytest.fixture(scope="module")
def census():
    return census_wide_to_tidy(pd.read_csv(CENSUS))


def test_yearbook_mean_years_reproduced_for_all_103_rows(census):
    pop, reported = census
    m = mean_years(pop).merge(reported[["unit_id", "mys_reported"]], on="unit_id")
    assert len(m) == 103
    assert (m["population"] == "6+").all()
    got = round_half_up(m["mean_years"], 2)
    assert (got == m["mys_reported"].to_numpy()).sum() == 103
    # Luqiao by hand: (199061*6 + 208816*9 + 88617*12 + (37230+26201)*16) / 595475
    #               = 5,152,010 / 595,475 = 8.652 -> 8.65
    lq = m.set_index("unit_id").loc["331004", "mean_years"]
    assert lq == pytest.approx(5152010 / 595475)


def test_zhejiang_15plus_within_a_tenth_of_the_communique(census):
    pop, _ = census
    z = mean_years_15plus(pop).set_index("unit_id").loc["330000"]
    assert abs(z["mean_years"] - 9.79) < 0.1
    assert z["population"] == "15+"


def test_never_mix_6plus_and_15plus(census):
    pop, _ = census
    lq = pop[(pop["unit_id"] == "331004") & pop["attainment"].notna()]
    fifteen = lq.assign(age_min=15)
    with pytest.raises(ValueError, match="overlap"):
        mean_years(pd.concat([lq, fifteen]))
    with pytest.raises(ValueError, match="missing from the years mapping"):
        mean_years(lq, years={"primary": 6})


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


def test_inverse_on_paper():
    # each primary -> junior completion adds 3 years / 300 people = 0.01 to the 2021 mean of 5.5:
    # reaching 5.795 needs 30 (29 gives 5.79); at most 200 primary holders -> 7.5 at best
    kw = dict(age_min=20, age_max=22, entrant_mix=MIX)
    steps = {"secondary_upgrade": {"primary": "junior_secondary"}}
    lm = {"secondary_upgrade": {"primary": 1.0}}
    need = completions_needed(_toy(), 2020, 2021, 5.795, {"secondary_upgrade": 1.0}, steps, lm, **kw)
    assert need.reachable and need.per_year == 30
    out = completions_needed(_toy(), 2020, 2021, 8.0, {"secondary_upgrade": 1.0}, steps, lm, **kw)
    assert not out.reachable and out.max_per_year == 200
    assert out.shortfall == pytest.approx(0.5)


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


def test_school_life_expectancy_and_ger_by_hand():
    # ages 6, 7, 8 with 100 people each and 100, 90, 50 enrolled: 1 + 0.9 + 0.5 = 2.4 years
    pop = pd.DataFrame({"age": [6, 7, 8], "count": [100, 100, 100]})
    enr = pd.DataFrame({"age": [6, 7, 8], "count": [100, 90, 50]})
    assert school_life_expectancy(enr, pop) == pytest.approx(2.4)
    with pytest.raises(ValueError, match="more than once"):
        school_life_expectancy(pd.concat([enr, enr.head(1)]), pop)
    # tertiary GER: 725 students / 1000 people aged 18-22 = 72.5 % (Dongtou's 2027 target)
    assert gross_enrolment_ratio(725, 1000) == pytest.approx(72.5)
    assert gross_enrolment_ratio(1100, 1000) == pytest.approx(110.0)
    with pytest.raises(ValueError):
        gross_enrolment_ratio(1, 0)


def test_round_half_up():
    assert round_half_up(np.array([8.655, 8.645, 2.675]), 2).tolist() == [8.66, 8.65, 2.68]


def test_survival_applies_by_age():
    # everyone survives each year with probability 0.5: the 300 people of 2021 (entrants
    # included) become 150, and the mean is unchanged because the loss is even (5.5)
    surv = pd.Series(0.5, index=range(20, 23))
    p = project(_toy(), 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX, survival=surv)
    assert p["persons"].tolist() == pytest.approx([300, 150])
    assert p["mean_years"].tolist() == pytest.approx([3.0, 5.5])
