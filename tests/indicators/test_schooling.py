"""Years of schooling: the yearbook reproduced, 15+ for Zhejiang, projections by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eduanalytics.indicators.schooling import mean_years, mean_years_15plus, round_half_up
from eduanalytics.ingest.census import census_wide_to_tidy

ROOT = Path(__file__).resolve().parents[2]


CENSUS = ROOT / "data/raw/census/2020/zhejiang_2020_county_education.csv"


@pytest.fixture(scope="module")
def census():
    return census_wide_to_tidy(pd.read_csv(CENSUS))


def test_yearbook_mean_years_reproduced_for_all_103_rows(census):
    pop, reported = census
    m = mean_years(pop).merge(reported[["unit_id", "mys_reported"]], on="unit_id")
    assert len(m) == 103
    assert (m["population"] == "6+").all()
    got = round_half_up(m["mean_years"], 2)
    assert (got == m["mys_reported"].to_numpy()).sum() == 103
    # Luqiao by hand: (199061*6 + 208816*9 + 88617*12 + (37230+26201)*16) / 595475
    #               = 5,152,010 / 595,475 = 8.652 -> 8.65
    lq = m.set_index("unit_id").loc["331004", "mean_years"]
    assert lq == pytest.approx(5152010 / 595475)


def test_zhejiang_15plus_within_a_tenth_of_the_communique(census):
    pop, _ = census
    z = mean_years_15plus(pop).set_index("unit_id").loc["330000"]
    assert abs(z["mean_years"] - 9.79) < 0.1
    assert z["population"] == "15+"


def test_never_mix_6plus_and_15plus(census):
    pop, _ = census
    lq = pop[(pop["unit_id"] == "331004") & pop["attainment"].notna()]
    fifteen = lq.assign(age_min=15)
    with pytest.raises(ValueError, match="overlap"):
        mean_years(pd.concat([lq, fifteen]))
    with pytest.raises(ValueError, match="missing from the years mapping"):
        mean_years(lq, years={"primary": 6})


def test_round_half_up():
    assert round_half_up(np.array([8.655, 8.645, 2.675]), 2).tolist() == [8.66, 8.65, 2.68]
