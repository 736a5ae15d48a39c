"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from eduanalytics.normalise import (
    normalise_dates,
)


def test_dates_register_formats():
    s = pd.Series(["2023-03-06", "2023.3.6", "2023年3月6日", "2023/3/6", "２０２３-０３-０６", 44991,
                   dt.datetime(2023, 3, 6, 9, 30), "2023-02-30", "明天"])
    r = normalise_dates(s)
    # Excel 1900 system: serial 44991 = 1899-12-30 + 44991 days = 2023-03-06
    assert (r["value"].iloc[:7] == pd.Timestamp("2023-03-06")).all()
    assert "not a real calendar date" in r.loc[7, "error"] and "not a date" in r.loc[8, "error"]
    assert r["changed"].tolist()[:2] == [False, True]


def test_impossible_and_repeated_dates():
    # month 13 and 30 February are not dates; repeated cells give the same answer
    s = pd.Series(["2023-13-01", "2023-02-30", "2023-02-28", "2023-02-28", None, "20230301"],
                  dtype="string")
    r = normalise_dates(s)
    assert r["value"].isna().tolist() == [True, True, False, False, True, False]
    assert r["error"].notna().tolist() == [True, True, False, False, False, False]
    assert r.loc[5, "value"] == pd.Timestamp("2023-03-01") and bool(r.loc[5, "changed"])
    assert r.index.equals(s.index)
