"""The report's analyses on a made-up county (tests/_support/mini_county.py), figures
worked out by hand: no street census, no survey, no plan — every section gives its tables
or a note, never an exception.
"""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.report import analyses as summary


def test_participation_without_street_census_uses_the_estimate(cfg, tables):
    p = summary.participation_tables(cfg, tables)
    r = p["participation"].set_index("unit_id")
    assert r.loc["a", "eligible"] == 600 and r.loc["a", "participants"] == 6
    assert r.loc["a", "rate"] == pytest.approx(6 / 600)
    assert r.loc["b", "rate"] == pytest.approx(9 / 1800)
    assert bool(r["estimate"].all())
    assert any("估算" in n and "60.00%" in n and "全县" in n for n in p["notes"])
    assert p["participation_sex_age"].empty
    assert "估算" in p["denominator"]
    assert any("性别" in n for n in p["notes"])


def test_school_holding_a_target_counts_its_learners_and_total_counts_once(cfg, tables):
    tg = summary.target_tables(cfg, tables, "2023-12-31")
    g = tg["target_gaps"].set_index("unit_id")
    assert g.loc["a", "enrolled"] == 6      # the school's learners still count for their town
    assert g.loc["b", "enrolled"] == 9
    assert g.loc["s", "enrolled"] == 3      # 2 from a, 1 from b
    assert g.loc["s", "pct_complete"] == pytest.approx(60.0)
    assert g.loc["total", "target"] == 25
    assert g.loc["total", "enrolled"] == 15  # not 18: each learner once
    assert any("同时计入" in n and "全县" in n for n in tg["notes"])


def test_learners_at_units_without_a_target_become_a_note(cfg, tables):
    t = dict(tables)
    t["targets"] = tables["targets"][tables["targets"]["unit_id"] != "b"]
    tg = summary.target_tables(cfg, t, "2023-12-31")
    g = tg["target_gaps"].set_index("unit_id")
    assert "b" not in g.index
    # b's 9 learners: 1 is counted through the school, 8 are left out
    assert any(n.startswith("8 条") for n in tg["notes"])
    assert g.loc["total", "enrolled"] == 7  # 6 at a + 1 at the school


def test_missing_survey_plan_and_census_give_notes(cfg, tables):
    cs = summary.census_survey_tables(cfg, tables)
    assert cs["census_survey"].empty and cs["notes"] == ["无摸排数据，未比较七普与摸排"]
    pl = summary.plan_tables(cfg, tables)
    assert "plan_path" not in pl and len(pl["notes"]) == 2
    sc = summary.schooling_tables(cfg, tables)
    assert sc["schooling_paths"].empty and sc["completions_needed"].empty
    cur = sc["mean_years_current"]
    # (6*250 + 9*300 + 12*200 + 16*100) / 900 = 8200 / 900
    six = cur[cur["population"] == "6+"]
    assert float(six["mean_years"].iloc[0]) == pytest.approx(8200 / 900)
    assert any("全县" in n for n in sc["notes"])
    al = summary.allocation_tables(cfg, tables)
    assert isinstance(al["notes"], list)


def test_wide_survey_is_compared_under_its_own_band_and_group(cfg, tables):
    def rows(source, counts):
        return pd.DataFrame({"unit_id": ["a", "b"], "source": source, "year": 2023, "age_min": 15,
                             "age_max": 59, "sex": "total", "attainment": pd.array([None, None], dtype="string"),
                             "levels": "初中及以下", "count": counts})
    t = dict(tables, population=pd.concat([rows("census", [1000, 2000]), rows("survey", [900, 2100])],
                                          ignore_index=True))
    cs = summary.census_survey_tables(cfg, t)
    c = cs["census_survey"].set_index("unit_id")
    assert cs["group"] == "15-59岁初中及以下"
    assert c.loc["a", "census_count"] == 1000 and c.loc["a", "survey_count"] == 900
    assert c.loc["b", "survey_count"] - c.loc["b", "census_count"] == 100
    assert any("自身口径" in n for n in cs["notes"])
    by_sex = summary.census_survey_tables(cfg, t, by=("unit_id", "sex", "age_band"))
    assert by_sex["census_survey"].empty and by_sex["notes"]


def test_zero_or_blank_targets_become_a_note(cfg, tables):
    t = dict(tables)
    t["targets"] = tables["targets"].astype({"target": "Int64"})
    t["targets"].loc[t["targets"]["unit_id"] == "s", "target"] = 0
    tg = summary.target_tables(cfg, t, "2023-12-31")
    g = tg["target_gaps"].set_index("unit_id")
    assert "s" not in g.index and g.loc["total", "target"] == 20
    assert any("丙学校" in n and "任务为0" in n for n in tg["notes"])


def test_a_school_target_without_its_learners_is_explained(cfg, tables):
    t = dict(tables, enrolments=tables["enrolments"].drop(columns="school_unit_id"))
    tg = summary.target_tables(cfg, t, "2023-12-31")
    assert tg["target_gaps"].set_index("unit_id").loc["s", "enrolled"] == 0
    assert any(n.startswith("丙学校 持有任务") for n in tg["notes"])


def test_a_register_without_registration_columns_gets_a_note(cfg, tables):
    t = dict(tables, enrolments=tables["enrolments"].drop(columns=["registered", "register_fail_reason"]))
    p = summary.participation_tables(cfg, t)
    assert p["process_rates"].empty and p["failure_reasons"].empty
    assert any("登记册缺少所需信息" in n for n in p["notes"])
    y = summary.year_end_tables(cfg, t, "2023-12-31")
    assert y["results"]["学籍注册率(%)"].isna().all()
