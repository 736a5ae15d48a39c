"""The county census extract (wide) as tidy rows: a two-county table worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.ingest.census import EDU_COLUMNS, census_wide_to_tidy


def _table():
    levels = dict.fromkeys(EDU_COLUMNS, 0)
    a = {**levels, "edu6p_小学": 100, "edu6p_初中": 250, "edu6p_高中": 50}
    b = {**levels, "edu6p_未上过学": 7, "edu6p_本科及以上": 3}
    return pd.DataFrame([
        {"year": 2020, "code": "330001", "city": "某市", "county": "甲县", "pop_0_4": 30, **a},
        {"year": 2020, "code": "NA", "city": "某市", "county": "乙区", "pop_0_4": 4, **b},
    ])


def test_census_wide_to_tidy_by_hand():
    pop, reported = census_wide_to_tidy(_table())
    edu = pop[pop["attainment"].notna()]
    # 甲县: 100 + 250 + 50 = 400 aged 6+; 乙区 (no code: its name): 7 + 3 = 10
    assert edu.groupby("unit_id")["count"].sum().to_dict() == {"330001": 400, "乙区": 10}
    assert edu.loc[(edu["unit_id"] == "330001") & (edu["attainment"] == "junior_secondary"),
                   "count"].tolist() == [250]
    assert set(edu["age_min"]) == {6} and edu["age_max"].isna().all()
    young = pop[pop["attainment"].isna()]
    assert young.set_index("unit_id")["count"].to_dict() == {"330001": 30, "乙区": 4}
    assert young["age_max"].tolist() == [4, 4]
    assert reported["name"].tolist() == ["甲县", "乙区"] and set(reported["population"]) == {"6+"}


def test_census_table_missing_a_level_column():
    with pytest.raises(DataError, match="edu6p_初中"):
        census_wide_to_tidy(_table().drop(columns="edu6p_初中"))


def test_county_census_duplicate_row_is_rejected(tmp_path):
    from eduanalytics.ingest.population import ingest_county_census

    # lines 2-4: 甲县, 乙区 (printed without a code: known by its name), 甲县 again -> line 4
    # is rejected as a duplicate of line 2; 甲县 counts 400 aged 6+ once, not 800
    t = _table()
    t = pd.concat([t, t.iloc[[0]]], ignore_index=True)
    p = tmp_path / "census.csv"
    t.to_csv(p, index=False, encoding="utf-8-sig")
    res = ingest_county_census(p, config=None)
    assert res.rejected[["row", "reason"]].values.tolist() == [
        [4, "duplicate of row 2 (same division code / name)"]]
    edu = res.tables["population"].dropna(subset=["attainment"])
    assert edu.groupby("unit_id")["count"].sum().to_dict() == {"330001": 400, "乙区": 10}
    assert (res.rows_in, res.rows_clean, res.rows_rejected) == (3, 2, 1)
