"""Indicators against figures worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from _support.seed000 import _enrol

from eduanalytics.indicators.pacing import expected_share, monthly_board, pacing_table


def test_expected_share_calendar():
    cal = {"spring": {"month": 3, "share": 0.5}, "autumn": {"month": 9, "share": 0.5}}
    assert expected_share("2023-02-28", cal) == 0
    assert expected_share("2023-03-31", cal) == pytest.approx(0.5)
    assert expected_share("2023-09-15", cal) == pytest.approx(0.5 + 0.5 * 15 / 30)
    assert expected_share("2023-12-31", cal) == 1
    # flat line: 30 June = 181 of 365 days
    assert expected_share("2023-06-30", None) == pytest.approx(181 / 365)
    with pytest.raises(ValueError, match="sum"):
        expected_share("2023-06-30", {"a": {"month": 3, "share": 0.7}})


def test_pacing_status_rule():
    gaps = pd.DataFrame({"unit_id": ["a", "b", "c"], "programme": "secondary_upgrade",
                         "target": 100, "achieved": [60, 50, 40]})
    cal = {"spring": {"month": 3, "share": 0.5}, "autumn": {"month": 9, "share": 0.5}}
    p = pacing_table(gaps, "2023-06-30", {"secondary_upgrade": cal}).set_index("unit_id")
    # expected 50: 60 >= 52.5 ahead; 50 on track; 40 < 47.5 behind
    assert p["status"].tolist() == ["ahead", "on_track", "behind"]
    # 6 months left: (100-40)/6 = 10 a month; forecast 40 / 0.5 = 80
    assert p.loc["c", "monthly_rate_needed"] == pytest.approx(10)
    assert p.loc["c", "year_end_forecast"] == pytest.approx(80)


def test_monthly_board_ranks(targets):
    e = pd.concat([_enrol("lunan", "secondary_upgrade", 53, month=3),
                   _enrol("luqiao", "secondary_upgrade", 141, month=9)])
    b = monthly_board(e, targets, 2023, "secondary_upgrade").set_index(["unit_id", "month"])
    assert b.loc[("lunan", 3), "rank"] == 1 and b.loc[("lunan", 3), "pct_complete"] == pytest.approx(50)
    assert b.loc[("luqiao", 9), "rank"] == 1 and b.loc[("luqiao", 12), "pct_complete"] == pytest.approx(100)
