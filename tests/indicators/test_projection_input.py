"""A stacked population table as arrays: encodings by hand, every check with its message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.indicators.projection_input import (
    encode,
    level_index,
    population_rows,
    run_starts,
)
from eduanalytics.tables.attainment import LEVELS

P, J, N = (LEVELS.index(x) for x in ("primary", "junior_secondary", "none"))
STRINGS = ["str", "object", "category"]


def _stack(dtype: str = "str") -> pd.DataFrame:
    # unit b before unit a, each unit's rows together; b's second band is 20-24
    rows = [("b", 18, 19, "male", "primary", 3), ("b", 18, 19, "female", "none", 1),
            ("b", 20, 24, "male", "junior_secondary", 10), ("a", 18, 19, "male", "primary", 4),
            ("a", 20, 21, "female", None, 7), ("a", 20, 21, "female", "primary", 2)]
    df = pd.DataFrame(rows, columns=["unit_id", "age_min", "age_max", "sex", "attainment",
                                     "count"]).astype({"age_max": "Int64"})
    return df.astype({c: dtype for c in ("unit_id", "sex", "attainment")})


def test_run_starts_by_hand():
    s = pd.Series(["b", "b", "a", "a", None, None, "b"], dtype="str")
    # a missing value starts a run of its own
    assert run_starts(s).tolist() == [0, 2, 4, 5, 6]
    assert run_starts(pd.Series([3, 3, 1, 3])).tolist() == [0, 2, 3]
    assert run_starts(s.astype(object)) is None  # not cheap: factorised whole instead


@pytest.mark.parametrize("dtype", STRINGS)
def test_encode_in_runs_sorted_like_factorize(dtype):
    s = pd.Series(["b"] * 5 + ["a"] * 4 + [None] + ["b"] * 3, dtype=dtype)
    codes, uniques = encode(s, sort=True)
    assert list(uniques) == ["a", "b"]
    assert codes.tolist() == [1] * 5 + [0] * 4 + [-1] + [1] * 3
    codes, uniques = encode(s)
    expect = ["b", "a"] if dtype != "category" else ["a", "b"]  # categories keep their order
    assert list(uniques) == expect


def test_encode_keeps_only_categories_in_use():
    s = pd.Series(pd.Categorical(["z", "x", "z"], categories=["x", "y", "z"]))
    codes, uniques = encode(s, sort=True)
    assert list(uniques) == ["x", "z"] and codes.tolist() == [1, 0, 1]


@pytest.mark.parametrize("dtype", STRINGS)
def test_level_index_and_unknown_levels(dtype):
    s = pd.Series(["primary", None, "none", "junior_secondary"], dtype=dtype)
    assert level_index(s, "population", "attainment").tolist() == [P, -1, N, J]
    with pytest.raises(DataError, match=r"population: unknown attainment value\(s\) \['phd'\]"):
        level_index(pd.Series(["primary", "phd"], dtype=dtype), "population", "attainment")


@pytest.mark.parametrize("dtype", STRINGS)
def test_rows_of_a_stack_by_hand(dtype):
    r = population_rows(_stack(dtype), "unit_id")
    # the row without attainment (a, 20-21, 7 people) is left out
    assert list(r.units) == ["a", "b"]
    assert r.codes.tolist() == [1, 1, 1, 0, 0]
    assert r.level.tolist() == [P, N, J, P, P]
    assert r.age_lo.tolist() == [18, 18, 20, 18, 20]
    assert r.age_hi.tolist() == [19, 19, 24, 19, 21]
    assert r.count.tolist() == [3, 1, 10, 4, 2]
    one = population_rows(_stack(dtype).query("unit_id == 'a'"), None)
    assert one.codes.tolist() == [0, 0] and one.count.tolist() == [4, 2]


def test_ages_held_as_floats_are_read_without_a_detour():
    df = _stack().astype({"age_min": float, "age_max": float})
    df.loc[2, "age_max"] = np.nan  # b's 20+ band is open
    r = population_rows(df, "unit_id")
    assert r.age_lo.tolist() == [18, 18, 20, 18, 20]
    assert r.age_hi.tolist() == [19, 19, -1, 19, 21]


def test_open_band_and_text_ages_and_counts_are_read():
    df = _stack().astype({"age_min": str, "age_max": object, "count": object})
    df.loc[2, "age_max"] = None  # b's 20+ band is open
    r = population_rows(df, "unit_id")
    assert r.age_lo.tolist() == [18, 18, 20, 18, 20]
    assert r.age_hi.tolist() == [19, 19, -1, 19, 21]
    assert r.count.tolist() == [3, 1, 10, 4, 2]


@pytest.mark.parametrize(("change", "message"), [
    ({"count": [3, 1, -10, 4, 7, 2]}, r"negative count at row 2 \(unit_id b"),
    ({"count": [3, 1, np.nan, 4, 7, 2]}, r"count is missing at row 2 \(unit_id b"),
    ({"count": ["3", "1", "1,0", "4", "7", "2"]}, r"count holds text that is not a number at "
                                                  r"row 2"),
    ({"age_min": [18, 18, 25, 18, 20, 20]}, r"age_max below age_min .* at row 2"),
    ({"age_min": [18, -1, 20, 18, 20, 20]}, r"negative age_min at row 1"),
    ({"age_min": [18, 18, 20.5, 18, 20, 20]}, r"age_min is not a whole number of years at row 2"),
    ({"attainment": ["primary", "none", "phd", "primary", None, "primary"]},
     r"unknown attainment value\(s\) \['phd'\]"),
    ({"sex": ["male", "female", "total", "male", "female", "female"]},
     r"sex 'total' rows mixed with male/female rows at row 0 \(unit_id b"),
    ({"unit_id": ["b", "b", None, "a", "a", "a"]}, r"population: unit_id is missing at row 2"),
])
def test_each_check_raises_our_error_naming_the_row(change, message):
    df = _stack().assign(**change)
    with pytest.raises(DataError, match=message):
        population_rows(df, "unit_id")


def test_total_rows_of_one_unit_beside_male_rows_of_another_are_fine():
    df = _stack().assign(sex=["total", "total", "total", "male", "female", "female"])
    assert population_rows(df, "unit_id").codes.tolist() == [1, 1, 1, 0, 0]
    with pytest.raises(DataError, match=r"mixed with male/female rows at row 0 \(unit_id a"):
        population_rows(df.assign(unit_id="a"), "unit_id")


def test_stacked_units_without_by_and_without_a_unit_column():
    with pytest.raises(DataError, match=r"2 units stacked \(\['b', 'a'\]"):
        population_rows(_stack(), None)
    with pytest.raises(DataError, match="appears 4 times; several units stacked"):
        population_rows(pd.concat([_stack().query("unit_id == 'a'")] * 2)
                        .drop(columns="unit_id"), None)
    with pytest.raises(DataError, match=r"missing column\(s\) \['unit_id'\]"):
        population_rows(_stack().drop(columns="unit_id"), "unit_id")
