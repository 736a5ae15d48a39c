"""The raw files are faithful to the published documents."""

from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data/raw"
SHARED = ROOT.parent / "shared" / "data" / "census" / "zhejiang_2020_county_education.csv"


def test_census_copy_is_byte_identical():
    ours = RAW / "census/2020/zhejiang_2020_county_education.csv"
    if SHARED.exists():
        assert ours.read_bytes() == SHARED.read_bytes()
    df = pd.read_csv(ours)
    assert len(df) == 103
    lq = df[df["code"] == 331004].iloc[0]
    assert lq["pop_total"] == 628934 and lq["mys_reported"] == 8.65


def test_task_table_as_printed():
    t = pd.read_csv(RAW / "luqiao/2023/task_table/luqiao_2023_task_table.csv", dtype=str,
                    keep_default_na=False)
    assert list(t.columns) == ["责任单位", "常住人口", "20-59周岁人口", "其中高中及以下学历人口",
                               "初高中学历提升人数", "大专及以上学历提升人数", "职业教育培训人次"]
    assert t.iloc[-1].tolist() == ["合计", "628934", "405026", "368047", "1319", "2950", "7300"]
    row = t.set_index("责任单位").loc["金清镇"].tolist()
    assert row == ["123722", "82718", "73885", "239", "59", "/"]
    assert t.set_index("责任单位").loc["区中职校", "职业教育培训人次"] == "6800"
    # streets' resident population sums to the printed total (hand sum in test_ingest.py)
    assert t.iloc[:10]["常住人口"].astype(int).sum() == 628934


def test_docx_holds_the_same_table():
    import docx

    doc = docx.Document(str(RAW / "luqiao/2023/task_table/luqiao_2023_task_table.docx"))
    table = doc.tables[0]
    cells = [[c.text for c in r.cells] for r in table.rows]
    csv = pd.read_csv(RAW / "luqiao/2023/task_table/luqiao_2023_task_table.csv", dtype=str,
                      keep_default_na=False)
    assert cells[0] == list(csv.columns)
    assert cells[1:] == csv.values.tolist()


def test_plan_and_dazhou_kept_as_printed():
    p = pd.read_csv(RAW / "dongtou/2023/plan/dongtou_2023_2027_plan_indicators.csv", dtype=str)
    assert p.loc[0, "指标"] == "优质幼儿园(一、二级)在园幼儿占比(%"  # no closing parenthesis
    assert p.loc[0, "2023"] == "79.8" and p.loc[1, "2023"] == "57%"
    d = pd.read_csv(RAW / "dazhou/2014/dazhou_2014_continuing_education_targets.csv", dtype=str)
    assert "社區(qū)教育參與率" in d["指标"].tolist()  # traditional, with its pinyin note
