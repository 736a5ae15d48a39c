"""Projections by hand, and many units at once equal to each unit alone."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _support.toy_population import MIX, toy_population

from eduanalytics.errors import DataError
from eduanalytics.indicators.projection import (
    NotEnoughPeople,
    completions_from_programmes,
    project,
    scenarios,
    single_years,
)

_toy = toy_population


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


def _three_units():
    # three made-up units of different shapes, 5-year bands 15-59 and single ages mixed in
    rng = np.random.default_rng(7)
    frames = []
    for unit, scale in (("a", 1.0), ("b", 3.0), ("c", 0.2)):
        rows = [{"unit_id": unit, "source": "census", "year": 2020, "age_min": lo,
                 "age_max": lo + 4, "sex": sex, "attainment": lv,
                 "count": int(rng.integers(0, 400) * scale)}
                for lo in range(15, 60, 5) for sex in ("male", "female")
                for lv in ("none", "primary", "junior_secondary", "senior_secondary", "bachelor")]
        frames.append(pd.DataFrame(rows))
    return pd.concat(frames, ignore_index=True).astype({"age_max": "Int64"})


def test_units_projected_together_equal_each_alone():
    pop = _three_units()
    comp = pd.DataFrame({"year": [2021, 2022, 2023], "level_from": ["primary", "junior_secondary",
                                                                   "primary"],
                         "level_to": ["junior_secondary", "senior_secondary", "junior_secondary"],
                         "count": [40.0, 25.0, 10.0]})
    surv = pd.Series(np.linspace(0.999, 0.99, 40), index=range(20, 60))
    together = project(pop, 2020, 2030, completions=comp, survival=surv, by="unit_id")
    assert list(together.columns) == ["unit_id", "year", "persons", "mean_years",
                                      "entrants_mean_years"]
    for unit in ("a", "b", "c"):
        alone = project(pop[pop["unit_id"] == unit], 2020, 2030, completions=comp, survival=surv)
        got = together[together["unit_id"] == unit].drop(columns="unit_id").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone, check_exact=True)


def test_stacked_units_without_by_are_refused():
    pop = _three_units()
    with pytest.raises(DataError, match="3 units stacked"):
        project(pop, 2020, 2022)
    with pytest.raises(DataError, match="units stacked"):
        scenarios(pop, 2020, 2022, {})


def test_the_toy_projected_with_by_is_the_hand_worked_one():
    two = pd.concat([_toy(), _toy().assign(unit_id="y")], ignore_index=True)
    comp = pd.DataFrame({"unit_id": ["x"], "year": [2021], "level_from": ["primary"],
                         "level_to": ["junior_secondary"], "count": [30]})
    s = scenarios(two, 2020, 2022, {"plan": comp}, age_min=20, age_max=22, entrant_mix=MIX,
                  by="unit_id")
    plan = s[s["scenario"] == "plan"].set_index(["unit_id", "year"])["mean_years"]
    assert plan.loc["x"].tolist() == pytest.approx([3.0, 5.8, 7.225])  # as worked above
    assert plan.loc["y"].tolist() == pytest.approx([3.0, 5.5, 7.0])    # y has no completions
    dec = s[s["scenario"] == "plan"].set_index(["unit_id", "year"])
    assert dec.loc[("x", 2022), "programmes"] == pytest.approx(0.225)
    assert dec.loc[("y", 2022), "programmes"] == pytest.approx(0.0)


@pytest.mark.parametrize("dtype", ["str", "object", "category"])
@pytest.mark.parametrize("shuffle", [False, True])
def test_toy_units_together_equal_each_alone_and_the_hand_worked_figures(dtype, shuffle):
    # x: the toy with 30 completions in 2021 (worked above: 3.0, 5.8, 7.225); y: the toy
    # without (3.0, 5.5, 7.0); z: the toy with every count doubled and 60 completions,
    # which is x at twice the size, so the same means with twice the persons
    z = _toy().assign(unit_id="z", count=lambda d: 2 * d["count"])
    pop = pd.concat([_toy(), _toy().assign(unit_id="y"), z], ignore_index=True)
    if shuffle:  # the units' rows interleaved, not in runs
        pop = pop.sample(frac=1, random_state=5)
    pop = pop.astype({"unit_id": dtype, "attainment": dtype, "sex": dtype})
    comp = pd.DataFrame({"unit_id": ["x", "z"], "year": [2021, 2021],
                         "level_from": ["primary"] * 2, "level_to": ["junior_secondary"] * 2,
                         "count": [30, 60]})
    kw = {"age_min": 20, "age_max": 22, "entrant_mix": MIX}
    together = project(pop, 2020, 2022, completions=comp, by="unit_id", **kw)
    assert together["unit_id"].astype(str).tolist() == ["x"] * 3 + ["y"] * 3 + ["z"] * 3
    got = together.set_index([together["unit_id"].astype(str), "year"])
    assert got.loc["x", "mean_years"].tolist() == pytest.approx([3.0, 5.8, 7.225])
    assert got.loc["y", "mean_years"].tolist() == pytest.approx([3.0, 5.5, 7.0])
    assert got.loc["z", "mean_years"].tolist() == pytest.approx([3.0, 5.8, 7.225])
    assert got.loc["z", "persons"].tolist() == pytest.approx([600, 600, 600])
    for unit in ("x", "y", "z"):
        rows = pop[pop["unit_id"].astype(str) == unit]
        mine = comp[comp["unit_id"] == unit].drop(columns="unit_id")
        alone = project(rows, 2020, 2022, completions=mine if len(mine) else None, **kw)
        pd.testing.assert_frame_equal(got.loc[unit].reset_index()[alone.columns], alone,
                                      check_exact=True)


def test_not_enough_people_is_a_data_error_naming_the_unit():
    two = pd.concat([_toy(), _toy().assign(unit_id="y")], ignore_index=True)
    # 2021: 200 primary holders aged 20-22 (50 entrants + 100 + 50); y is asked for 201
    comp = pd.DataFrame({"unit_id": ["x", "y"], "year": [2021, 2021],
                         "level_from": ["primary"] * 2, "level_to": ["junior_secondary"] * 2,
                         "count": [200, 201]})
    with pytest.raises(NotEnoughPeople, match="unit_id y: 2021: 201 completions from primary "
                                              "but only 200") as e:
        project(two, 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX, completions=comp,
                by="unit_id")
    assert isinstance(e.value, DataError)


def test_single_years_split_bands_evenly():
    pop = pd.DataFrame({"unit_id": "x", "age_min": [18, 20], "age_max": [19, 24],
                        "attainment": ["primary", "junior_secondary"], "count": [10, 50]}
                       ).astype({"age_max": "Int64"})
    m = single_years(pop, 18, 22)
    assert m.index.tolist() == [18, 19, 20, 21, 22]
    assert m["primary"].tolist() == [5, 5, 0, 0, 0]
    assert m["junior_secondary"].tolist() == [0, 0, 10, 10, 10]


def test_completions_per_unit_from_programmes():
    steps = {"s": {"primary": "junior_secondary", "junior_secondary": "senior_secondary"}}
    out = completions_from_programmes({"s": pd.Series({"a": 10.0, "b": 4.0})}, steps,
                                      {"s": {"primary": 0.25, "junior_secondary": 0.75}},
                                      [2021, 2022])
    got = out.set_index(["unit_id", "year", "level_from"])["count"]
    assert got[("a", 2021, "primary")] == 2.5 and got[("b", 2022, "junior_secondary")] == 3.0
    assert len(out) == 8
    one = completions_from_programmes({"s": 10}, steps, {"s": {"primary": 1.0}}, [2021])
    assert one.to_dict("records") == [{"year": 2021, "level_from": "primary",
                                      "level_to": "junior_secondary", "count": 10.0}]


def test_more_bad_projection_inputs():
    with pytest.raises(DataError, match="open-ended age band"):
        project(pd.concat([_toy(), _toy().assign(age_min=21, age_max=pd.NA).head(1)]), 2020,
                2021, age_min=20, age_max=22, entrant_mix=MIX)
    with pytest.raises(DataError, match="nobody aged 20-24"):
        project(_toy().assign(age_min=30, age_max=30), 2020, 2021, age_min=20, age_max=59)
    with pytest.raises(DataError, match="unknown attainment"):
        project(_toy().assign(attainment="doctorate"), 2020, 2021, age_min=20, age_max=22,
                entrant_mix=MIX)
    with pytest.raises(DataError, match=r"unknown attainment value.*phd"):
        project(_toy(), 2020, 2021, age_min=20, age_max=22, entrant_mix=MIX,
                completions=pd.DataFrame({"year": [2021], "level_from": ["primary"],
                                          "level_to": ["phd"], "count": [1]}))


def test_a_band_running_past_working_age_is_split_over_all_its_years():
    # 50 people aged 15-64 with ages 20-22 at work: 1 per single year, 3 of working age
    pop = pd.DataFrame({"unit_id": "x", "age_min": [15], "age_max": [64],
                        "attainment": ["primary"], "count": [50]}).astype({"age_max": "Int64"})
    p = project(pop, 2020, 2021, age_min=20, age_max=22)
    assert p["persons"].tolist() == pytest.approx([3.0, 3.0])
    assert single_years(pop, 15, 22)["primary"].tolist() == [1.0] * 8


def test_bad_rows_of_a_stack_are_named_once_checked_over_all_units():
    two = pd.concat([_toy(), _toy().assign(unit_id="y")], ignore_index=True)
    kw = {"age_min": 20, "age_max": 22, "entrant_mix": MIX, "by": "unit_id"}
    with pytest.raises(DataError, match=r"negative count at row 7 \(unit_id y"):
        project(two.assign(count=[100, 100, 50, 50, 100, 100, 100, -50, 50, 100]), 2020, 2021,
                **kw)
    with pytest.raises(DataError, match=r"unknown attainment value\(s\) \['phd'\]"):
        project(two.assign(attainment=["primary"] * 9 + ["phd"]), 2020, 2021, **kw)
    with pytest.raises(DataError, match=r"unit_id is missing at row 5"):
        project(two.assign(unit_id=["x"] * 5 + [None] * 5), 2020, 2021, **kw)
    with pytest.raises(DataError, match=r"overlap for unit_id y \(the band 21-22"):
        project(two.assign(age_max=[19, 20, 21, 21, 22, 19, 20, 22, 21, 22]), 2020, 2021, **kw)
