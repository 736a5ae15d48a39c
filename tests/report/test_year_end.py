"""The year-end summary's tables on the mini county."""

from __future__ import annotations

import pandas as pd

from eduanalytics.report import analyses as summary
from eduanalytics.report.year_end import year_over_year


def test_year_end_uses_the_level_word(cfg, tables):
    y = summary.year_end_tables(cfg, tables, "2023-12-31")
    assert summary.unit_names(cfg)["total"] == "全县合计"
    assert not y["results"].empty
    assert int(y["results"]["目标"].iloc[0]) == 25
    assert "全区" not in y["shortfalls"].to_string()
    assert "无摸排数据，未比较七普与摸排" in y["notes"]


def test_year_over_year_change_and_note():
    this = pd.DataFrame({"programme": ["p"], "目标": [25], "已报名": [15], "已结业": [3], "完成率(%)": [60.0]})
    last = pd.DataFrame({"programme": ["p"], "目标": [20], "已报名": [18], "已结业": [1], "完成率(%)": [90.0]})
    m = year_over_year(this, last, 2023)
    assert m.loc[0, "目标_变化"] == 5 and m.loc[0, "已报名_变化"] == -3 and m.loc[0, "完成率(%)_变化"] == -30.0
    assert "2022" in year_over_year(this, None, 2023).iloc[0, 0]
