"""Shared input checks: every refusal is a DataError naming the column, the row and the value."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.tables.checks import (
    age_band_labels,
    age_ranges,
    band_of_ages,
    band_of_ranges,
    describe_row,
    known_programmes,
    known_values,
    non_negative,
    numeric_counts,
    one_unit_per_group,
    require,
    rows_in_age_range,
)


def _pop(rows, unit="u1"):
    return pd.DataFrame([{"unit_id": unit, "age_min": a, "age_max": b, "sex": "total",
                          "attainment": lv, "count": n} for a, b, lv, n in rows]
                        ).astype({"age_max": "Int64"})


def test_require_names_the_missing_column():
    with pytest.raises(DataError, match=r"missing column\(s\) \['city'\]") as e:
        require(pd.DataFrame({"unit_id": ["a"]}), ["unit_id", "city"], "census_reported")
    assert e.value.location.column == "city"
    assert "census_reported" in str(e.value)


def test_text_counts_with_thousands_separators_are_refused_with_the_value():
    df = _pop([(6, None, "primary", 5), (6, None, "bachelor", 7)]).astype({"count": object})
    df.loc[1, "count"] = "1,234"
    with pytest.raises(DataError, match="count holds text") as e:
        numeric_counts(df, ["count"], "census")
    assert e.value.found == "1,234" and e.value.location.column == "count"
    assert "bachelor" in str(e.value) and "本科" in str(e.value)


def test_numbers_held_as_objects_are_taken_as_numbers():
    df = _pop([(6, None, "primary", 5)]).astype({"count": object})
    out = numeric_counts(df, ["count"], "census")
    assert out["count"].tolist() == [5]
    assert pd.api.types.is_numeric_dtype(out["count"])


def test_missing_count_names_the_level_and_unit():
    df = _pop([(6, None, "primary", 5.0), (6, None, "bachelor", float("nan"))], unit="330000")
    with pytest.raises(DataError, match="count is missing") as e:
        numeric_counts(df, ["count"], "census")
    msg = str(e.value)
    assert "330000" in msg and "bachelor" in msg and "本科" in msg and "ages 6+" in msg
    # allowed explicitly: kept as NaN
    assert numeric_counts(df, ["count"], "census", allow_missing=True)["count"].isna().sum() == 1


def test_negative_counts_name_the_row():
    df = _pop([(6, None, "primary", 5), (6, None, "none", -2)])
    with pytest.raises(DataError, match="negative count") as e:
        non_negative(df, ["count"], "population")
    assert e.value.found == -2 and "row 1" in str(e.value)


def test_age_ranges_refuse_negative_missing_and_empty_bands():
    with pytest.raises(DataError, match="negative age_min"):
        age_ranges(_pop([(-5, 9, None, 10)]), "census")
    with pytest.raises(DataError, match="zero width"):
        age_ranges(_pop([(10, 9, None, 10)]), "census")
    df = _pop([(5, 9, None, 10)]).astype({"age_min": "Int64"})
    df.loc[0, "age_min"] = pd.NA
    with pytest.raises(DataError, match="age_min is missing"):
        age_ranges(df, "census")
    age_ranges(_pop([(5, 5, None, 1), (6, None, "none", 1)]), "census")  # one year, open top: fine


def test_stacked_units_are_refused_unless_grouped_or_pooled_on_purpose():
    two = pd.concat([_pop([(6, None, "primary", 5)], "a"), _pop([(6, None, "primary", 7)], "b")],
                    ignore_index=True)
    with pytest.raises(DataError, match="2 units stacked"):
        one_unit_per_group(two, [], "population")
    one_unit_per_group(two, ["unit_id"], "population")
    one_unit_per_group(two.assign(unit_id="district"), ["unit_id"], "population")
    with pytest.raises(DataError, match="without a unit_id column"):
        one_unit_per_group(two.drop(columns="unit_id"), [], "population")


def test_sex_total_mixed_with_male_and_female_is_refused():
    df = _pop([(6, None, "primary", 5), (6, None, "primary", 3)])
    df["sex"] = ["total", "male"]
    with pytest.raises(DataError, match="sex 'total' rows mixed"):
        one_unit_per_group(df, ["unit_id"], "population")
    one_unit_per_group(df, ["unit_id", "sex"], "population")
    one_unit_per_group(df.assign(sex=["male", "female"]), ["unit_id"], "population")
    # without any grouping the whole table is one group: still refused
    with pytest.raises(DataError, match="mixed with male/female"):
        one_unit_per_group(df, [], "population")


def test_known_values_and_programmes():
    with pytest.raises(DataError, match=r"unknown attainment value\(s\) \['doctorate'\]"):
        known_values(pd.Series(["primary", "doctorate", None]), ["primary"], "census", "attainment")
    with pytest.raises(DataError, match="unknown programme"):
        known_programmes(["secondary_upgrade", "night_school"])
    known_programmes(["secondary_upgrade"])


def test_age_bands():
    assert age_band_labels([[30, 39], [20, 29]]) == [(20, 29, "20-29"), (30, 39, "30-39")]
    with pytest.raises(DataError, match="overlap"):
        age_band_labels([[20, 29], [25, 34]])
    with pytest.raises(DataError, match="empty"):
        age_band_labels([[29, 20]])
    ages = pd.Series([19, 20, 35, 40])
    assert band_of_ages(ages, [[20, 29], [30, 39]]).tolist() == [pd.NA, "20-29", "30-39", pd.NA]
    lo, hi = pd.Series([20, 30, 60]), pd.Series([24, 34, pd.NA], dtype="Int64")
    assert band_of_ranges(lo, hi, [[20, 29], [30, 39]]).tolist() == ["20-29", "30-39", pd.NA]
    with pytest.raises(DataError, match="straddles the band 20-29"):
        band_of_ranges(pd.Series([25]), pd.Series([34]), [[20, 29], [30, 39]])


def test_rows_in_age_range():
    df = _pop([(15, 19, "primary", 1), (20, 24, "primary", 2), (60, None, "primary", 3)])
    assert rows_in_age_range(df, 20, 59)["count"].tolist() == [2]
    assert rows_in_age_range(df, 15, 200)["count"].tolist() == [1, 2, 3]
    with pytest.raises(DataError, match="straddles the age range 22-59"):
        rows_in_age_range(df, 22, 59)


def test_describe_row():
    df = _pop([(20, 24, "junior_college", 2)])
    assert describe_row(df, 0) == ("row 0 (unit_id u1, sex total, ages 20-24, attainment "
                                   "junior_college (大学专科))")


def test_ages_held_as_text_or_objects():
    df = _pop([(5, 9, None, 10), (10, 14, None, 10)]).astype({"age_min": object, "age_max": object})
    out = age_ranges(df, "census")
    assert str(out["age_min"].dtype) == "Int64" and out["age_max"].tolist() == [9, 14]
    df.loc[1, "age_min"] = "ten"
    with pytest.raises(DataError, match="age_min is not a whole number") as e:
        age_ranges(df, "census")
    assert e.value.found == "ten"
