"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.normalise import (
    clean_text,
    is_total_label,
    normalise_attainment,
    normalise_dates,
    normalise_numbers,
    normalise_percent,
    normalise_unit_names,
    parse_id_numbers,
)
from eduanalytics.privacy import learner_key, mask_id
from eduanalytics.readers import detect_encoding, read_csv_table, read_xlsx_table


def test_clean_text_seed003_traditional_with_pinyin():
    s = pd.Series(["達州經(jīng)開區(qū)管委會", "社區(qū)教育參與率", "高中(含中专)", "优质幼儿园(一、二级)在园幼儿占比(%",
                   "　路南街道\u00a0", None])
    out = clean_text(s).tolist()
    assert out[:5] == ["达州经开区管委会", "社区教育参与率", "高中(含中专)", "优质幼儿园(一、二级)在园幼儿占比(%",
                       "路南街道"]
    assert pd.isna(out[5])


def test_numbers_seed000_and_003():
    s = pd.Series(["628934", "628,934", "１３１９", "/", "", "1萬人", "100萬人次以上", "5000人以上",
                   "一千三百", "-5", "12a"])
    r = normalise_numbers(s)
    assert r["value"].tolist()[:3] == [628934, 628934, 1319]
    assert bool(r.loc[3, "not_applicable"]) and pd.isna(r.loc[3, "value"]) and pd.isna(r.loc[3, "error"])
    assert not bool(r.loc[4, "not_applicable"]) and pd.isna(r.loc[4, "value"])  # blank: missing
    assert r["value"].tolist()[5:10] == [10000, 1_000_000, 5000, 1300, -5]
    assert r.loc[6, "qualifier"] == "以上"
    assert "not a number" in r.loc[10, "error"]
    assert r["changed"].tolist()[:3] == [False, True, True]


def test_percent_seed002_rule():
    # indicator 1 prints bare numbers (79.8, 84 ...) in a percent column: > 1 -> percent
    assert normalise_percent(pd.Series(["79.8", "84", "90", "91", "91"]))["value"].tolist() == [79.8, 84, 90, 91, 91]
    assert normalise_percent(pd.Series(["57%", "60%", "88.9%"]))["value"].tolist() == [57, 60, 88.9]
    assert normalise_percent(pd.Series(["0.57", "0.6"]))["value"].round(6).tolist() == [57, 60]
    over = normalise_percent(pd.Series(["100%", "163%"]))
    assert over.loc[0, "value"] == 100 and "above 100" in over.loc[1, "error"]
    assert normalise_percent(pd.Series(["110%"]), max_value=None)["value"].tolist() == [110]


def test_dates_register_formats():
    s = pd.Series(["2023-03-06", "2023.3.6", "2023年3月6日", "2023/3/6", "２０２３-０３-０６", 44991,
                   dt.datetime(2023, 3, 6, 9, 30), "2023-02-30", "明天"])
    r = normalise_dates(s)
    # Excel 1900 system: serial 44991 = 1899-12-30 + 44991 days = 2023-03-06
    assert (r["value"].iloc[:7] == pd.Timestamp("2023-03-06")).all()
    assert "not a real calendar date" in r.loc[7, "error"] and "not a date" in r.loc[8, "error"]
    assert r["changed"].tolist()[:2] == [False, True]


def test_unit_names_aliases_traditional_and_unknown():
    units = load_config("luqiao").units()
    s = pd.Series(["路南", "路南街道", "路南街道办事处", "路橋街道", " 金清镇 ", "椒江区", "合计"])
    r = normalise_unit_names(s, units)
    assert r["value"].tolist()[:5] == ["lunan", "lunan", "lunan", "luqiao", "jinqing"]
    assert r["changed"].tolist()[:3] == [True, False, True]
    assert "unknown unit name '椒江区'" in r.loc[5, "error"]
    assert is_total_label(s, ["合计"]).tolist() == [False] * 6 + [True]


def test_attainment_labels():
    r = normalise_attainment(pd.Series(["未上过学", "学前教育", "小学", "初中", "高中", "中专", "大学专科",
                                        "本科及以上", "硕士", "夜校"]))
    assert r["value"].tolist()[:9] == ["none", "preschool", "primary", "junior_secondary",
                                       "senior_secondary", "senior_secondary", "junior_college",
                                       "bachelor", "postgraduate"]
    assert "unknown attainment" in r.loc[9, "error"]


def test_id_numbers_gb11643():
    # the standard's own example: 11010519491231002X. By hand: digits x weights
    # 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167,
    # 167 mod 11 = 2 -> check character 'X'.
    ok = "11010519491231002X"
    retired = "33260319700101456"  # Huangyan's pre-1994 code, still a valid person
    from stdnum.cn import ric

    retired += ric.calc_check_digit(retired + "0")
    s = pd.Series([ok, ok.lower(), retired, ok[:-1] + "3", "110105491231002", "12345", ""])
    r = parse_id_numbers(s, "2023-12-31")
    assert r["value"].tolist()[:3] == [ok, ok, retired]
    assert r.loc[0, "birth_date"] == pd.Timestamp("1949-12-31") and r.loc[0, "age"] == 74
    assert r.loc[0, "sex"] == "female"  # 17th digit 2: even
    assert r.loc[2, "area_code"] == "332603"
    assert "check digit is 3, expected X" in r.loc[3, "error"]
    assert "110105********" in r.loc[3, "error"] and ok not in r.loc[3, "error"]
    assert "15-digit" in r.loc[4, "error"] and "expected 17 digits" in r.loc[5, "error"]
    assert "blank" in r.loc[6, "error"]


def test_mask_and_key():
    assert mask_id(pd.Series(["11010519491231002X"])).iloc[0] == "110105********002X"
    k = learner_key(pd.Series(["11010519491231002X", "11010519491231002X", None]), "salt")
    assert k.iloc[0] == k.iloc[1] and len(k.iloc[0]) == 16 and pd.isna(k.iloc[2])
    assert learner_key(pd.Series(["11010519491231002X"]), "other").iloc[0] != k.iloc[0]
    with pytest.raises(ValueError):
        learner_key(pd.Series(["x"]), "")


def test_readers_encodings_and_header_rows(tmp_path):
    text = "责任单位,常住人口\n路南街道,54719\n"
    for enc, expect in (("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")):
        p = tmp_path / f"{enc}.csv"
        p.write_bytes(text.encode(enc))
        assert detect_encoding(p) == expect
        df = read_csv_table(p)
        assert df.loc[0, "责任单位"] == "路南街道" and df.loc[0, "_row"] == 2
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名册（测试）"])
    ws.merge_cells("A1:C1")
    ws.append(["学员信息", None, "日期"])
    ws.merge_cells("A2:B2")
    ws.append(["姓名", "身份证号", None])
    ws.merge_cells("C2:C3")
    ws.append(["某某", "x", dt.datetime(2023, 3, 6)])
    p = tmp_path / "r.xlsx"
    wb.save(p)
    df = read_xlsx_table(p, header_keywords=["身份证号", "日期"])
    assert list(df.columns[:3]) == ["姓名", "身份证号", "日期"]
    assert df.loc[0, "_row"] == 4 and df.loc[0, "日期"] == dt.datetime(2023, 3, 6)
