"""The raw files are faithful to the published documents (figures typed from the seeds)."""

from __future__ import annotations

from pathlib import Path

import docx
import pandas as pd
import pytest

from eduanalytics.example.documents import write_task_table_docx

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data/raw"
TASK_DIR = RAW / "luqiao/2023/task_table"
SHARED = ROOT.parent / "shared" / "data" / "census" / "zhejiang_2020_county_education.csv"

#: seed 000, 各单位民生实事任务分解, typed row by row from the notice
TASK_ROWS = [
    ["路南街道", "54719", "37580", "32587", "106", "26", "/"],
    ["路桥街道", "72705", "49449", "39637", "141", "35", "/"],
    ["路北街道", "66199", "47222", "34667", "128", "32", "/"],
    ["螺洋街道", "51925", "36482", "29119", "100", "25", "/"],
    ["桐屿街道", "45017", "29978", "25660", "88", "21", "/"],
    ["峰江街道", "53357", "35470", "31936", "104", "25", "/"],
    ["新桥镇", "35736", "23868", "21317", "69", "17", "/"],
    ["横街镇", "37520", "25416", "22890", "73", "18", "/"],
    ["金清镇", "123722", "82718", "73885", "239", "59", "/"],
    ["蓬街镇", "88034", "59532", "53614", "171", "42", "/"],
    ["区中职校", "/", "/", "/", "30", "/", "6800"],
    ["恒勃技工学校", "/", "/", "/", "70", "/", "500"],
    ["自学考试", "/", "/", "/", "/", "200", "/"],
    ["成人高校", "/", "/", "/", "/", "1600", "/"],
    ["台州开放大学路桥学院", "/", "/", "/", "/", "850", "/"],
    ["合计", "628934", "405026", "368047", "1319", "2950", "7300"],
]
TASK_HEADER = ["责任单位", "常住人口", "20-59周岁人口", "其中高中及以下学历人口",
               "初高中学历提升人数", "大专及以上学历提升人数", "职业教育培训人次"]


def _task() -> pd.DataFrame:
    return pd.read_csv(TASK_DIR / "luqiao_2023_task_table.csv", dtype=str, keep_default_na=False)


def test_task_table_as_printed():
    raw = (TASK_DIR / "luqiao_2023_task_table.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM
    assert raw.decode("utf-8").splitlines()[0] == ",".join(TASK_HEADER)
    t = _task()
    assert list(t.columns) == TASK_HEADER
    assert t.to_numpy().tolist() == TASK_ROWS


def test_task_table_sums_checked_by_hand():
    t = _task().set_index("责任单位")
    streets = t.iloc[:10, :5].astype(int)  # the 职业教育培训人次 column is all "/" here
    # 54719+72705+66199+51925+45017+53357+35736+37520+123722+88034 = 628934 = 合计
    assert streets["常住人口"].sum() == 628934 == int(t.loc["合计", "常住人口"])
    # 37580+49449+47222+36482+29978+35470+23868+25416+82718+59532 = 427715, 合计 405026
    assert streets["20-59周岁人口"].sum() == 427715 != int(t.loc["合计", "20-59周岁人口"])
    # 32587+39637+34667+29119+25660+31936+21317+22890+73885+53614 = 365312, 合计 368047
    assert streets["其中高中及以下学历人口"].sum() == 365312
    # targets add up: 1219 (streets) + 30 + 70 = 1319; 300 + 200 + 1600 + 850 = 2950;
    # 6800 + 500 = 7300 — against the text's 不少于1300 / 不少于2900 / 7000人次以上
    assert streets["初高中学历提升人数"].sum() == 1219
    assert streets["大专及以上学历提升人数"].sum() == 300
    src = (TASK_DIR / "SOURCE.md").read_text(encoding="utf-8")
    for figure in ("427,715", "405,026", "365,312", "368,047", "1300", "2900", "7000"):
        assert figure in src, figure


def test_docx_holds_the_same_table(tmp_path):
    committed = TASK_DIR / "luqiao_2023_task_table.docx"
    doc = docx.Document(str(committed))
    text = [p.text for p in doc.paragraphs]
    assert "关于高质量做好2023年浙江省教育方面民生实事相关工作的通知" in text
    assert "各单位民生实事任务分解" in text
    cells = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert cells == [TASK_HEADER, *TASK_ROWS]
    assert doc.core_properties.created.year == 2023
    # regenerating from the CSV gives the committed file, byte for byte
    again = write_task_table_docx(TASK_DIR / "luqiao_2023_task_table.csv", tmp_path / "t.docx")
    assert again.read_bytes() == committed.read_bytes()


def test_census_copy_is_byte_identical():
    ours = RAW / "census/2020/zhejiang_2020_county_education.csv"
    if not SHARED.exists():
        pytest.skip("shared census file not present on this machine")
    assert ours.read_bytes() == SHARED.read_bytes()


def test_census_luqiao_row():
    df = pd.read_csv(RAW / "census/2020/zhejiang_2020_county_education.csv", dtype={"code": str})
    assert len(df) == 103
    lq = df[df["code"] == "331004"].iloc[0]
    # published: 未上过学 32824, 学前教育 2726, 小学 199061, 初中 208816, 高中 88617, 大学专科
    # 37230, 本科及以上 26201; their sum 595475; mean years 8.65
    edu = [lq[c] for c in ("edu6p_未上过学", "edu6p_学前教育", "edu6p_小学", "edu6p_初中",
                           "edu6p_高中", "edu6p_大学专科", "edu6p_本科及以上")]
    assert edu == [32824, 2726, 199061, 208816, 88617, 37230, 26201]
    assert sum(edu) == lq["edu6p_sum"] == 595475
    assert lq["pop_total"] == 628934 and lq["mys_reported"] == 8.65
    assert "leiii/census" in (RAW / "census/2020/SOURCE.md").read_text(encoding="utf-8")


def test_dongtou_plan_kept_as_printed():
    p = pd.read_csv(RAW / "dongtou/2023/plan/dongtou_2023_2027_plan_indicators.csv", dtype=str)
    assert list(p.columns) == ["序号", "指标", "2023", "2024", "2025", "2026", "2027"]
    assert p["序号"].tolist() == [str(i) for i in range(1, 10)]
    assert p.loc[0].tolist() == ["1", "优质幼儿园(一、二级)在园幼儿占比(%", "79.8", "84", "90", "91", "91"]
    assert p.loc[1, "2023"] == "57%" and p.loc[5, "2024"] == "88.9%"
    assert p.loc[6].tolist() == ["7", "儿童平均预期受教育年限(年)", "15.15", "15.22", "15.3", "15.3", "15.3"]
    assert p.loc[8].tolist() == ["9", "高等教育毛入学率(%", "70%", "70.8%", "71.5%", "72.1%", "72.5%"]
    # every indicator but no. 7 lost its closing parenthesis
    assert (~p["指标"].str.endswith(")")).sum() == 8
    src = (RAW / "dongtou/2023/plan/SOURCE.md").read_text(encoding="utf-8")
    for target in ("3000人次", "15.5年", "7500人次", "3000人次以上"):
        assert target in src


def test_dazhou_targets_traditional_with_pinyin():
    d = pd.read_csv(RAW / "dazhou/2014/dazhou_2014_continuing_education_targets.csv", dtype=str)
    assert d.to_numpy().tolist() == [
        ["成人學歷教育", "5000人以上", "完成成人學歷教育5000人以上"],
        ["非學歷資格認證", "1萬人", "非學歷資格認證1萬人"],
        ["非學歷教育", "100萬人次以上", "非學歷教育100萬人次以上"],
        ["社區(qū)教育參與率", "35%", "社區(qū)教育參與率達到35%"],
        ["全市從業(yè)人員繼續(xù)教育參與率", "25%", "全市從業(yè)人員繼續(xù)教育參與率達到25%"],
    ]
    # the quote is a phrase of the printed sentence, with its target
    assert all(t in q for t, q in zip(d["目标"], d["原文"], strict=True))
