"""The seeded generator: published constraints hold exactly, same seed same data, and the
cleaning catches exactly the faults it injects."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eduanalytics.config import load_config
from eduanalytics.ingest.register import ingest_register
from eduanalytics.synthetic import (
    learner_register,
    read_task_table,
    street_census_attainment,
    survey_counts,
)

ROOT = Path(__file__).resolve().parents[1]
TASK = ROOT / "data/raw/luqiao/2023/task_table/luqiao_2023_task_table.csv"
SYN = ROOT / "data/raw/luqiao/2023/synthetic"
LOW = ["未上过学", "学前教育", "小学", "初中", "高中"]


@pytest.fixture(scope="module")
def census():
    return street_census_attainment(read_task_table(TASK))


def _lo(df):
    return df["年龄段"].str.extract(r"^(\d+)")[0].astype(int)


def test_street_totals_equal_the_published_table(census):
    # published (seed 000): 路南 54719 / 37580 / 32587; 金清 123722 / 82718 / 73885
    tot = census.groupby("街道")["人数"].sum()
    assert tot["路南街道"] == 54719 and tot["金清镇"] == 123722
    assert tot.sum() == 628934
    work = census[_lo(census).between(20, 55)]
    w = work.groupby("街道")["人数"].sum()
    assert w["路南街道"] == 37580 and w["金清镇"] == 82718
    low = work[work["受教育程度"].isin(LOW)].groupby("街道")["人数"].sum()
    assert low["路南街道"] == 32587 and low["金清镇"] == 73885
    assert low.sum() == 365312  # the ten streets, not the 合计's 368047
    assert (census["人数"] >= 0).all()


def test_district_close_to_census_mean_years(census):
    # yearbook: Luqiao 6+ mean years 8.65
    c = census[census["受教育程度"] != "/"]
    years = {"未上过学": 0, "学前教育": 0, "小学": 6, "初中": 9, "高中": 12, "大学专科": 16,
             "大学本科": 16, "研究生": 16}
    mys = (c["受教育程度"].map(years) * c["人数"]).sum() / c["人数"].sum()
    assert abs(mys - 8.65) < 0.25


def test_survey_coverage_by_street(census):
    s = survey_counts(census, np.random.default_rng(1))
    c = census[census["受教育程度"].isin(LOW) & _lo(census).between(20, 55)]
    ratio = s.groupby("街道")["摸排人数"].sum() / c.groupby("街道")["人数"].sum()
    assert ratio["蓬街镇"] > 1.03 and ratio["桐屿街道"] < 0.9
    assert abs(ratio["路南街道"] - 0.99) < 0.01


def test_same_seed_same_data_other_seed_differs():
    a, fa = learner_register(TASK, np.random.default_rng(7))
    b, fb = learner_register(TASK, np.random.default_rng(7))
    c, _ = learner_register(TASK, np.random.default_rng(8))
    pd.testing.assert_frame_equal(a, b)
    assert fa == fb
    assert not a["身份证号"].equals(c["身份证号"])


def test_committed_files_match_the_generator(census):
    committed = pd.read_csv(SYN / "census_street_attainment.csv", dtype={"人数": int})
    pd.testing.assert_frame_equal(committed, census.astype({"人数": int}), check_dtype=False)


def test_cleaning_catches_exactly_the_injected_faults(monkeypatch):
    monkeypatch.setenv("EDUANALYTICS_SALT", "t")
    faults = json.loads((SYN / "faults.json").read_text(encoding="utf-8"))
    cfg = load_config(ROOT / "config/luqiao.yaml", 2023, root=ROOT)
    res = ingest_register(SYN / "learner_register.xlsx", cfg, synthetic=True)
    f, t = faults["学历提升"], faults["职业培训"]
    rej = res.rejected
    rows = rej.drop_duplicates(["step", "row"])
    reg = rows[rows["step"] == "enrolments[学历提升]"]
    tr = rows[rows["step"] == "enrolments[职业培训]"]
    assert reg["reason"].str.contains("check digit").sum() == f["wrong_check_digit"]
    assert reg["reason"].str.contains("outside the eligible band").sum() == f["age_outside_band"]
    assert reg["reason"].str.contains("duplicate of row").sum() == f["duplicate_exact"] + f["duplicate_unit_variant"]
    assert reg["reason"].str.contains("椒江区").sum() == f["unknown_unit"]
    assert rej["reason"].str.contains("所属单位: blank").sum() == f["blank_unit"]
    assert rej["reason"].str.contains("报名日期: blank").sum() == f["blank_enrol_date"]
    assert len(reg) == sum(f[k] for k in ("wrong_check_digit", "age_outside_band", "duplicate_exact",
                                          "duplicate_unit_variant", "unknown_unit", "blank_unit",
                                          "blank_enrol_date"))
    assert tr["reason"].str.contains("check digit").sum() == t["wrong_check_digit"]
    assert tr["reason"].str.contains("duplicate of row").sum() == t["duplicate_exact"]
    assert len(tr) == t["wrong_check_digit"] + t["duplicate_exact"]
    assert res.rows_in == f["rows"] + t["rows"]
    # valid variants were normalised, not rejected
    ch = res.changes.groupby("column")["n"].sum()
    assert ch["所属单位"] >= f["unit_variant"]
    assert ch["身份证号"] >= f["id_fullwidth"]


def test_outputs_labelled_synthetic():
    import openpyxl

    wb = openpyxl.load_workbook(SYN / "learner_register.xlsx", read_only=True)
    for ws in wb.worksheets:
        title = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))[0]
        assert "示例数据" in title and "SYNTHETIC" in title
    assert "SYNTHETIC" in (SYN / "SOURCE.md").read_text(encoding="utf-8")
