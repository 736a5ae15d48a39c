"""Register value maps: built-ins extended by the config, applied to distinct values."""

from __future__ import annotations

import pandas as pd

from eduanalytics.ingest.register_values import (
    STATUS_VALUES,
    by_distinct,
    map_attainment,
    map_values,
    value_maps,
)


def test_config_values_extend_the_built_ins():
    maps = value_maps({"mode": {"线上+线下": "blended"}, "registered": {"已审核": "true"}})
    assert maps["mode"]["线上+线下"] == "blended" and maps["mode"]["线上"] == "online"
    assert maps["registered"]["已审核"] is True  # YAML text true -> boolean
    assert maps["status"] == STATUS_VALUES


def test_map_values_required_and_unknown():
    s = pd.Series(["在读", "在读 ", "已結業", None, "休学"], dtype="string")
    r = map_values(s, STATUS_VALUES, "学籍状态", "在读 / 已结业 / 退学", required=True)
    assert r["value"].tolist()[:3] == ["enrolled", "enrolled", "completed"]
    assert r["value"].isna().tolist()[3:] == [True, True]
    assert "blank" in r.loc[3, "error"] and "'休学' is not recognised" in r.loc[4, "error"]
    # traditional 結 -> 结 is a change; a trailing space alone is not
    assert r["changed"].tolist() == [False, False, True, False, False]
    assert r["unknown"].tolist() == [False, False, False, False, True]


def test_by_distinct_calls_the_normaliser_once_per_distinct_value():
    seen = []

    def fn(u):
        seen.append(len(u))
        return pd.DataFrame({"value": u.astype("string") + "!"}, index=u.index)

    s = pd.Series(["a", "b", None, "a", "c"] * 200, dtype="string")
    r = by_distinct(s, fn)
    assert seen == [4]  # a, b, c and the missing value
    assert [r.loc[i, "value"] for i in (0, 1, 3, 4)] == ["a!", "b!", "a!", "c!"]
    assert pd.isna(r.loc[2, "value"]) and r.index.equals(s.index)


def test_attainment_with_config_labels():
    s = pd.Series(["大专（函授）", "高中（中专）", "岗位进修", None, "高中（业余）"])
    r = map_attainment(s, {"大专(函授)": "junior_college"})
    # a qualifier in brackets does not change the level; 岗位进修 names none
    assert r["value"].tolist()[:2] == ["junior_college", "senior_secondary"]
    assert r["value"].tolist()[4] == "senior_secondary"
    assert r["unknown"].tolist() == [False, False, True, False, False]
