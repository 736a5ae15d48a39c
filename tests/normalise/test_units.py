"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.config import load_config
from eduanalytics.normalise import (
    is_total_label,
    normalise_unit_names,
)


def test_unit_names_aliases_traditional_and_unknown():
    units = load_config("luqiao").units()
    s = pd.Series(["路南", "路南街道", "路南街道办事处", "路橋街道", " 金清镇 ", "椒江区", "合计"])
    r = normalise_unit_names(s, units)
    assert r["value"].tolist()[:5] == ["lunan", "lunan", "lunan", "luqiao", "jinqing"]
    assert r["changed"].tolist()[:3] == [True, False, True]
    assert "unknown unit name '椒江区'" in r.loc[5, "error"]
    assert is_total_label(s, ["合计"]).tolist() == [False] * 6 + [True]


def _county_units(extra=()):
    from eduanalytics.config import RegionConfig

    units = [{"id": "dongcheng", "name": "东城街道", "kind": "street"},
             {"id": "xinqiao_street", "name": "新桥街道", "kind": "street"},
             {"id": "xinqiao_town", "name": "新桥镇", "kind": "town"},
             {"id": "beishan", "name": "北山乡", "kind": "township"}, *extra]
    cfg = RegionConfig(path=Path("jia.yaml"), region="jia", name="某市甲县", year=2024,
                       root=Path("."), data={"units": units, "unit_prefixes": ["甲县教育局"]})
    return cfg.units()


def test_prefixed_and_suffixed_names_match_without_aliases():
    units = _county_units()
    s = pd.Series(["甲县东城街道", "某市甲县东城街道办事处", "东城 街道", "ＮＡ", "北山乡人民政府",
                   "甲县北山", "新桥街道办事处", "新桥镇人民政府"])
    r = normalise_unit_names(s, units)
    assert r["value"].tolist()[:3] == ["dongcheng"] * 3
    assert r["value"].tolist()[4:] == ["beishan", "beishan", "xinqiao_street", "xinqiao_town"]
    assert pd.isna(r.loc[3, "value"])


def test_ambiguous_and_near_names_are_quarantined_with_candidates():
    units = _county_units()
    r = normalise_unit_names(pd.Series(["新桥", "甲县新桥", "东成街道", "椒江区"]), units)
    assert r["value"].isna().all()
    assert r.loc[0, "candidates"] == "新桥街道、新桥镇" and "ambiguous" in r.loc[0, "error"]
    assert r.loc[1, "candidates"] == "新桥街道、新桥镇"
    assert r.loc[2, "candidates"] == "东城街道" and "nearly matches 东城街道" in r.loc[2, "error"]
    assert pd.isna(r.loc[3, "candidates"]) and "unknown unit name '椒江区'" in r.loc[3, "error"]


def test_region_name_parts_are_prefixes():
    from eduanalytics.config import RegionConfig

    cfg = RegionConfig(path=Path("x.yaml"), region="x", name="某市甲县", year=2024, root=Path("."),
                       data={"unit_prefixes": ["甲县教育局"]})
    assert cfg.unit_prefixes == ["甲县教育局", "某市甲县", "某市", "甲县"]  # longest first
