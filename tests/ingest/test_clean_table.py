"""The clean table put together from compact pieces: categories united and sorted,
rows left out as they are copied, dtypes kept."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduanalytics.ingest.clean_table import _sorted_str, by_column, compact, concat_compact


def test_compact_and_concat_unite_sorted_categories():
    a = pd.DataFrame({"unit_id": pd.Series(["u2", "u1"], dtype="string"), "age": [30, 40]})
    b = pd.DataFrame({"unit_id": pd.Series(["u3", None], dtype="string"), "age": [50, 60]})
    joined = concat_compact([compact(a), compact(b)])
    assert isinstance(joined["unit_id"].dtype, pd.CategoricalDtype)
    assert list(joined["unit_id"].cat.categories) == ["u1", "u2", "u3"]
    assert joined["unit_id"].tolist()[:3] == ["u2", "u1", "u3"] and pd.isna(joined["unit_id"].iloc[3])
    assert joined["age"].tolist() == [30, 40, 50, 60]
    one = concat_compact([compact(a)])
    assert list(one["unit_id"].cat.categories) == ["u1", "u2"]


def test_sorted_str_keeps_the_values_present_sorted():
    s = pd.Series(pd.Categorical(["b", None, "a", "b"], categories=["z", "b", "a"]), name="unit_id")
    out = _sorted_str(s)
    assert list(out.cat.categories) == ["a", "b"] and out.cat.categories.dtype == "str"
    assert out.tolist()[:1] == ["b"] and pd.isna(out.iloc[1]) and out.tolist()[2:] == ["a", "b"]
    assert out.name == "unit_id"
    text = pd.Series(["u2", None, "u1"], dtype="string")
    assert list(_sorted_str(text).cat.categories) == ["u1", "u2"]
    # already categories of str, sorted, each one used: the column itself
    done = _sorted_str(s)
    assert _sorted_str(done) is done


def test_concat_keeps_the_rows_asked_for_values_and_dtypes():
    f = pd.DataFrame({"key": pd.Series(["a", "b", None, "d"], dtype="str"),
                      "unit_id": pd.Categorical(["u1", "u2", "u1", None]),
                      "enrol_date": pd.to_datetime(["2023-01-01", None, "2023-03-01", "2023-04-01"]),
                      "age": pd.array([30, None, 50, 60], dtype="Int64"),
                      "registered": pd.array([True, None, False, True], dtype="boolean"),
                      "_row": np.array([1, 2, 3, 4], dtype=np.int64)})
    g = pd.DataFrame({"key": pd.Series(["e", None], dtype="str"),
                      "unit_id": pd.Categorical(["u0", "u3"]),
                      "enrol_date": pd.to_datetime(["2024-01-01", "2024-02-01"]),
                      "age": pd.array([None, 20], dtype="Int64"),
                      "registered": pd.array([False, None], dtype="boolean"),
                      "_row": np.array([5, 6], dtype=np.int64)})
    out = concat_compact([f, g], [np.array([True, False, True, True]), None],
                         ["key", "unit_id", "enrol_date", "age", "registered"])
    want = pd.concat([f.iloc[[0, 2, 3]], g], ignore_index=True).drop(columns="_row")
    assert out.index.equals(pd.RangeIndex(5))
    # the pieces' categories united, sorted (finish keeps only those used)
    assert list(out["unit_id"].cat.categories) == ["u0", "u1", "u2", "u3"]
    assert out["unit_id"].isna().tolist() == [False, False, True, False, False]
    pd.testing.assert_frame_equal(out.astype({"unit_id": "str"}), want.astype({"unit_id": "str"}))
    for c in ("key", "enrol_date", "age", "registered"):
        assert out[c].dtype == f[c].dtype
    # every row of every piece: the pieces as they were, one after another
    whole = concat_compact([f, g])
    pd.testing.assert_frame_equal(whole.drop(columns="unit_id"),
                                  pd.concat([f, g], ignore_index=True).drop(columns="unit_id"))


def test_by_column_gives_each_column_its_result_in_order():
    cols = [f"c{i}" for i in range(7)]
    assert by_column(lambda c: c.upper(), cols) == {c: c.upper() for c in cols}
    assert list(by_column(lambda c: len(c), cols)) == cols
    assert by_column(lambda c: c, []) == {}
