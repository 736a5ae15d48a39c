"""The schooling section: county means without a street census, targets from config."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.report.schooling_section import schooling_tables, street_census


def test_schooling_targets_come_from_the_config(cfg, tables):
    sc = schooling_tables(cfg, tables)
    assert sc["target_year"] == 2027 and sc["target_mean"] == 11.0
    sc = schooling_tables(cfg, tables, target_year=2030, target_mean=10.5)
    assert sc["target_year"] == 2030 and sc["target_mean"] == 10.5


def test_without_street_census_only_the_county_mean(cfg, tables):
    sc = schooling_tables(cfg, tables)
    six = sc["mean_years_current"]
    # (6*250 + 9*300 + 12*200 + 16*100) / 900 = 8200 / 900
    assert float(six.loc[six["population"] == "6+", "mean_years"].iloc[0]) == pytest.approx(8200 / 900)
    assert sc["schooling_paths"].empty and any("未作预测" in n for n in sc["notes"])


def test_street_census_leaves_out_wide_survey_group_rows():
    pop = pd.DataFrame({"unit_id": ["a", "a"], "source": "census", "age_min": [20, 15], "age_max": [59, 59],
                        "sex": "total", "attainment": ["primary", None], "levels": [None, "初中及以下"],
                        "count": [10, 99]})
    got = street_census(pop)
    assert got["count"].tolist() == [10]
    assert street_census(pop.iloc[[1]]).empty and street_census(pd.DataFrame()).empty
