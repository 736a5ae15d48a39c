"""The report's analyses on small made-up tables, figures worked out by hand.

A mini county (县) with two towns and a school: no street census, no survey, no plan —
every section must give its tables or a note, never an exception.
"""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.report import analyses as summary
from eduanalytics.report.county_share import county_share, estimate_eligible
from eduanalytics.report.school_targets import attribute_to_schools

CONFIG = """
region: mini
name: 某某县
level_word: 县
default_year: 2023
census_code: "999999"
target_year: 2027
target_mean_years: 11.0
units:
  - {id: a, name: 甲镇, kind: town}
  - {id: b, name: 乙镇, kind: town}
  - {id: s, name: 丙学校, kind: school}
programmes:
  secondary_upgrade:
    measure: persons
    eligible: {age_min: 20, age_max: 59, attainment: [none, preschool, primary, junior_secondary]}
    steps: {primary: junior_secondary, junior_secondary: senior_secondary}
intake_calendar:
  spring: {month: 3, share: 0.5}
  autumn: {month: 9, share: 0.5}
inputs:
  task_table: {path: task.csv}
"""


@pytest.fixture()
def cfg(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "data").mkdir()
    path = tmp_path / "config" / "mini.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path, root=tmp_path)


def _enrolments(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
    """One secondary-upgrade learner per (unit, school) pair, enrolled 2023-03-10."""
    n = len(rows)
    return pd.DataFrame({
        "learner_key": [f"k{i}" for i in range(n)], "unit_id": [u for u, _ in rows],
        "school_unit_id": pd.array([s for _, s in rows], dtype="string"),
        "programme": "secondary_upgrade", "level_from": "junior_secondary",
        "level_to": "senior_secondary", "batch": "spring",
        "enrol_date": pd.Timestamp("2023-03-10"), "status": "enrolled",
        "completed_date": pd.NaT, "registered": True, "register_fail_reason": None,
        "mode": "online", "sex": "female", "birth_date": pd.Timestamp("1990-01-01"), "age": 33})


def _county() -> pd.DataFrame:
    levels = {"none": 50, "preschool": 0, "primary": 250, "junior_secondary": 300,
              "senior_secondary": 200, "junior_college": 100}
    return pd.DataFrame({"unit_id": "999999", "source": "census", "year": 2020, "age_min": 6,
                         "age_max": pd.array([None] * len(levels), dtype="Int64"), "sex": "total",
                         "attainment": list(levels), "count": list(levels.values())})


@pytest.fixture()
def tables():
    # a: 6 learners (2 at the school), b: 9 learners (1 at the school)
    rows = [("a", "s")] * 2 + [("a", None)] * 4 + [("b", "s")] + [("b", None)] * 8
    return {
        "targets": pd.DataFrame({"year": 2023, "unit_id": ["a", "b", "s"], "programme": "secondary_upgrade",
                                 "target": [10, 10, 5], "measure": "persons"}),
        "bases": pd.DataFrame({"year": 2023, "unit_id": ["a", "b"], "base": "resident",
                               "count": [1000, 3000], "source": "published"}),
        "enrolments": _enrolments(rows),
        "population": pd.DataFrame(),
        "census_county": _county(),
        "census_reported": pd.DataFrame({"unit_id": ["999999"], "mys_reported": [9.11],
                                         "pop_total": [1000.0]}),
        "provenance": {"tables": {}},
    }


def test_county_share_estimate_by_hand(tables):
    # eligible levels none+preschool+primary+junior = 50+0+250+300 = 600 of a population of 1000
    share = county_share(tables["census_county"], "999999",
                         ["none", "preschool", "primary", "junior_secondary"], pop_total=1000)
    assert share == pytest.approx(0.6)
    est = estimate_eligible(tables["bases"], share)
    assert est.set_index("unit_id")["eligible"].to_dict() == {"a": 600, "b": 1800}
    # without the total population the share is of the 6+ counts: 600 / 900
    assert county_share(tables["census_county"], "999999", ["none", "primary", "junior_secondary"]) == \
        pytest.approx(600 / 900)


def test_participation_without_street_census_uses_the_estimate(cfg, tables):
    p = summary.participation_tables(cfg, tables)
    r = p["participation"].set_index("unit_id")
    assert r.loc["a", "eligible"] == 600 and r.loc["a", "participants"] == 6
    assert r.loc["a", "rate"] == pytest.approx(6 / 600)
    assert r.loc["b", "rate"] == pytest.approx(9 / 1800)
    assert bool(r["estimate"].all())
    assert any("估算" in n and "60.00%" in n and "全县" in n for n in p["notes"])
    assert p["participation_sex_age"].empty
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


def test_attribute_to_schools_without_the_column_adds_nothing(tables):
    enr = tables["enrolments"].drop(columns="school_unit_id")
    out, n = attribute_to_schools(pd.DataFrame({"unit_id": ["s"], "kind": ["school"]}), tables["targets"], enr)
    assert n == 0 and len(out) == len(enr)


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


def test_year_end_uses_the_level_word(cfg, tables):
    y = summary.year_end_tables(cfg, tables, "2023-12-31")
    assert summary.unit_names(cfg)["total"] == "全县合计"
    assert not y["results"].empty
    assert int(y["results"]["目标"].iloc[0]) == 25
    assert "全区" not in y["shortfalls"].to_string()
    assert "无摸排数据，未比较七普与摸排" in y["notes"]


def test_schooling_targets_come_from_the_config(cfg, tables):
    sc = summary.schooling_tables(cfg, tables)
    assert sc["target_year"] == 2027 and sc["target_mean"] == 11.0
    sc = summary.schooling_tables(cfg, tables, target_year=2030, target_mean=10.5)
    assert sc["target_year"] == 2030 and sc["target_mean"] == 10.5
