"""The seeded generator: the published constraints hold exactly, the same seed gives the
same data, every injected fault is where faults.json says, and everything is labelled
synthetic. Expected figures are the seed-000 table's, typed from the notice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from stdnum.cn import ric

from eduanalytics.config import load_config
from eduanalytics.example.generate import (
    REGISTER_TITLE,
    component_rngs,
    district_check,
    generate_example,
    largest_remainder,
    learner_register,
    street_census_attainment,
    survey_counts,
    training_register,
)

ROOT = Path(__file__).resolve().parents[2]
TASK = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.csv"
COUNTY = ROOT / "data/raw/census/2020/zhejiang_2020_county_education.csv"
SYN = ROOT / "data/raw/luqiao/2023/synthetic"
LOW = ["未上过学", "学前教育", "小学", "初中", "高中"]
#: seed 000, 各单位民生实事任务分解: 常住人口, 20-59周岁人口, 其中高中及以下学历人口 (as printed)
PUBLISHED = {
    "路南街道": (54719, 37580, 32587), "路桥街道": (72705, 49449, 39637),
    "路北街道": (66199, 47222, 34667), "螺洋街道": (51925, 36482, 29119),
    "桐屿街道": (45017, 29978, 25660), "峰江街道": (53357, 35470, 31936),
    "新桥镇": (35736, 23868, 21317), "横街镇": (37520, 25416, 22890),
    "金清镇": (123722, 82718, 73885), "蓬街镇": (88034, 59532, 53614),
}
FW = re.compile("[０-９]")


@pytest.fixture(scope="module")
def task():
    return pd.read_csv(TASK, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def county():
    return pd.read_csv(COUNTY, dtype={"code": str})


@pytest.fixture(scope="module")
def census(task, county):
    return street_census_attainment(task, county)


@pytest.fixture(scope="module")
def register(task):
    return learner_register(task, component_rngs()[1])


@pytest.fixture(scope="module")
def training(task):
    return training_register(task, component_rngs()[2])


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("syn")
    return generate_example(load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT), out_dir=out)


def _lo(df):
    return df["年龄段"].str.extract(r"^(\d+)")[0].astype(int)


def test_largest_remainder_keeps_the_total():
    # 10 over weights 1:1:1 -> quotas 3.33 each -> 4, 3, 3 (tie to the earliest)
    assert largest_remainder(10, np.array([1, 1, 1])).tolist() == [4, 3, 3]
    # 7 over 0.5:0.3:0.2 -> 3.5, 2.1, 1.4 -> floors 3, 2, 1 (6), the largest remainder .5 gets 1
    assert largest_remainder(7, np.array([0.5, 0.3, 0.2])).tolist() == [4, 2, 1]
    with pytest.raises(ValueError, match="all-zero"):
        largest_remainder(3, np.array([0, 0]))


def test_street_hard_constraints_exact(census):
    tot = census.groupby("街道")["人数"].sum()
    work = census[_lo(census).between(20, 55)]
    w = work.groupby("街道")["人数"].sum()
    low = work[work["受教育程度"].isin(LOW)].groupby("街道")["人数"].sum()
    for street, (resident, age_20_59, low_20_59) in PUBLISHED.items():
        assert tot[street] == resident, street
        assert w[street] == age_20_59, street
        assert low[street] == low_20_59, street
    # hand sums of the ten streets: 54719+72705+66199+51925+45017+53357+35736+37520+123722
    # +88034 = 628934 (= the 合计); 20-59: 427715 (the 合计 prints 405026); low: 365312
    # (the 合计 prints 368047)
    assert tot.sum() == 628934 and w.sum() == 427715 and low.sum() == 365312
    assert (census["人数"] >= 0).all() and census["人数"].dtype == "int64"


def test_census_table_shape(census):
    assert list(census.columns) == ["街道", "年龄段", "性别", "受教育程度", "人数"]
    bands = ["0-5", "6-9", "10-14", "15-19"] + [f"{a}-{a + 4}" for a in range(20, 85, 5)] + ["85+"]
    assert list(census["年龄段"].unique()) == bands
    assert set(census["性别"]) == {"男", "女"}
    assert set(census.loc[census["年龄段"] == "0-5", "受教育程度"]) == {"/"}
    levels = {"未上过学", "学前教育", "小学", "初中", "高中", "大学专科", "大学本科", "研究生"}
    assert set(census.loc[census["年龄段"] != "0-5", "受教育程度"]) == levels
    kids = census[census["年龄段"].isin(["6-9", "10-14"]) & (census["人数"] > 0)]
    assert set(kids["受教育程度"]) <= {"学前教育", "小学", "初中"}


def test_district_close_to_the_census(census, county):
    # census row 331004: 6+ = 595475; 0-4 27561 + 5-9 30589 + 10-14 30333 = 88483
    # mean years (yearbook 8.65): (6*199061 + 9*208816 + 12*88617 + 16*(37230+26201)) / 595475
    # = (1194366 + 1879344 + 1063404 + 1014896) / 595475 = 5152010 / 595475 = 8.652
    c = census[census["受教育程度"] != "/"]
    years = {"未上过学": 0, "学前教育": 0, "小学": 6, "初中": 9, "高中": 12, "大学专科": 16,
             "大学本科": 16, "研究生": 16}
    mys = (c["受教育程度"].map(years) * c["人数"]).sum() / c["人数"].sum()
    assert abs(mys - 8.65) < 0.05
    assert abs(c["人数"].sum() - 595475) < 1000
    # ages 0-14 follow the census: 0-5 + 6-9 + 10-14 = 88483 (rounding per street: +-10)
    kids = census[census["年龄段"].isin(["0-5", "6-9", "10-14"])]["人数"].sum()
    assert abs(kids - 88483) <= 10
    old = census[_lo(census) >= 60]["人数"].sum()
    assert abs(old - 104249) <= 10
    # shares within half a point of the census row (e.g. 初中 208816/595475 = 35.07 %)
    chk = district_check(census, county)
    for lvl in ("未上过学", "小学", "初中", "高中", "大学专科", "本科及以上"):
        assert abs(chk[f"share_{lvl}"] - chk[f"census_share_{lvl}"]) < 0.005, lvl
    assert chk["census_mean_years_6plus"] == 8.65


def test_younger_cohorts_more_educated_and_sex_ratio(census):
    def tertiary_share(band):
        b = census[census["年龄段"] == band]
        return b.loc[b["受教育程度"].isin(["大学专科", "大学本科", "研究生"]), "人数"].sum() / b["人数"].sum()

    shares = [tertiary_share(f"{a}-{a + 4}") for a in range(20, 60, 5)]
    assert shares == sorted(shares, reverse=True)
    men = census.loc[census["性别"] == "男", "人数"].sum() / census["人数"].sum()
    assert 0.50 < men < 0.55


def test_survey_has_close_under_and_over_streets(census):
    s = survey_counts(census, np.random.default_rng(5))
    assert list(s.columns) == ["街道", "年龄段", "性别", "受教育程度", "摸排人数", "摸排日期"]
    assert set(s["年龄段"]) == {"20-29", "30-39", "40-49", "50-59"}
    assert set(s["受教育程度"]) == {"未上过学", "小学", "初中", "高中"}
    assert s["摸排日期"].str.fullmatch(r"2023年3月\d{1,2}日").all()
    target = census[census["受教育程度"].isin(LOW) & _lo(census).between(20, 55)]
    ratio = s.groupby("街道")["摸排人数"].sum() / target.groupby("街道")["人数"].sum()
    close = ratio[(ratio - 1).abs() <= 0.02]
    over = ratio[ratio > 1.03]
    under = ratio[(ratio >= 0.85) & (ratio <= 0.95)]
    assert len(close) in (2, 3) and len(over) == 1 and len(close) + len(over) + len(under) == 10


def test_same_seed_same_data_other_seed_differs(task, census):
    a, fa = learner_register(task, np.random.default_rng(7))
    b, fb = learner_register(task, np.random.default_rng(7))
    c, _ = learner_register(task, np.random.default_rng(8))
    pd.testing.assert_frame_equal(a, b)
    assert fa == fb
    assert not a["身份证号"].equals(c["身份证号"])
    t1, _ = training_register(task, np.random.default_rng(7))
    t2, _ = training_register(task, np.random.default_rng(7))
    pd.testing.assert_frame_equal(t1, t2)
    s1 = survey_counts(census, np.random.default_rng(3))
    pd.testing.assert_frame_equal(s1, survey_counts(census, np.random.default_rng(3)))
    assert not s1["摸排人数"].equals(survey_counts(census, np.random.default_rng(4))["摸排人数"])


def test_committed_files_are_what_the_generator_writes(generated):
    # byte-identical: same seed, fixed workbook properties and zip member times
    for key in ("census_streets", "survey", "register", "faults", "source"):
        assert generated[key].read_bytes() == (SYN / generated[key].name).read_bytes(), key


def test_outputs_labelled_synthetic(generated):
    assert generated["survey"].read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    assert not generated["census_streets"].read_bytes().startswith(b"\xef\xbb\xbf")
    wb = openpyxl.load_workbook(generated["register"])
    assert wb.sheetnames == ["学历提升", "职业培训"]
    for ws in wb.worksheets:
        assert ws["A1"].value == REGISTER_TITLE and "示例数据" in ws["A1"].value
        merged = {str(r) for r in ws.merged_cells.ranges}
        assert any(r.startswith("A1:") for r in merged)  # merged title row
        assert "A2:A3" in merged and ws["A2"].value == "序号"  # single column merged down
        assert ws["B2"].value == "学员信息" and ws["B3"].value == "姓名" and ws["C3"].value == "身份证号"
    assert wb["学历提升"]["A4"].value == 1
    assert "示例数据" in wb.properties.creator
    assert "SYNTHETIC" in json.loads(generated["faults"].read_text(encoding="utf-8"))["label"]
    text = generated["source"].read_text(encoding="utf-8")
    assert "SYNTHETIC" in text and "示例数据(合成)" in text and "20230306" in text
    for name in ("census_street_attainment.csv", "survey_counts.csv", "learner_register.xlsx"):
        assert name in text


def _canonical_names() -> dict[str, str]:
    units = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT).units()
    return {a: n for n, al in zip(units["name"], units["aliases"], strict=True) for a in [n, *al]}


def _ids_ascii(s: pd.Series) -> pd.Series:
    return s.astype(str).str.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def test_register_faults_where_stated(register, task):
    df, f = register
    c, rows = f["counts"], {k: set(v) for k, v in f["rows"].items()}
    seq = df.set_index("序号")
    n = len(df)
    assert f["rows_total"] == n
    for k, v in c.items():
        assert len(rows[k]) == v, k
        assert v / n <= 0.02, k  # modest: at most 2 % of rows each
    # wrong check digits exactly on the stated rows; every other ID right
    ids = _ids_ascii(seq["身份证号"])
    right = pd.Series([ric.calc_check_digit(i) == i[17] for i in ids], index=seq.index)
    assert set(right.index[~right]) == rows["wrong_check_digit"]
    # full-width digits: IDs and dates exactly on their rows
    assert set(seq.index[seq["身份证号"].astype(str).str.contains(FW)]) == rows["id_fullwidth"]
    fw_date = seq["报名日期"].map(lambda v: isinstance(v, str) and bool(FW.search(v)))
    assert set(seq.index[fw_date]) == rows["date_fullwidth"]
    # blanks
    assert set(seq.index[seq["所属单位"].isna()]) == rows["blank_unit"]
    assert set(seq.index[seq["报名日期"].isna()]) == rows["blank_enrol_date"]
    # unknown unit, traditional name, stray spaces
    assert set(seq.index[seq["所属单位"].eq("椒江区")]) == rows["unknown_unit"]
    assert set(seq.index[seq["所属单位"].eq("路橋街道")]) == rows["unit_traditional"]
    assert set(seq.index[seq["所属单位"].str.contains(" ", na=False)]) == rows["unit_stray_space"]
    # ages outside 16-64 at 2023-12-31 (birth year = ID digits 7-10; every birthday falls
    # before 31 December, so age = 2023 - birth year)
    age = 2023 - ids.str[6:10].astype(int)
    assert set(seq.index[(age < 16) | (age > 64)]) == rows["age_outside_band"]
    assert age[~seq.index.isin(rows["age_outside_band"])].between(20, 59).all()
    # exact duplicates: each stated copy equals another row in every column but 序号
    body = seq.astype(object).fillna("<blank>").astype(str)
    dup = body.duplicated(keep=False)
    assert dup.sum() == 2 * c["duplicate_exact"]
    assert rows["duplicate_exact"] <= set(seq.index[dup])
    # the same learner under a variant of the unit: one twin row with the same ID, programme
    # and date under the canonical name; no other rows share that key
    key = body["身份证号"] + "|" + body["项目类别"] + "|" + body["报名日期"]
    assert key.duplicated(keep=False).sum() == 2 * (c["duplicate_exact"] + c["duplicate_unit_variant"])
    canon = _canonical_names()
    for r in rows["duplicate_unit_variant"]:
        twin = seq.index[(key == key[r]) & (seq.index != r)]
        assert len(twin) == 1 and canon[seq.loc[r, "所属单位"]] == seq.loc[twin[0], "所属单位"]
    # unit variants are aliases of the config's units
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    aliases = {a for a_list in cfg.units()["aliases"] for a in a_list}
    names = set(cfg.units()["name"])
    variant = seq.index[seq["所属单位"].isin(aliases) & ~seq["所属单位"].isin(names)]
    assert set(variant) == rows["unit_variant"] | rows["duplicate_unit_variant"]
    # every row carries at most one fault
    all_rows = [r for v in f["rows"].values() for r in v]
    assert len(all_rows) == len(set(all_rows))


def test_register_dates_states_and_targets(register, task):
    df, f = register
    d = df["报名日期"]
    kinds = {
        "excel_date": d.map(lambda v: hasattr(v, "year") and not isinstance(v, str)),
        "iso_text": d.astype(str).str.fullmatch(r"2023-\d\d-\d\d"),
        "dotted": d.astype(str).str.fullmatch(r"2023\.\d{1,2}\.\d{1,2}"),
        "chinese": d.astype(str).str.fullmatch(r"2023年\d{1,2}月\d{1,2}日"),
        "excel_serial": d.map(lambda v: isinstance(v, int)),
        "slash": d.astype(str).str.fullmatch(r"2023/\d{1,2}/\d{1,2}"),
    }
    assert {k: int(v.sum()) for k, v in kinds.items()} == f["date_formats"]
    # Excel serials: 44986 = 2023-03-01 … 45230 = 2023-10-31 (1899-12-30 + days)
    serial = d[kinds["excel_serial"]].astype(int)
    assert serial.between(44986, 45230).all()
    parsed = pd.to_datetime(d[kinds["excel_date"]].tolist())
    assert (parsed.month.isin([3, 4]) | parsed.month.isin([9, 10])).all()
    assert (parsed.year == 2023).all()
    spring = df.loc[kinds["excel_date"], "批次"].eq("春季").to_numpy()
    assert (parsed.month[spring] <= 4).all() and (parsed.month[~spring] >= 9).all()
    # states: withdrawn, completed with a 2023 date, registration failures with a reason
    assert set(df["学籍状态"]) == {"在读", "已结业", "退学"}
    done = df["学籍状态"].eq("已结业")
    assert df.loc[done, "结业日期"].str.fullmatch(r"2023-\d\d-\d\d").all()
    assert df.loc[~done, "结业日期"].isna().all()
    fail = df["学籍注册"].eq("否")
    assert fail.sum() == f["registration_failed"] and 0.005 <= fail.mean() <= 0.03
    assert set(df.loc[fail, "未注册原因"]) == {"缺身份证", "缺户口簿", "缺标准像"}
    assert df.loc[~fail, "未注册原因"].isna().all()
    assert df["学籍状态"].eq("退学").sum() == f["withdrawn"] and 0.005 <= f["withdrawn"] / len(df) <= 0.03
    # learners per unit near the target (85-115 %), allowing for the few rows whose unit a
    # fault blanked or replaced (at most 4 per unit here) and the duplicates
    canon = _canonical_names()
    unit = df["所属单位"].str.replace(" ", "").replace({"路橋街道": "路桥街道"}).map(canon)
    t = task.set_index("责任单位")
    for prog, col in (("初高中学历提升", "初高中学历提升人数"), ("大专及以上学历提升", "大专及以上学历提升人数")):
        got = unit[df["项目类别"] == prog].value_counts()
        targets = t[col][t[col].str.fullmatch(r"\d+") & (t.index != "合计")].astype(int)
        assert set(got.index) == set(targets.index)  # e.g. 区中职校 30 but not 自学考试
        for u, target in targets.items():
            assert 0.85 * target - 5 <= got[u] <= 1.15 * target + 5, (prog, u)
    # 原学历 -> 报读层次
    sec = df["项目类别"] == "初高中学历提升"
    assert set(df.loc[sec, "原学历"]) == {"小学", "初中"}
    assert set(df.loc[~sec, "原学历"]) == {"高中", "中专", "大专"}
    assert set(df.loc[~sec & df["原学历"].eq("大专"), "报读层次"]) == {"本科"}


def test_ids_valid_codes_and_retired_area(register):
    df, f = register
    bad = set(f["rows"]["wrong_check_digit"])
    ids = _ids_ascii(df.loc[~df["序号"].isin(bad), "身份证号"])
    assert ids.str.fullmatch(r"\d{17}[\dX]").all()
    # GB 11643 check digit and a real birth date (stdnum's validate() also demands the area
    # code existed in the birth year, which rejects real people, e.g. 331004 before 1994)
    assert all(ric.calc_check_digit(i) == i[17] for i in ids)
    assert pd.to_datetime(ids.str[6:14], format="%Y%m%d", errors="coerce").notna().all()
    area = ids.str[:6]
    assert (area == "331004").mean() > 0.3
    retired = ids[area == "332603"]
    assert len(retired) > 0 and (retired.str[6:10].astype(int) < 1994).all()
    assert area.str[:2].ne("33").any()  # migrants from other provinces


def test_training_person_times(training, task):
    df, f = training
    c, rows = f["counts"], {k: set(v) for k, v in f["rows"].items()}
    # targets 6800 + 500 = 7300 person-times; generated at 92-106 % plus 37 duplicates
    assert 0.92 * 7300 <= len(df) - c["duplicate_exact"] <= 1.06 * 7300 + 2
    assert set(df["培训单位"]) >= {"区中职校", "恒勃技工学校"}
    per = df.groupby("身份证号")
    assert per.size().max() <= 4 and (per.size() >= 2).mean() > 0.3  # repeat attendance
    assert (per["所属街道"].nunique() == 1).all()  # one home street per person
    seq = df.set_index("序号")
    ids = seq["身份证号"]
    wrong = pd.Series([ric.calc_check_digit(i) != i[17] for i in ids], index=seq.index)
    assert set(seq.index[wrong]) == rows["wrong_check_digit"]
    assert seq.astype(str).duplicated(keep=False).sum() == 2 * c["duplicate_exact"]
    variants = seq.index[~seq["培训单位"].isin(["区中职校", "恒勃技工学校"])]
    assert set(variants) == rows["unit_variant"]


def test_cleaning_rejects_exactly_the_injected_register_faults(generated, monkeypatch):
    # the 学历提升 sheet through the project's ingest: each rejecting fault on exactly its
    # rows (Excel row = 序号 + 3: title row and two header rows), nothing else rejected
    from eduanalytics.ingest.register import ingest_register

    monkeypatch.setenv("EDUANALYTICS_SALT", "test")
    f = json.loads(generated["faults"].read_text(encoding="utf-8"))["学历提升"]
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    res = ingest_register(generated["register"], cfg, training_sheet=None, synthetic=True)
    assert res.rows_in == f["rows_total"]
    rej = res.rejected

    def rows_for(pattern):
        return set(rej.loc[rej["reason"].str.contains(pattern, regex=False), "row"])

    def stated(fault):
        return {r + 3 for r in f["rows"][fault]}

    assert rows_for("check digit") == stated("wrong_check_digit")
    assert rows_for("outside the eligible band") == stated("age_outside_band")
    assert rows_for("椒江区") == stated("unknown_unit")
    assert rows_for("所属单位: blank") == stated("blank_unit")
    assert rows_for("报名日期: blank") == stated("blank_enrol_date")
    c = f["counts"]
    assert len(rows_for("duplicate of row")) == c["duplicate_exact"] + c["duplicate_unit_variant"]
    rejecting = ("wrong_check_digit", "age_outside_band", "unknown_unit", "blank_unit",
                 "blank_enrol_date", "duplicate_exact", "duplicate_unit_variant")
    assert rej["row"].nunique() == sum(c[k] for k in rejecting)
    # full-width IDs were converted, not rejected
    changed = res.changes.groupby("column")["n"].sum()
    assert changed["身份证号"] == c["id_fullwidth"]
