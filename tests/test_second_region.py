"""The second bundled region end to end: a county whose files are shaped unlike the first.

Clean and report ``config/xianju.yaml`` (a .docx notice with other header words, a register
with a two-row merged header and no programme column, a wide GBK survey, schools holding
targets, no street census, no plan, no continuing-education targets). The report must
build and carry none of the first region's words.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduanalytics.config import load_config

ROOT = Path(__file__).resolve().parents[1]
FIRST_REGION_WORDS = ("路桥", "路教办函", "洞头", "达州", "全区", "椒江")


@pytest.mark.slow
def test_second_region_cleans_and_reports(tmp_path):
    from eduanalytics.ingest.pipeline import run_clean
    from eduanalytics.report.build import run_report

    cfg = load_config(ROOT / "config/xianju.yaml", 2023, root=ROOT)
    result = run_clean(cfg)
    report = run_report(cfg, out_dir=tmp_path / "2023", progress=False)
    assert result.summary["reconciles"].all()
    html = (report / "report.html").read_text(encoding="utf-8")
    assert cfg.name in html and "全县合计" in html and "示例数据" in html
    for word in FIRST_REGION_WORDS:
        assert word not in html, word
    # the sections the county's files cannot support say so
    assert "未提供规划指标文件" in html
    assert "无按年龄、学历分列的街道七普数据" in html
    # the survey is compared under its own band and group
    assert "15-59岁" in html
    # schools holding targets get progress from the learners attributed to them
    gaps = pd.read_parquet(report / "tables/04_target_gaps.parquet").set_index(["unit_id", "programme"])
    assert gaps.loc[("zhijiao", "secondary_upgrade"), "enrolled"] > 0
    assert gaps.loc[("shequ", "tertiary_upgrade"), "enrolled"] > 0
    assert "同时计入" in html
    # the 合计 row of 其中初中及以下学历人口 is off by 1,200 and the log says so
    f = result.findings
    assert ((f["step"] == "task_table") & (f["difference"].abs() == 1200)).any()
