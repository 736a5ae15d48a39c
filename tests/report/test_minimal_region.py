"""Every notebook runs to the end on a region with only a task table and a register.

A made-up county (县) in a temporary project: the bundled task table and register under
its own config, with no street census, no survey, no county census row, no plan and no
continuing-education targets. The report must build, say what each section lacks, and
carry the county's words, not the example district's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from eduanalytics.config import load_config
from eduanalytics.ingest.pipeline import run_clean
from eduanalytics.report.build import run_report

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data/raw/luqiao/2023"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    home = tmp_path_factory.mktemp("mini")
    data = yaml.safe_load((ROOT / "config/luqiao.yaml").read_text(encoding="utf-8"))
    keep = {"task_table": {"path": "task.csv"},
            "register": {**data["inputs"]["register"], "path": "register.xlsx"}}
    for key in ("notice", "census_code", "area_code", "plan_region", "ce_targets_region",
                "ce_targets_year", "census_year", "survey_year", "target_mean_years"):
        data.pop(key, None)
    data.update(region="mini", name="某某县", level_word="县", inputs=keep,
                total_labels=["合计", "全县"])
    (home / "config").mkdir()
    (home / "config" / "mini.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    raw = home / "data/raw/mini/2023"
    raw.mkdir(parents=True)
    shutil.copy(RAW / "task_table/luqiao_2023_task_table.csv", raw / "task.csv")
    shutil.copy(RAW / "synthetic/learner_register.xlsx", raw / "register.xlsx")
    cfg = load_config(home / "config/mini.yaml", 2023, root=home)
    run_clean(cfg)
    return run_report(cfg, progress=False, notebook_folder=ROOT / "notebooks")


def test_every_notebook_ran(report):
    assert sorted(p.name[:2] for p in (report / "notebooks").glob("*.ipynb")) == \
        ["01", "02", "03", "04", "05", "06"]
    assert (report / "report.html").exists()


def test_sections_say_what_they_lack(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "无摸排数据，未比较七普与摸排" in html
    assert "未提供规划指标文件" in html
    assert "无按年龄、学历分列的街道七普数据" in html
    assert "目标任务表" in html or "全县合计" in html


def test_the_county_words_not_the_districts(report):
    html = (report / "report.html").read_text(encoding="utf-8")
    assert "全县合计" in html
    for word in ("全区", "路教办函", "洞头", "达州", "台州市路桥区"):
        assert word not in html, word
    gaps = pd.read_parquet(report / "tables/04_target_gaps.parquet")
    tot = gaps[gaps["unit_id"] == "total"].set_index("programme")
    # the bundled task table's 初高中学历提升人数: streets and the two schools, 1,319 in all
    assert int(tot.loc["secondary_upgrade", "target"]) == 1319
