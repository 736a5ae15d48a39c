"""Duplicates: exact groups over mixed columns, "earlier" in file order then row."""

from __future__ import annotations

import numpy as np
import pandas as pd

from eduanalytics.ingest.register_duplicates import (
    among,
    file_positions,
    find_duplicates,
    group_ids,
)


def test_duplicates_follow_file_order_then_row():
    # file a comes before file b; the learner K appears at b/1, a/5 and a/9: the first is
    # a/5, so a/9 and b/1 are its duplicates (input deliberately unsorted)
    keys = pd.DataFrame({"learner_key": ["K", "K", "L", "K"], "programme": ["p", "p", "p", "p"],
                         "_file": ["b", "a", "a", "a"], "_row": [1, 5, 7, 9]})
    d = find_duplicates(keys, ["learner_key", "programme"], {"a": 0, "b": 1})
    got = sorted(zip(d["_file"], d["_row"], d["first_file"], d["first_row"], strict=True))
    assert got == [("a", 9, "a", 5), ("b", 1, "a", 5)]
    other = keys.assign(programme=["q", "p", "p", "r"])
    assert find_duplicates(other, ["learner_key", "programme"], {"a": 0, "b": 1}).empty


def test_group_ids_exact_over_mixed_columns():
    keys = pd.DataFrame({
        "k": pd.Series(["a", "b", "a", None, "a", None], dtype="string[pyarrow]"),
        "p": pd.Categorical(["x", "x", "x", "y", "y", "y"]),
        "d": pd.to_datetime(["2023-03-06"] * 6),
    })
    g = group_ids(keys, ["k", "p", "d"])
    # rows 0 and 2 are (a, x); rows 3 and 5 are (missing, y); 1 and 4 are alone
    assert g[0] == g[2] and g[3] == g[5]
    assert len({g[0], g[1], g[3], g[4]}) == 4
    # "a" + "bc" must not meet "ab" + "c": codes are combined, not text
    pair = pd.DataFrame({"u": pd.Series(["a", "ab"], dtype="string[pyarrow]"),
                         "v": pd.Series(["bc", "c"], dtype="string[pyarrow]")})
    h = group_ids(pair, ["u", "v"])
    assert h[0] != h[1]
    # numbered in order of first appearance, whatever the categories' order
    cat = pd.DataFrame({"p": pd.Categorical(["y", "x", "y"], categories=["x", "y"])})
    assert group_ids(cat, ["p"]).tolist() == [0, 1, 0]
    assert group_ids(keys, ["k", "p"]).tolist() == [0, 1, 0, 2, 3, 2]


def test_file_positions_order_files_then_rows():
    order = {"a": 0, "b": 1}
    rows = pd.DataFrame({"_file": ["b", "a", "a"], "_row": [1, 7, 5]})
    pos = file_positions(rows, order)
    assert pos.tolist() == [2**40 + 1, 7, 5]
    assert np.argsort(pos).tolist() == [2, 1, 0]  # a/5, a/7, then b/1
    # a categorical file column gives the same places (its categories in any order)
    cat = rows.assign(_file=pd.Categorical(rows["_file"], categories=["b", "a"]))
    assert file_positions(cat, order).tolist() == pos.tolist()
    # Arrow-backed text, and no rows at all
    text = rows.assign(_file=rows["_file"].astype("str"))
    assert file_positions(text, order).tolist() == pos.tolist()
    assert file_positions(rows.iloc[:0], order).tolist() == []


def test_among_positions_of_several_files():
    """Positions of files 0 and 3 (a range far wider than numpy's lookup table): each value
    found exactly, whatever the order, repeats included."""
    pool = np.array([3 * 2**40 + 9, 5, 2**40 + 5, 7], dtype=np.int64)
    values = np.array([5, 3 * 2**40 + 9, 6, 2**40 + 5, 5, 3 * 2**40 + 8], dtype=np.int64)
    assert among(values, pool).tolist() == [True, True, False, True, True, False]
    assert among(values[:0], pool).tolist() == []
    assert among(values, pool[:0]).tolist() == [False] * 6
