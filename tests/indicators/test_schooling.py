"""Years of schooling: the yearbook reproduced, 15+ for Zhejiang, projections by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from eduanalytics.errors import DataError
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


def _six_plus(counts: dict, unit="u1", extra=()):
    rows = [{"unit_id": unit, "source": "census", "year": 2020, "age_min": 6, "age_max": pd.NA,
             "sex": "total", "attainment": lv, "count": n} for lv, n in counts.items()]
    rows += [{"unit_id": unit, "source": "census", "year": 2020, "age_min": a, "age_max": b,
              "sex": "total", "attainment": pd.NA, "count": n} for a, b, n in extra]
    return pd.DataFrame(rows).astype({"age_max": "Int64"})


def test_mean_years_of_a_three_level_population_by_hand():
    # (10*6 + 20*9 + 10*12) / 40 = 360 / 40 = 9.0
    m = mean_years(_six_plus({"primary": 10, "junior_secondary": 20, "senior_secondary": 10}))
    assert m["mean_years"].tolist() == [9.0]
    assert m["persons"].tolist() == [40] and m["population"].tolist() == ["6+"]
    assert m["flag"].isna().all()


def test_a_missing_bachelor_count_is_an_error_naming_the_level():
    pop = _six_plus({"primary": 10, "junior_secondary": 20, "bachelor": float("nan")}, "330000")
    with pytest.raises(DataError, match="count is missing") as e:
        mean_years(pop)
    assert "bachelor" in str(e.value) and "本科" in str(e.value) and "330000" in str(e.value)
    c = _six_plus({"primary": 10, "junior_secondary": 20, "bachelor": float("nan")}, "330000",
                  [(5, 9, 5), (10, 14, 5)])
    with pytest.raises(DataError, match="bachelor"):
        mean_years_15plus(c)


def test_zero_population_is_flagged_not_divided():
    pop = pd.concat([_six_plus({"primary": 10}, "a"), _six_plus({"primary": 0, "none": 0}, "b")])
    m = mean_years(pop).set_index("unit_id")
    assert m.loc["a", "mean_years"] == 6.0 and pd.isna(m.loc["a", "flag"])
    assert np.isnan(m.loc["b", "mean_years"]) and m.loc["b", "flag"] == "zero population"


def test_bad_schooling_inputs_are_data_errors():
    good = _six_plus({"primary": 10, "junior_secondary": 20})
    with pytest.raises(DataError, match="unknown attainment value"):
        mean_years(_six_plus({"primary": 10, "doctorate": 1}))
    with pytest.raises(DataError, match=r"missing column\(s\) \['unit_id'\]"):
        mean_years(good.drop(columns="unit_id"))
    two = pd.concat([good, _six_plus({"primary": 5}, "u2")])
    with pytest.raises(DataError, match="2 units stacked"):
        mean_years(two, by=())
    with pytest.raises(DataError, match="without a unit_id column"):
        mean_years(two.drop(columns="unit_id"), by=())
    text = good.astype({"count": object})
    text.loc[0, "count"] = "1,000"
    with pytest.raises(DataError, match="text") as e:
        mean_years(text)
    assert e.value.found == "1,000" and e.value.location.column == "count"
    with pytest.raises(DataError, match="negative"):
        mean_years(_six_plus({"primary": -1}))
    # pooling on purpose: one unit_id for every row
    pooled = mean_years(two.assign(unit_id="district"))
    assert pooled["mean_years"].tolist() == pytest.approx([(15 * 6 + 20 * 9) / 35])


def test_15plus_by_hand():
    # 6+: none 10, preschool 20, primary 100, junior 100, senior 50, bachelor 20 (300 people)
    # children 6-11 = 4/5 * 50 (5-9) + 2/5 * 50 (10-14) = 60, from preschool first (20), then
    # primary (40); children 12-14 = 3/5 * 50 = 30 from junior. Left: none 10, primary 60,
    # junior 70, senior 50, bachelor 20 = 210; years 360 + 630 + 600 + 320 = 1910
    c = _six_plus({"none": 10, "preschool": 20, "primary": 100, "junior_secondary": 100,
                   "senior_secondary": 50, "bachelor": 20}, extra=[(0, 4, 40), (5, 9, 50),
                                                                    (10, 14, 50)])
    z = mean_years_15plus(c).iloc[0]
    assert z["persons"] == pytest.approx(210) and z["children_removed"] == pytest.approx(90)
    assert z["mean_years"] == pytest.approx(1910 / 210)


def test_bad_age_groups_for_15plus():
    base = {"primary": 100, "junior_secondary": 100}
    with pytest.raises(DataError, match="listed more than once"):
        mean_years_15plus(_six_plus(base, extra=[(5, 9, 10), (5, 9, 10), (10, 14, 5)]))
    with pytest.raises(DataError, match="negative age_min"):
        mean_years_15plus(_six_plus(base, extra=[(-5, 9, 10), (10, 14, 5)]))
    with pytest.raises(DataError, match="zero width"):
        mean_years_15plus(_six_plus(base, extra=[(5, 9, 10), (14, 10, 5)]))
    with pytest.raises(DataError, match="overlaps the 10-14 group"):
        mean_years_15plus(_six_plus(base, extra=[(5, 9, 10), (10, 14, 5), (12, 16, 5)]))
    with pytest.raises(DataError, match="no 10-14 age group for"):
        mean_years_15plus(_six_plus(base, extra=[(5, 9, 10)]))
    with pytest.raises(DataError, match="more children than counted"):
        mean_years_15plus(_six_plus(base, extra=[(5, 9, 10), (10, 14, 500)]))
    # a unit missing its age groups among others that have them: named, not NaN
    two = pd.concat([_six_plus(base, "a", [(5, 9, 10), (10, 14, 5)]), _six_plus(base, "b")])
    with pytest.raises(DataError, match=r"no 5-9 age group for \['b'\]"):
        mean_years_15plus(two)
