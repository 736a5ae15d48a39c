"""The county example's SOURCE.md: what is real, what is synthetic, the seed, the sums."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from eduanalytics.config import load_config
from eduanalytics.example.county import task_table
from eduanalytics.example.county_notes import source_md
from eduanalytics.example.profiles import XIANJU

ROOT = Path(__file__).resolve().parents[2]


def test_source_md_states_real_and_synthetic_parts():
    cfg = load_config(ROOT / "config/xianju.yaml", 2023, root=ROOT)
    county = pd.read_csv(ROOT / "data/raw/census/2020/zhejiang_2020_county_education.csv", dtype={"code": str})
    table = task_table(XIANJU, county[county["code"] == "331024"].iloc[0])
    facts = {"register": {"rows_total": 10, "by_school": {"县职业教育中心": 3}, "unmapped_level": 1,
                          "blended": 2, "withdrawn": 0}}
    text = source_md(cfg, XIANJU, 77, table, facts)
    assert "SeedSequence(77)" in text and "331024" in text
    assert "no street census table, no multi-year plan file" in text
    # 280,507 towns vs 281,707 printed in the 合计 row
    assert "**280,507**" in text and "**281,707**" in text
    assert "县职业教育中心 3" in text and "10 learners" in text
