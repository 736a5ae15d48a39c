"""The Arrow data behind text columns: one array, byte matrices, dictionary codes."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from eduanalytics.arrow_text import (
    TEXT,
    arrow_strings,
    category_text,
    dictionary_codes,
    fixed_width_bytes,
    repeated_text,
    text_array,
    value_bytes,
)


def test_arrow_strings_one_array_nulls_kept():
    s = pd.concat([pd.Series(["ab", None], dtype="string"), pd.Series(["c"], dtype="string")],
                  ignore_index=True)
    arr = arrow_strings(s)
    assert arr.to_pylist() == ["ab", None, "c"]
    assert arrow_strings(pd.Series(["x", 5], dtype=object)).to_pylist() == ["x", "5"]


def test_category_text_takes_categories_by_codes():
    """Categories of Arrow text or Python objects, a missing value, a category unused, no
    rows: the values in row order, null where missing."""
    arrow = pd.Series(pd.Categorical(["乙", None, "甲", "乙"], categories=pd.Index(["甲", "乙", "丙"],
                                                                                  dtype="string")))
    assert category_text(arrow).to_pylist() == ["乙", None, "甲", "乙"]
    objects = pd.Series(pd.Categorical(["2023-03", "2023-01"], categories=["2023-01", "2023-03"]))
    assert category_text(objects).to_pylist() == ["2023-03", "2023-01"]
    assert category_text(objects.iloc[:0]).to_pylist() == []


def test_fixed_width_bytes_views_equal_lengths_only():
    arr = arrow_strings(pd.Series(["0123", "abcd", "wxyz"], dtype="string"))
    m = fixed_width_bytes(arr, 4)
    assert m.shape == (3, 4) and bytes(m[1]) == b"abcd"
    assert bytes(fixed_width_bytes(arr.slice(2), 4)[0]) == b"wxyz"  # a slice: its own offset
    assert fixed_width_bytes(arrow_strings(pd.Series(["0123", "abc"], dtype="string")), 4) is None
    # equal total length, unequal values: "abc" + "defgh" is 8 bytes as "abcd" + "efgh" would be
    assert fixed_width_bytes(arrow_strings(pd.Series(["abc", "defgh"], dtype="string")), 4) is None
    assert fixed_width_bytes(arrow_strings(pd.Series(["0123", None], dtype="string")), 4) is None
    assert fixed_width_bytes(arrow_strings(pd.Series([], dtype="string")), 4).shape == (0, 4)


def test_value_bytes_of_the_values_only():
    arr = arrow_strings(pd.Series(["ab", None, "路c"], dtype="string"))
    assert bytes(value_bytes(arr)) == "ab路c".encode()
    assert bytes(value_bytes(arr.slice(2))) == "路c".encode()  # a slice: its own bytes only
    assert bytes(value_bytes(arr.slice(0, 1))) == b"ab"
    assert len(value_bytes(arrow_strings(pd.Series(["", None], dtype="string")))) == 0
    assert len(value_bytes(arrow_strings(pd.Series([], dtype="string")))) == 0


def test_dictionary_codes_in_order_of_first_appearance():
    codes, values = dictionary_codes(pd.Series(["b", None, "a", "b"], dtype="string"))
    assert codes.tolist() == [0, -1, 1, 0] and values.to_pylist() == ["b", "a"]
    assert dictionary_codes(pd.Series(["a"], dtype=object)) is None
    assert dictionary_codes(pd.Series(pd.Categorical(["a"]))) is None


def test_text_array_is_pandas_default_text():
    # plain or chunked, 32- or 64-bit offsets: the "str" dtype, missing values NaN
    for arr in (pa.array(["a", None, "b"]), pa.chunked_array([["a"], [None, "b"]], pa.large_string())):
        s = pd.Series(text_array(arr))
        assert s.dtype == TEXT == pd.Series(["x"]).dtype
        assert s.iloc[0] == "a" and pd.isna(s.iloc[1]) and s.iloc[2] == "b"


def test_repeated_text_in_order():
    assert repeated_text(["x", "yz"], [2, 3]).to_pylist() == ["x", "x", "yz", "yz", "yz"]
    assert repeated_text(["x"], [0]).to_pylist() == []
