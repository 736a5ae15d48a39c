"""Schemas: bad rows are split off with a reason, a table of the wrong shape is a DataError."""

from __future__ import annotations

import pandas as pd
import pytest

from eduanalytics.errors import DataError
from eduanalytics.tables.columns import COLUMNS
from eduanalytics.tables.schemas import SCHEMAS, validate


def _population():
    return pd.DataFrame({
        "unit_id": ["a", "a", "b", "b"], "source": ["census", "census", "survey", "census"],
        "year": [2020] * 4, "age_min": [20, 20, 20, 30], "age_max": [24, 24, 24, 25],
        "sex": ["male", "female", "total", "male"],
        "attainment": ["primary", "doctorate", "none", "primary"], "count": [10, 5, -1, 3]})


def test_bad_rows_are_split_off_with_their_reasons():
    clean, failures = validate(_population(), "population")
    # row 1: unknown level; row 2: negative count; row 3: age_max 25 below age_min 30
    assert clean.index.tolist() == [0]
    assert clean["count"].dtype == "Int64"
    got = {(int(r.index), r.column) for r in failures.itertuples()}
    assert {i for i, _ in got} == {1, 2, 3}
    assert {(1, "attainment"), (2, "count")} <= got
    assert failures.loc[failures["index"].eq(2) & failures["column"].eq("count"), "value"].tolist() == ["-1"]


def test_a_clean_table_passes_whole():
    clean, failures = validate(_population().iloc[[0]], "population")
    assert len(clean) == 1 and failures.empty


def test_a_missing_column_is_a_data_error_naming_it():
    with pytest.raises(DataError, match="does not match its schema") as e:
        validate(_population().drop(columns="sex"), "population")
    assert "sex: column_in_dataframe" in str(e.value) and e.value.location.column == "sex"
    assert isinstance(e.value, ValueError)  # old callers catching ValueError keep working


def test_unknown_schema_name():
    with pytest.raises(DataError, match="no schema named 'populations'"):
        validate(_population(), "populations")


def test_every_schema_column_is_in_the_contract():
    for name, schema in SCHEMAS.items():
        assert set(schema.columns) <= set(COLUMNS[name]), name


def _enrolments(keys: list) -> pd.DataFrame:
    n = len(keys)
    return pd.DataFrame({
        "learner_key": pd.Series(keys, dtype="str"), "unit_id": ["u"] * n,
        "programme": ["secondary_upgrade"] * n, "level_from": [None] * n, "level_to": [None] * n,
        "batch": ["spring"] * n, "enrol_date": pd.to_datetime(["2023-03-01"] * n),
        "status": ["enrolled"] * n, "completed_date": pd.NaT, "registered": pd.NA,
        "register_fail_reason": [None] * n, "mode": [None] * n, "sex": ["male"] * n,
        "birth_date": pd.to_datetime(["1985-03-06"] * n), "age": [38] * n, "synthetic": False})


def test_learner_keys_are_sixteen_lowercase_hex_characters():
    good = "0123456789abcdef"
    # every key 16 bytes long: read as bytes (upper case, a letter past f, a slash before 0
    # and a two-byte character with an ASCII neighbour are each refused)
    same_length = [good, good.upper(), "0123456789abcdeg", "/123456789abcdef", "é123456789abcd"]
    clean, failures = validate(_enrolments(same_length), "enrolments")
    assert clean.index.tolist() == [0]
    assert sorted(failures["index"]) == [1, 2, 3, 4]
    assert set(failures["check"]) == {"16 lowercase hexadecimal characters"}
    # keys of other lengths: the regular expression decides, the same way
    mixed = [good, "abc", good + "0", "ffffffffffffffff", None]
    clean, failures = validate(_enrolments(mixed), "enrolments")
    assert clean.index.tolist() == [0, 3]
    assert sorted(failures["index"]) == [1, 2, 4]
