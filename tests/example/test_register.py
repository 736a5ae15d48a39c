"""The district register generator takes its region words from a profile."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from eduanalytics.example.profiles import LUQIAO
from eduanalytics.example.register import REGISTER_FAULTS, learner_register

ROOT = Path(__file__).resolve().parents[2]
TASK = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.csv"


def test_profile_words_reach_the_faults():
    task = pd.read_csv(TASK, dtype=str, keep_default_na=False)
    prof = {**LUQIAO, "unknown_unit": "某某镇", "traditional": ("路桥街道", "路桥街道X")}
    df, faults = learner_register(task, np.random.default_rng(5), prof)
    unit = df["所属单位"]
    assert unit.eq("某某镇").sum() == REGISTER_FAULTS["unknown_unit"]
    assert unit.eq("路桥街道X").sum() == REGISTER_FAULTS["unit_traditional"]
    rows = faults["rows"]["unknown_unit"]
    assert df.set_index("序号").loc[rows, "所属单位"].eq("某某镇").all()
