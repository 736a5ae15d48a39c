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
