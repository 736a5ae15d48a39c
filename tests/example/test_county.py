"""The county example: notice, register and wide survey; committed files are what the
generator writes; figures checked by hand against the census row (331024)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.example.county import county_register, prefixed, task_table, wide_survey
from eduanalytics.example.generate import component_rngs, generate_example
from eduanalytics.example.profiles import XIANJU

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data/raw/xianju/2023"
COUNTY = ROOT / "data/raw/census/2020/zhejiang_2020_county_education.csv"
#: The census row as printed: pop_total 431,888; 6+ 未上过学 21,983, 学前教育 4,436,
#: 小学 110,008, 初中 144,080 -> junior secondary or below 280,507.
POP_TOTAL, LOW_TOTAL = 431888, 21983 + 4436 + 110008 + 144080


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/xianju.yaml", 2023, root=ROOT)


@pytest.fixture(scope="module")
def table():
    county = pd.read_csv(COUNTY, dtype={"code": str})
    return task_table(XIANJU, county[county["code"] == "331024"].iloc[0])


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return tmp_path_factory.mktemp("xianju")


@pytest.fixture(scope="module")
def generated(cfg, out):
    return generate_example(cfg, out_dir=out)


def test_task_table_sums_by_hand(table):
    towns = table[(table["常住人口"] != "/") & (table["单位名称"] != "合计")]
    total = table[table["单位名称"] == "合计"].iloc[0]
    assert len(towns) == 8
    assert towns["常住人口"].astype(int).sum() == POP_TOTAL == int(total["常住人口"])
    assert towns["其中初中及以下学历人口"].astype(int).sum() == LOW_TOTAL == 280507
    assert int(total["其中初中及以下学历人口"]) == 280507 + 1200
    # targets: towns 130+120+110+100+90+80+70+60 = 760 plus the school's 150
    assert int(total["初高中学历提升任务（人）"]) == 760 + 150
    assert int(total["大专及以上学历提升任务（人）"]) == 600 + 180
    schools = table[table["单位名称"].isin(["县职业教育中心", "县社区学院"])]
    assert (schools["常住人口"] == "/").all()


def test_register_shape(cfg):
    reg, facts = county_register(XIANJU, component_rngs(XIANJU["seed"])[0])
    assert "项目类别" not in reg.columns and "报读层次" in reg.columns
    assert facts["rows_total"] == len(reg)
    named = reg["报读学校"].value_counts()
    assert named[prefixed(XIANJU, "县职业教育中心")] == facts["by_school"]["县职业教育中心"]
    assert 0.9 * 150 <= facts["by_school"]["县职业教育中心"] <= 1.1 * 150
    # every school name written is a config alias of a unit, or one of the non-target schools
    aliases = {a for u in cfg.data["units"] for a in u.get("aliases", [])}
    assert set(reg["报读学校"].dropna()) <= aliases | set(XIANJU["other_schools"])
    assert facts["unmapped_level"] == int(reg["报读层次"].eq("大专（网络教育）").sum()) > 0
    assert reg["学习方式"].eq("线上+线下").sum() == facts["blended"] > 0


def test_wide_survey_total_row(table):
    s = wide_survey(XIANJU, table, np.random.default_rng(0))
    parts, total = s.iloc[:-1], s.iloc[-1]
    assert total["乡镇（街道）"] == "合计"
    assert total["七普人数"] == parts["七普人数"].sum() and total["摸排人数"] == parts["摸排人数"].sum()
    first = table.iloc[0]
    assert parts["七普人数"].iloc[0] == int(np.floor(int(first["其中初中及以下学历人口"]) * 0.52 + 0.5))


def test_committed_files_are_what_the_generator_writes(generated, out):
    for key in ("task_table", "register", "survey", "facts", "source"):
        committed = RAW / generated[key].relative_to(out)
        assert generated[key].read_bytes() == committed.read_bytes(), key


def test_files_read_as_their_shapes(generated):
    d = docx.Document(str(generated["task_table"]))
    header = [c.text for c in d.tables[0].rows[0].cells]
    assert header[1] == "单位名称" and "其中初中及以下学历人口" in header
    assert any("示例" in p.text for p in d.paragraphs)
    ws = openpyxl.load_workbook(generated["register"])["学员花名册"]
    rows = list(ws.iter_rows(min_row=1, max_row=4, values_only=True))
    assert "示例数据" in rows[0][0] and rows[1][0].startswith("填报单位")
    assert rows[2][1] == "基本信息" and rows[3][1] == "姓名"
    raw = generated["survey"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    survey = pd.read_csv(io.BytesIO(raw), encoding="gbk")
    assert list(survey.columns) == ["乡镇（街道）", "七普人数", "摸排人数"]
    facts = json.loads(generated["facts"].read_text(encoding="utf-8"))
    assert facts["seed"] == XIANJU["seed"] and "SYNTHETIC" in facts["label"]
    text = generated["source"].read_text(encoding="utf-8")
    assert str(XIANJU["seed"]) in text and "示例数据" in text and "280,507" in text
