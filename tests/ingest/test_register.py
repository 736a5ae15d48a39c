"""Ingest of learner registers: faults quarantined with masked IDs, ages at enrolment, config mapping."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.styles import Alignment
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.ingest.register import ingest_register

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


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


# -- CSV registers, dates and ages, config mapping ---------------------------------------

CSV_HEAD = ["姓名", "身份证号", "所属单位", "项目类别", "原学历", "报读层次", "报名日期", "学籍状态", "学习方式"]


def _csv(path: Path, rows: list[list], head: list[str] = CSV_HEAD) -> Path:
    pd.DataFrame(rows, columns=head).to_csv(path, index=False, encoding="utf-8")
    return path


def _with_register(cfg, **options):
    from dataclasses import replace

    inputs = dict(cfg.data["inputs"])
    inputs["register"] = {"path": "register.csv", **options}
    return replace(cfg, data={**cfg.data, "inputs": inputs})


def test_dates_and_ages_at_enrolment(cfg, tmp_path):
    # CSV line numbers: header 1, data 2..10. Band 16-64 at the ENROLMENT date, as-of 2023-12-31.
    p = "初高中学历提升"
    teen = _id("331004", "20070601", "101")    # 2023-03-06: 15 (birthday in June) -> out
    senior = _id("331004", "19581201", "102")  # 2023-03-06: 64 -> in (65 only at year end)
    rows = [
        ["a", _id("331004", "19850306", "103"), "路南", p, "初中", "高中", "2023-02-30", "在读", "线下"],
        ["b", _id("331004", "19850307", "104"), "路南", p, "初中", "高中", "2023-13-01", "在读", "线下"],
        ["c", _id("331004", "19900101", "105"), "路南", p, "初中", "高中", "1989-01-01", "在读", "线下"],
        ["d", _id("331004", "19850308", "106"), "路南", p, "初中", "高中", "2024-01-05", "在读", "线下"],
        ["e", teen, "路南", p, "初中", "高中", "2023-03-06", "在读", "线下"],
        ["f", senior, "路南", p, "初中", "高中", "2023-03-06", "在读", "线下"],
        ["g", "33100419900512C45X", "路南", p, "初中", "高中", "2023-03-06", "在读", "线下"],
        ["h", "3.31004199001011E+17", "路南", p, "初中", "高中", "2023-03-06", "在读", "线下"],
        ["i", _id("331004", "19800101", "107"), "路北", p, "初中", "高中", "2023-03-06", "在读", "线下"],
    ]
    res = ingest_register(_csv(tmp_path / "register.csv", rows), cfg, salt="s")
    by_row = res.rejected.groupby("row")["reason"].apply(" | ".join)
    assert set(by_row.index) == {2, 3, 4, 5, 6, 8, 9}
    assert "not a real calendar date" in by_row[2] and "not a real calendar date" in by_row[3]
    assert "before the birth date" in by_row[4]
    assert "after the as-of date 2023-12-31" in by_row[5]
    assert "age 15 at enrolment 2023-03-06" in by_row[6]
    assert "characters other than digits" in by_row[8] and "stored as a number" in by_row[9]
    enr = res.tables["enrolments"]
    assert (res.rows_in, res.rows_clean) == (9, 2)
    # the senior learner is kept; his age column is at the reference date 2023-12-31: 65
    assert sorted(enr["age"].tolist()) == [43, 65]


def test_excel_number_ids_one_row_each(cfg, tmp_path):
    rows = [[1, "张三", 3.31004199001011e17, "路南", "初高中学历提升", "初中", "高中", "春季",
             "2023-03-06", "在读", None, "是", None, "线下"],
            [2, "李四", 331004199001011234, "路南", "初高中学历提升", "初中", "高中", "春季",
             "2023-03-06", "在读", None, "是", None, "线下"]]
    path = tmp_path / "register.xlsx"
    _write_register(path, rows)
    res = ingest_register(path, cfg, training_sheet=None, salt="s")
    assert res.rows_rejected == 2 and res.rows_clean == 0
    assert res.rejected["reason"].str.contains("stored as a number").all()


def test_csv_unknown_optional_values_kept_and_counted(cfg, tmp_path):
    p = "初高中学历提升"
    rows = [
        ["a", _id("331004", "19850306", "201"), "路南", p, "初中", "岗位进修", "2023-03-06", "在读", "线上、线下"],
        ["b", _id("331004", "19850307", "202"), "路南", p, "初中", "高中", "2023-03-06", "在读", "线下"],
        ["c", _id("331004", "19850308", "203"), "路南", "函授", "初中", "高中", "2023-03-06", "在读", "线下"],
    ]
    res = ingest_register(_csv(tmp_path / "register.csv", rows), cfg, salt="s")
    # only the unusable REQUIRED value (项目类别 函授, line 4) quarantines a row
    assert res.rejected["row"].tolist() == [4] and "项目类别" in res.rejected["reason"].iloc[0]
    enr = res.tables["enrolments"]
    assert len(enr) == 2 and enr["level_to"].isna().sum() == 1 and enr["mode"].isna().sum() == 1
    kept = res.changes[res.changes["change"].str.startswith("not recognised")].set_index("column")["n"]
    assert kept.to_dict() == {"报读层次": 1, "学习方式": 1}


def test_config_fields_values_programme_from_school(cfg, tmp_path):
    conf = _with_register(
        cfg, fields={"school": ["报读学校"], "id_number": ["证件号"]}, school_field="school",
        values={"mode": {"线上+线下": "blended"}, "level_to": {"大专（函授）": "junior_college"}},
        programme_from={"field": "level_to", "map": {"senior_secondary": "secondary_upgrade",
                                                     "junior_college": "tertiary_upgrade"}})
    head = ["证件号", "所属单位", "报读学校", "报读层次", "报名日期", "学籍状态", "学习方式"]
    rows = [
        [_id("331004", "19850306", "301"), "金清", "区中职校", "高中", "2023-03-06", "在读", "线上+线下"],
        [_id("331004", "19850307", "302"), "金清", "恒勃技校", "大专（函授）", "2023-09-06", "在读", "线下"],
        [_id("331004", "19850308", "303"), "金清", "某某学校", "高中", "2023-03-06", "在读", "线下"],
        [_id("331004", "19850309", "304"), "金清", "区中职校", "本科", "2023-03-06", "在读", "线下"],
    ]
    res = ingest_register(_csv(tmp_path / "register.csv", rows, head), conf, salt="s")
    # line 5: 本科 maps to no programme under programme_from -> the one rejected row
    assert res.rejected["row"].tolist() == [5] and "cannot be derived" in res.rejected["reason"].iloc[0]
    enr = res.tables["enrolments"]
    assert enr["programme"].tolist() == ["secondary_upgrade", "tertiary_upgrade", "secondary_upgrade"]
    assert enr["mode"].tolist() == ["blended", "offline", "offline"]
    assert enr["school_unit_id"].tolist()[:2] == ["zhongzhi", "hengbo"]
    assert pd.isna(enr["school_unit_id"].iloc[2]) and set(enr["unit_id"]) == {"jinqing"}
    ch = res.changes.set_index("change")["n"]
    assert ch["school not a unit of the config: school_unit_id left blank"] == 1


def test_sheets_by_index_and_has_columns(cfg, tmp_path):
    from eduanalytics.errors import IngestError

    path = tmp_path / "register.xlsx"
    _write_register(path, [[1, "张三", _id("331004", "19850306", "123"), "路南", "初高中学历提升", "初中",
                            "高中", "春季", "2023-03-06", "在读", None, "是", None, "线下"]])
    wb = openpyxl.load_workbook(path)
    wb["学历提升"].title = "学员名单"
    wb.create_sheet("说明", 0)
    wb.save(path)
    by_index = _with_register(cfg, sheets=[{"sheet": 1, "template": "register"},
                                           {"sheet": {"has_columns": ["培训项目"]}, "template": "training",
                                            "optional": True}])
    res = ingest_register(path, by_index, salt="s")
    assert res.rows_clean == 1 and res.rejected.empty
    by_columns = _with_register(cfg, sheets=[{"sheet": {"has_columns": ["身份证号", "学籍状态"]}}])
    assert ingest_register(path, by_columns, salt="s").rows_clean == 1
    with pytest.raises(IngestError, match="学员名单"):
        ingest_register(path, _with_register(cfg, sheets=[{"sheet": "学历提升"}]), salt="s")
