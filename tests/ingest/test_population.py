"""Ingest of population tables: street census and survey counts, long and wide, bad rows quarantined."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.ingest.population import ingest_population, parse_age_bands

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)


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


# -- a wide survey (tests/_support/county.py): one row per town, 15-59, 初中及以下 ----------

def test_wide_survey_with_total_row(tmp_path):
    from _support.county import load_county, make_county

    cfg = load_county(make_county(tmp_path))
    spec = cfg.input("survey")
    res = ingest_population(spec.path, cfg, source="survey", year=2024, spec=spec)
    pop = res.tables["population"]
    by = pop.pivot_table(index="unit_id", columns="source", values="count", aggfunc="sum")
    assert by["census"].to_dict() == {"beishan": 1200, "dongcheng": 4000, "nanshan": 2000,
                                      "xicheng": 2500}
    assert int(by["survey"].sum()) == 9100
    assert set(pop["age_min"]) == {15} and set(pop["age_max"]) == {59}  # not an error
    assert pop["attainment"].isna().all()
    assert set(pop["levels"]) == {"none+preschool+primary+junior_secondary"}
    assert set(pop["sex"]) == {"total"}
    assert dict(zip(pop["source"], pop["year"], strict=False)) == {"census": 2020, "survey": 2024}
    f = res.findings.set_index("column")
    assert f.loc["七普人数", "kind"] == "total_matches"
    assert (f.loc["摸排人数", "published"], f.loc["摸排人数", "computed"],
            f.loc["摸排人数", "difference"]) == (9000, 9100, -100)
    assert res.rows_in == 5 and res.rows_clean == 4 and res.rows_total == 1
    assert res.sheets.set_index("sheet")["used"].to_dict() == {"摸排汇总": True, "说明": False}
    assert res.sheets.loc[res.sheets["used"], "header_rows"].iloc[0] == "3"


def test_wide_survey_without_total_and_a_bad_row(tmp_path):
    from _support.county import load_county, make_county, write_survey_xlsx

    root = make_county(tmp_path)
    write_survey_xlsx(root / "data/raw/jia/2024/survey.xlsx",
                      rows=[["东城街道", "4,000", "３６００"], ["无名镇", 10, 10], ["北山乡", 1200, -3]])
    cfg = load_county(root)
    res = ingest_population(cfg.input("survey").path, cfg, source="survey", year=2024,
                            spec=cfg.input("survey"))
    pop = res.tables["population"]
    assert pop.set_index("source")["count"].to_dict() == {"census": 4000, "survey": 3600}
    assert set(res.rejected["row"]) == {5, 6} and res.findings.empty
    assert res.rows_in == res.rows_clean + res.rows_rejected == 3


def test_wide_survey_config_errors(tmp_path):
    from _support.county import CONFIG, load_county, make_county

    from eduanalytics.errors import ConfigError, InputError

    bad_age = {**CONFIG["inputs"]["survey"], "age": [59, 15]}
    cfg = load_county(make_county(tmp_path / "a", survey=bad_age))
    with pytest.raises(ConfigError, match="inputs.survey.age"):
        ingest_population(cfg.input("survey").path, cfg, "survey", 2024, spec=cfg.input("survey"))
    wrong_col = {**CONFIG["inputs"]["survey"],
                 "columns": {"unit": "乡镇", "census": "七普人数", "survey": "摸排数"}}
    cfg = load_county(make_county(tmp_path / "b", survey=wrong_col))
    with pytest.raises(InputError) as exc:
        ingest_population(cfg.input("survey").path, cfg, "survey", 2024, spec=cfg.input("survey"))
    assert "摸排数" in str(exc.value) and "inputs.survey.columns.survey" in str(exc.value)
    assert "摸排人数" in str(exc.value)  # the headers found


def test_population_duplicate_and_fractional_rows(cfg, tmp_path):
    # rows 2-6 (line 1 is the header): row 3 repeats row 2 once the unit name is mapped
    # (路南 = 路南街道), so it is the duplicate; row 5 holds 12.6 persons; row 6 repeats row 2's
    # unit, sex and attainment in another age band, so it is not a duplicate
    df = pd.DataFrame({"街道": ["路南", "路南街道", "金清镇", "金清镇", "路南"],
                       "年龄段": ["20-24", "20-24", "20-24", "25-29", "25-29"],
                       "性别": ["男", "男", "女", "女", "男"],
                       "受教育程度": ["初中", "初中", "小学", "小学", "初中"],
                       "人数": ["10", "10", "7", "12.6", "4"]})
    p = tmp_path / "pop.csv"
    df.to_csv(p, index=False, encoding="utf-8-sig")
    res = ingest_population(p, cfg, source="census", year=2020)
    rej = res.rejected.set_index("row")["reason"]
    assert rej.to_dict() == {3: "duplicate of row 2 (same unit, sex, age band and attainment)",
                             5: "count 12.6 is not a whole number of persons"}
    assert res.tables["population"]["count"].tolist() == [10, 7, 4]  # 12.6 never rounded to 13
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (5, 3, 2)


def test_population_header_only_is_a_finding(cfg, tmp_path):
    p = tmp_path / "pop.csv"
    p.write_text("街道,年龄段,性别,受教育程度,人数\n", encoding="utf-8-sig")
    res = ingest_population(p, cfg, source="survey", year=2023)
    assert res.tables["population"].empty and res.rows_in == 0
    assert res.findings["kind"].tolist() == ["no_data_rows"]
    assert "no data rows" in res.findings["message"].iloc[0]
