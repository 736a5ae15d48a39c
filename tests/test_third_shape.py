"""A third region's files, shaped unlike both bundled examples, onboarded by config alone.

An xlsx task table with 乡 names under a title row and other header words (乡镇名称,
学历提升任务（人）), and a CSV register whose Chinese headers come in another order with a
programme column worded differently (提升类别). Nothing is edited by hand: only the YAML
below maps the files. Hand-worked figures:

- targets: 初高中 12 + 8 + 5 = 25; 大专 4 + 3 + 0 = 7 (丙镇's — reads as 0, counted).
- 常住人口: 3,000 + 2,000 + 1,000 = 6,000, and the 合计 row prints 6,000: agrees.
- register: 5 rows; 孙七's ID has a wrong check digit (quarantined); 4 learners clean:
  甲乡 2 (one completed), 乙乡 1, 丙镇 1 (written 某县丙镇: the county prefix is stripped).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.ingest.pipeline import run_clean

CONFIG = """
region: bing
name: 某市某县
level_word: 县
notice: {number: 某教〔2024〕3号}
default_year: 2024
default_as_of: "2024-12-31"
units:
  - {id: jia, name: 甲乡, kind: township}
  - {id: yi, name: 乙乡, kind: township}
  - {id: bing, name: 丙镇, kind: town}
programmes:
  secondary_upgrade:
    measure: persons
    eligible: {age_min: 20, age_max: 59, attainment: [none, preschool, primary, junior_secondary]}
  tertiary_upgrade:
    measure: persons
    eligible: {age_min: 20, age_max: 59, attainment: [senior_secondary]}
register: {eligible_age: [16, 64], reference_date: "2024-12-31"}
inputs:
  task_table:
    path: tasks.xlsx
    fields: {unit: [乡镇名称]}
    populations:
      - {column: 常住人口数, base: resident}
    targets:
      - {column: 学历提升任务（人）, programme: secondary_upgrade}
      - {column: 大专提升任务（人）, programme: tertiary_upgrade}
  register:
    path: learners.csv
    fields: {programme: [提升类别], unit: [所在乡镇], id_number: [证件号码]}
    values:
      programme: {初中升高中: secondary_upgrade, 高中升大专: tertiary_upgrade}
"""


def _id(birth: str, seq: str) -> str:
    body = "331024" + birth + seq
    return body + ric.calc_check_digit(body + "0")


def _bad_check_digit(ident: str) -> str:
    return ident[:17] + ("1" if ident[17] != "1" else "2")


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("third")
    (root / "config").mkdir()
    raw = root / "data" / "raw" / "bing" / "2024"
    raw.mkdir(parents=True)
    (root / "config" / "bing.yaml").write_text(CONFIG, encoding="utf-8")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务"
    ws.append(["某县2024年成人学历提升任务分解表"])
    ws.merge_cells("A1:D1")
    ws.append(["乡镇名称", "常住人口数", "学历提升任务（人）", "大专提升任务（人）"])
    for row in (["甲乡", 3000, 12, 4], ["乙乡", 2000, 8, 3], ["丙镇", 1000, 5, "—"],
                ["合计", 6000, 25, 7]):
        ws.append(row)
    wb.save(raw / "tasks.xlsx")
    rows = [  # headers in another order than the template, other words
        ["报名日期", "所在乡镇", "证件号码", "姓名", "提升类别", "学籍状态", "原学历", "报读层次"],
        ["2024-03-05", "甲乡", _id("19800101", "101"), "张三", "初中升高中", "在读", "初中", "高中"],
        ["2024-03-06", "甲乡", _id("19810202", "202"), "李四", "初中升高中", "已结业", "初中", "高中"],
        ["2024-09-01", "乙乡", _id("19750303", "303"), "王五", "高中升大专", "在读", "高中", "大专"],
        ["2024-09-02", "某县丙镇", _id("19900404", "404"), "赵六", "初中升高中", "在读", "小学", "初中"],
        ["2024-09-03", "乙乡", _bad_check_digit(_id("19920505", "505")), "孙七", "初中升高中",
         "在读", "初中", "高中"],
    ]
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(raw / "learners.csv", index=False,
                                                   encoding="utf-8")
    return root


def test_third_shape_cleans_by_config_alone(region, tmp_path):
    cfg = load_config(region / "config" / "bing.yaml", root=region)
    res = run_clean(cfg, out_dir=tmp_path / "processed")
    assert res.summary["reconciles"].all()
    tg = res.tables["targets"].groupby("programme")["target"].sum()
    assert tg["secondary_upgrade"] == 25 and tg["tertiary_upgrade"] == 7
    bases = res.tables["bases"]
    assert bases.loc[bases["base"] == "resident", "count"].sum() == 6000
    enr = res.tables["enrolments"]
    assert len(enr) == 4
    assert enr.groupby("unit_id").size().to_dict() == {"bing": 1, "jia": 2, "yi": 1}
    assert (enr["status"] == "completed").sum() == 1
    assert res.rejected["reason"].str.contains("check digit").sum() == 1
    assert "孙七" not in res.rejected.to_csv() and "张三" not in enr.to_csv()


@pytest.mark.slow
def test_third_shape_report_by_config_alone(region, tmp_path):
    from eduanalytics.report.build import run_report

    cfg = load_config(region / "config" / "bing.yaml", root=region)
    run_clean(cfg)
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    out = run_report(cfg, out_dir=tmp_path / "2024", progress=False, notebook_folder=notebooks)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "某市某县" in html and "全县合计" in html and "全区" not in html
