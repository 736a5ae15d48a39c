"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import pandas as pd

from eduanalytics.normalise import (
    normalise_attainment,
)


def test_attainment_labels():
    r = normalise_attainment(pd.Series(["未上过学", "学前教育", "小学", "初中", "高中", "中专", "大学专科",
                                        "本科及以上", "硕士", "夜校"]))
    assert r["value"].tolist()[:9] == ["none", "preschool", "primary", "junior_secondary",
                                       "senior_secondary", "senior_secondary", "junior_college",
                                       "bachelor", "postgraduate"]
    assert "unknown attainment" in r.loc[9, "error"]
