"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import pandas as pd

from eduanalytics.normalise import (
    normalise_numbers,
)


def test_numbers_seed000_and_003():
    s = pd.Series(["628934", "628,934", "１３１９", "/", "", "1萬人", "100萬人次以上", "5000人以上",
                   "一千三百", "-5", "12a"])
    r = normalise_numbers(s)
    assert r["value"].tolist()[:3] == [628934, 628934, 1319]
    assert bool(r.loc[3, "not_applicable"]) and pd.isna(r.loc[3, "value"]) and pd.isna(r.loc[3, "error"])
    assert not bool(r.loc[4, "not_applicable"]) and pd.isna(r.loc[4, "value"])  # blank: missing
    assert r["value"].tolist()[5:10] == [10000, 1_000_000, 5000, 1300, -5]
    assert r.loc[6, "qualifier"] == "以上"
    assert "not a number" in r.loc[10, "error"]
    assert r["changed"].tolist()[:3] == [False, True, True]
