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

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Alignment
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.ingest.core import IngestError
from eduanalytics.ingest.plans import ingest_ce_targets, ingest_plan_indicators
from eduanalytics.ingest.population import ingest_population, parse_age_bands
from eduanalytics.ingest.register import ingest_register
from eduanalytics.ingest.task_table import ingest_task_table

ROOT = Path(__file__).resolve().parents[1]
TASK_CSV = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.csv"
TASK_DOCX = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.docx"
PLAN_CSV = ROOT / "data/raw/dongtou/2023/plan/dongtou_2023_2027_plan_indicators.csv"
CE_CSV = ROOT / "data/raw/dazhou/2014/dazhou_2014_continuing_education_targets.csv"


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


def _sum(df, col, key, value):
    return int(df.loc[df[key] == value, col].sum())


def test_task_table_csv_totals_by_hand(cfg):
    res = ingest_task_table(TASK_CSV, cfg)
    t, b = res.tables["targets"], res.tables["bases"]
    assert _sum(t, "target", "programme", "secondary_upgrade") == 1319
    assert _sum(t, "target", "programme", "tertiary_upgrade") == 2950
    assert _sum(t, "target", "programme", "vocational_training") == 7300
    assert _sum(b, "count", "base", "resident") == 628934
    assert _sum(b, "count", "base", "age_20_59") == 427715
    # '/' cells are not rows: 12 units carry a secondary target, 13 a tertiary one, 2 training
    assert t.groupby("programme").size().to_dict() == {
        "secondary_upgrade": 12, "tertiary_upgrade": 13, "vocational_training": 2}
    assert res.rows_in == 16 and res.rows_total == 1 and res.rows_clean == 15
    assert res.rows_rejected == 0
    f = res.findings.set_index("column")
    assert f.loc["20-59周岁人口", "published"] == 405026
    assert f.loc["20-59周岁人口", "computed"] == 427715
    assert f.loc["20-59周岁人口", "difference"] == -22689
    assert f.loc["其中高中及以下学历人口", "difference"] == 2735
    assert f.loc["常住人口", "kind"] == "total_matches"
    assert f.loc["初高中学历提升人数", "kind"] == "total_matches"


def test_task_table_csv_and_docx_give_the_same_tidy_tables(cfg):
    a = ingest_task_table(TASK_CSV, cfg)
    b = ingest_task_table(TASK_DOCX, cfg)
    for name in ("targets", "bases"):
        x = a.tables[name].drop(columns="source", errors="ignore").sort_values(["unit_id", a.tables[name].columns[2]]).reset_index(drop=True)
        y = b.tables[name].drop(columns="source", errors="ignore").sort_values(["unit_id", b.tables[name].columns[2]]).reset_index(drop=True)
        pd.testing.assert_frame_equal(x, y)


def test_gbk_file_reads_the_same(cfg, tmp_path):
    gbk = tmp_path / "task_gbk.csv"
    gbk.write_bytes(TASK_CSV.read_text(encoding="utf-8").encode("gbk"))
    a = ingest_task_table(TASK_CSV, cfg).tables["targets"]
    b = ingest_task_table(gbk, cfg).tables["targets"]
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


def test_missing_column_is_a_clear_error(cfg, tmp_path):
    bad = tmp_path / "no_unit.csv"
    df = pd.read_csv(TASK_CSV, dtype=str).drop(columns="责任单位")
    df.to_csv(bad, index=False)
    with pytest.raises(IngestError) as exc:
        ingest_task_table(bad, cfg)
    msg = str(exc.value)
    assert "no_unit.csv" in msg and "责任单位" in msg and "missing required column" in msg


def test_negative_count_and_unknown_unit_are_quarantined_not_lost(cfg, tmp_path):
    df = pd.read_csv(TASK_CSV, dtype=str, keep_default_na=False)
    df.loc[df["责任单位"] == "路南街道", "初高中学历提升人数"] = "-106"
    df.loc[df["责任单位"] == "新桥镇", "责任单位"] = "椒江区"
    bad = tmp_path / "bad.csv"
    df.to_csv(bad, index=False)
    res = ingest_task_table(bad, cfg)
    rej = res.rejected
    assert set(rej["row"]) == {2, 8}  # header is line 1: 路南 line 2, 新桥镇 line 8
    neg = rej.loc[rej["row"] == 2].iloc[0]
    assert neg["column"] == "初高中学历提升人数" and "negative" in neg["reason"] and "-106" in neg["reason"]
    unk = rej.loc[rej["row"] == 8].iloc[0]
    assert unk["column"] == "责任单位" and "椒江区" in unk["reason"]
    assert res.rows_in == res.rows_clean + res.rows_rejected + res.rows_total == 16
    assert "lunan" not in set(res.tables["targets"]["unit_id"])


def test_plan_indicators_mixed_formats(tmp_path):
    res = ingest_plan_indicators(PLAN_CSV, region="温州市洞头区")
    p = res.tables["plan_indicators"].set_index(["indicator", "year"])
    # printed "79.8" (no % sign, a percent column) and "57%" both mean percent
    assert p.loc[("quality_kindergarten_share", 2023), "target_value"] == pytest.approx(79.8)
    assert p.loc[("public_kindergarten_coverage", 2023), "target_value"] == pytest.approx(57.0)
    assert p.loc[("education_community_share", 2024), "target_value"] == pytest.approx(88.9)
    assert p.loc[("school_life_expectancy", 2025), "unit"] == "years"
    assert p.loc[("school_life_expectancy", 2023), "target_value"] == pytest.approx(15.15)
    assert p.loc[("tertiary_gross_enrolment_ratio", 2027), "target_value"] == pytest.approx(72.5)
    assert len(res.tables["plan_indicators"]) == 9 * 5


def test_percentage_above_100_is_quarantined(tmp_path):
    df = pd.read_csv(PLAN_CSV, dtype=str, keep_default_na=False)
    df.loc[1, "2025"] = "163%"
    bad = tmp_path / "plan.csv"
    df.to_csv(bad, index=False)
    res = ingest_plan_indicators(bad, region="x")
    assert len(res.rejected) == 1
    r = res.rejected.iloc[0]
    assert r["row"] == 3 and "2025" in r["reason"] and "100" in r["reason"]
    assert res.rows_in == res.rows_clean + res.rows_rejected
    assert "public_kindergarten_coverage" not in set(res.tables["plan_indicators"]["indicator"])


def test_ce_targets_traditional_text():
    res = ingest_ce_targets(CE_CSV, region="达州市", year=2014)
    t = res.tables["ce_targets"].set_index("indicator")
    assert t.loc["community_education_participation", "target_value"] == 35
    assert t.loc["community_education_participation", "unit"] == "percent"
    assert t.loc["non_degree_certification", "target_value"] == 10000
    assert t.loc["non_degree_education", "target_value"] == 1_000_000
    assert t.loc["non_degree_education", "unit"] == "person_times"
    assert "社区教育参与率" in t.loc["community_education_participation", "indicator_name"]


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


# --- registers -------------------------------------------------------------------------

def _id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def _write_register(path: Path, rows: list[list]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "学历提升"
    ws.append(["路桥区2023年学历提升学员名册(测试)"])
    ws.merge_cells("A1:N1")
    ws.append(["", "学员信息", "", "", "项目类别", "学历", "", "批次", "报名日期", "学籍", "", "", "", "学习方式"])
    ws.append(["序号", "姓名", "身份证号", "所属单位", "", "原学历", "报读层次", "", "", "学籍状态",
               "结业日期", "学籍注册", "未注册原因", ""])
    for rng in ("B2:D2", "F2:G2", "J2:M2", "A2:A3", "E2:E3", "H2:H3", "I2:I3", "N2:N3"):
        ws.merge_cells(rng)
    ws["A2"] = "序号"
    ws["E2"] = "项目类别"
    ws["H2"] = "批次"
    ws["I2"] = "报名日期"
    ws["N2"] = "学习方式"
    ws["A1"].alignment = Alignment(horizontal="center")
    for r in rows:
        ws.append(r)
    wb.save(path)


def test_register_faults_quarantined_with_masked_ids(cfg, tmp_path, monkeypatch):
    monkeypatch.setenv("EDUANALYTICS_SALT", "test-salt")
    good1 = _id("331004", "19850306", "123")
    good2 = _id("332603", "19700101", "456")  # retired pre-1994 Huangyan code: still valid
    bad_check = good1[:-1] + ("0" if good1[-1] != "0" else "1")
    young = _id("331004", "20100101", "222")
    fullwidth = _id("331004", "19900512", "345").translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    rows = [
        [1, "张三", good1, "路南", "初高中学历提升", "初中", "高中", "春季", "2023-03-06", "在读", None, "是", None, "线下"],
        [2, "李四", good2, "路橋街道", "大专及以上学历提升", "高中", "大专", "秋季", "2023年9月6日", "已结业", "2023.12.20", "否", "缺标准像", "线上"],
        [3, "王五", bad_check, "路北街道", "初高中学历提升", "小学", "初中", "春季", 44991, "在读", None, "是", None, "线下"],
        [4, "赵六", young, "金清镇", "初高中学历提升", "小学", "初中", "春季", "2023-03-06", "在读", None, "是", None, "线下"],
        [5, "钱七", fullwidth, "椒江区", "初高中学历提升", "初中", "高中", "春季", "2023-03-06", "在读", None, "是", None, "线下"],
        [6, "张三", good1, "路南街道办事处", "初高中学历提升", "初中", "高中", "春季", "2023.3.6", "在读", None, "是", None, "线下"],
        [7, "孙八", _id("331004", "19800101", "111"), "蓬街镇", "初高中学历提升", "初中", "高中", None, "２０２３-０４-０１", "退学", None, "是", None, "线上线下"],
    ]
    path = tmp_path / "register.xlsx"
    _write_register(path, rows)
    res = ingest_register(path, cfg, training_sheet=None)
    enr = res.tables["enrolments"]
    rej = res.rejected
    # Excel rows: title 1, header 2-3, data 4..10
    by_row = rej.groupby("row")["reason"].apply(" | ".join)
    assert set(by_row.index) == {6, 7, 8, 9}
    assert "check digit" in by_row[6]
    assert "age" in by_row[7] and "16-64" in by_row[7]
    assert "椒江区" in by_row[8]
    assert "duplicate of row 4" in by_row[9]
    assert res.rows_in == 7 and len(enr) == 3 and res.rows_in == res.rows_clean + res.rows_rejected
    # personal data: no ID number or name anywhere in the outputs
    text = enr.astype(str).to_csv() + rej.astype(str).to_csv()
    for r in rows:
        assert str(r[2]) not in text and r[1] not in text
    assert rej.loc[rej["row"] == 6, "value"].iloc[0].startswith("331004********")
    # normalisation: traditional unit name, dates, batch inferred, fail reason
    e = enr.set_index("unit_id")
    assert e.loc["luqiao", "status"] == "completed"
    assert e.loc["luqiao", "register_fail_reason"] == "no_photo"
    assert e.loc["luqiao", "enrol_date"] == pd.Timestamp("2023-09-06")
    assert e.loc["pengjie", "batch"] == "spring" and e.loc["pengjie", "mode"] == "blended"
    assert e.loc["luqiao", "sex"] == "female"  # 17th digit of ...456: 6 is even
    assert enr["learner_key"].str.fullmatch(r"[0-9a-f]{16}").all()
