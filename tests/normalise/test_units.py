"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

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
