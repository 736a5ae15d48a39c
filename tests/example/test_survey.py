"""Survey counts: long form by cell, coverage factors per street."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.example.survey import survey_counts

CENSUS = pd.DataFrame({"街道": ["甲街道"] * 4, "年龄段": ["20-24", "25-29", "60-64", "20-24"],
                       "性别": ["男", "男", "男", "女"], "受教育程度": ["初中", "初中", "初中", "学前教育"],
                       "人数": [100, 50, 70, 10]})


def test_ten_year_bands_and_preschool_recorded_as_none():
    s = survey_counts(CENSUS, np.random.default_rng(0), {"甲街道": 1.0})
    # coverage 1.0: binomial(n, 1) = n; 20-24 and 25-29 men at 初中 merge into 20-29 (150);
    # 60-64 is outside the target group; 学前教育 becomes 未上过学
    got = s.set_index(["年龄段", "性别", "受教育程度"])["摸排人数"].to_dict()
    assert got == {("20-29", "男", "初中"): 150, ("20-29", "女", "未上过学"): 10}
    assert s["摸排日期"].str.startswith("2023年3月").all()


def test_coverage_over_one_adds_an_excess_and_unknown_street_raises():
    s = survey_counts(CENSUS, np.random.default_rng(0), {"甲街道": 2.0})
    # 2.0: binomial(n, 1) + binomial(n, 1) = 2n
    assert s["摸排人数"].tolist() == [300, 20]
    with pytest.raises(DataError, match="甲街道"):
        survey_counts(CENSUS, np.random.default_rng(0), {"乙镇": 1.0})
