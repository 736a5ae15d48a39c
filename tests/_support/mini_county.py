"""A made-up county (县) with two towns and a school holding a target, as processed tables.

Figures are small enough to work out by hand: residents 1,000 and 3,000; the county's 6+
attainment none 50, primary 250, junior secondary 300, senior secondary 200, junior college
100 of a population of 1,000; 6 learners in town a (2 naming the school), 9 in town b (1).
"""

from __future__ import annotations

import pandas as pd

from eduanalytics.config import RegionConfig, load_config

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


def make_cfg(tmp_path) -> RegionConfig:
    """The mini county's config in a temporary project root."""
    (tmp_path / "config").mkdir()
    (tmp_path / "data").mkdir()
    path = tmp_path / "config" / "mini.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return load_config(path, root=tmp_path)


def enrolments(rows: list[tuple[str, str | None]]) -> pd.DataFrame:
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


def county() -> pd.DataFrame:
    levels = {"none": 50, "preschool": 0, "primary": 250, "junior_secondary": 300,
              "senior_secondary": 200, "junior_college": 100}
    return pd.DataFrame({"unit_id": "999999", "source": "census", "year": 2020, "age_min": 6,
                         "age_max": pd.array([None] * len(levels), dtype="Int64"), "sex": "total",
                         "attainment": list(levels), "count": list(levels.values())})


def make_tables() -> dict:
    """The processed tables: no street census, no survey, no plan."""
    # a: 6 learners (2 at the school), b: 9 learners (1 at the school)
    rows = [("a", "s")] * 2 + [("a", None)] * 4 + [("b", "s")] + [("b", None)] * 8
    return {
        "targets": pd.DataFrame({"year": 2023, "unit_id": ["a", "b", "s"], "programme": "secondary_upgrade",
                                 "target": [10, 10, 5], "measure": "persons"}),
        "bases": pd.DataFrame({"year": 2023, "unit_id": ["a", "b"], "base": "resident",
                               "count": [1000, 3000], "source": "published"}),
        "enrolments": enrolments(rows),
        "population": pd.DataFrame(),
        "census_county": county(),
        "census_reported": pd.DataFrame({"unit_id": ["999999"], "mys_reported": [9.11],
                                         "pop_total": [1000.0]}),
        "provenance": {"tables": {}},
    }
