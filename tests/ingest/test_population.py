"""Ingest: the seed-000 task table from CSV and DOCX, bad input quarantined, rows reconcile.

Hand-worked figures (seed 000, 各单位民生实事任务分解):
- 初高中学历提升: streets 106+141+128+100+88+104+69+73+239+171 = 1219, + 区中职校 30 +
  恒勃技工学校 70 = 1319 = the printed 合计.
- 大专及以上: streets 26+35+32+25+21+25+17+18+59+42 = 300, + 自学考试 200 + 成人高校 1600
  + 开放大学路桥学院 850 = 2950 = 合计.
- 职业教育培训人次: 6800 + 500 = 7300 = 合计.
- 常住人口: 54719+72705+66199+51925+45017+53357+35736+37520+123722+88034 = 628934 = 合计.
- 20-59周岁人口: 37580+49449+47222+36482+29978+35470+23868+25416+82718+59532 = 427715,
  but the 合计 prints 405026 (difference -22689).
- 其中高中及以下: 32587+39637+34667+29119+25660+31936+21317+22890+73885+53614 = 365312,
  but the 合计 prints 368047 (difference +2735).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.ingest.population import ingest_population, parse_age_bands

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


def test_age_bands():
    a = parse_age_bands(pd.Series(["20-24", "85+", "0-5", "20岁", "x"]))
    assert a["age_min"].tolist()[:4] == [20, 85, 0, 20]
    assert a["age_max"].isna().tolist() == [False, True, False, False, True]
    assert a["error"].notna().tolist() == [False, False, False, False, True]


def test_population_table_bad_rows(cfg, tmp_path):
    df = pd.DataFrame({"街道": ["路南", "路南街道办事处", "无此街道", "金清镇"],
                       "年龄段": ["20-24", "25-29", "20-24", "30-34"],
                       "性别": ["男", "女", "男", "女"],
                       "受教育程度": ["初中", "高中", "小学", "大学专科"],
                       "人数": ["１２３", "-5", "7", "1,200"]})
    p = tmp_path / "pop.csv"
    df.to_csv(p, index=False, encoding="utf-8-sig")
    res = ingest_population(p, cfg, source="census", year=2020)
    pop = res.tables["population"]
    assert pop["count"].tolist() == [123, 1200]  # full-width digits and a thousands separator
    assert set(res.rejected["row"]) == {3, 4}
    assert res.rows_in == res.rows_clean + res.rows_rejected
