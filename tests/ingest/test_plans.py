"""Ingest of plan indicators and text targets: mixed percent formats, traditional text, unsafe names."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from eduanalytics.ingest.plans import ingest_ce_targets, ingest_plan_indicators

ROOT = Path(__file__).resolve().parents[2]


PLAN_CSV = ROOT / "data/raw/dongtou/2023/plan/dongtou_2023_2027_plan_indicators.csv"


CE_CSV = ROOT / "data/raw/dazhou/2014/dazhou_2014_continuing_education_targets.csv"


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


def test_plan_indicator_name_with_markup_is_quarantined(tmp_path):
    # line 3 (公办园在园幼儿覆盖面) gets a <script> name: the whole source row is rejected once,
    # its five year cells are not loaded, the other 8 indicators x 5 years are
    df = pd.read_csv(PLAN_CSV, dtype=str, keep_default_na=False)
    df.loc[1, "指标"] = "<script>alert(1)</script>"
    bad = tmp_path / "plan.csv"
    df.to_csv(bad, index=False)
    res = ingest_plan_indicators(bad, region="x")
    assert res.rejected[["row", "column", "reason"]].values.tolist() == [
        [3, "指标", "indicator name holds markup/formula-like text"]]
    assert len(res.tables["plan_indicators"]) == 8 * 5
    assert not res.tables["plan_indicators"]["indicator_name"].str.contains("<").any()
    assert res.rows_in == res.rows_clean + res.rows_rejected == 9


def test_ce_target_formula_name_and_negative_target(tmp_path):
    # line 2: name "=1+1" (a formula); line 3: target -5000人 (negative); lines 4-6 load
    df = pd.read_csv(CE_CSV, dtype=str, keep_default_na=False)
    df.loc[0, "指标"] = "=1+1"
    df.loc[1, "目标"] = "-5000人"
    bad = tmp_path / "ce.csv"
    df.to_csv(bad, index=False)
    res = ingest_ce_targets(bad, region="x", year=2014)
    assert res.rejected.set_index("row")["reason"].to_dict() == {
        2: "indicator name holds markup/formula-like text",
        3: "negative target -5000人; expected a number >= 0"}
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (5, 3, 2)


def test_schema_failures_become_rejected_rows():
    from eduanalytics.ingest.plans import schema_rejections, unsafe_text

    frame = pd.DataFrame({"_file": "f.csv", "_row": [2, 3, 4]}, index=[10, 11, 12])
    failures = pd.DataFrame({"index": [11, 11, 12], "column": ["a", "b", "a"],
                             "check": ["greater_than_or_equal_to(0)", "isin(['x'])",
                                       "greater_than_or_equal_to(0)"], "value": ["-1", "y", "-2"]})
    rej = schema_rejections("s", frame, failures, "<row>", "schema check failed: ")
    assert rej[["row", "reason"]].values.tolist() == [
        [3, "schema check failed: greater_than_or_equal_to(0); isin(['x'])"],
        [4, "schema check failed: greater_than_or_equal_to(0)"]]
    flags = unsafe_text(pd.Series(["=1+1", "+SUM(A1)", "@x", " -2+3", "a<b>c", "社区教育参与率",
                                   "3<5", "＝1", None]))
    assert flags.tolist() == [True, True, True, True, True, False, False, True, False]
