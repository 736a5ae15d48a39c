"""A worksheet body as columns: text columns as Arrow strings, other cells as Excel holds them."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pyarrow as pa

from eduanalytics.ingest.xlsx_columns import (
    body_columns,
    convert,
    object_column,
    row_blocks,
    text_block,
)


def test_mixed_cells_as_excel_holds_them():
    cells = ["甲", "", " ", "\u3000", 3.0, 2.5, 331004199001011.0, dt.date(2024, 3, 6),
             dt.datetime(2024, 3, 6, 12, 30), True, None, 7]
    out, nonblank = object_column(cells)
    assert out[0] == "甲" and out[1] is None and out[2] == " " and out[3] == "\u3000"
    # calamine's floats: a whole number is an int (an ID stored as a number keeps its digits)
    assert out[4] == 3 and type(out[4]) is int and out[5] == 2.5 and type(out[5]) is float
    assert out[6] == 331004199001011 and type(out[6]) is int
    # a date-only cell becomes a datetime; a date-time, a boolean and an int stay as they are
    assert type(out[7]) is dt.datetime and out[7] == dt.datetime(2024, 3, 6)
    assert out[8] == dt.datetime(2024, 3, 6, 12, 30) and out[9] is True and out[10] is None
    assert out[11] == 7
    # blank: empty, spaces (an ideographic space too) and None
    assert nonblank.tolist() == [True, False, False, False, True, True, True, True, True, True,
                                 False, True]


def test_a_column_of_text_becomes_arrow_strings():
    values, nonblank = convert(("路南街道", "", "  ", "x"))
    assert isinstance(values, pa.Array) and values.to_pylist() == ["路南街道", None, "  ", "x"]
    assert nonblank.tolist() == [True, False, False, True]
    values, _ = convert(("a", 1.0))  # one number makes it a column of cells
    assert isinstance(values, np.ndarray) and values.tolist() == ["a", 1]
    # a block of text in one piece: columns cut from the rows, blanks as above
    cols = text_block([["甲", ""], [" ", "x"]], col0=1)
    assert [v.to_pylist() for v, _ in cols] == [[None, None], ["甲", " "], [None, "x"]]
    assert [nb.tolist() for _, nb in cols] == [[False, False], [True, False], [False, True]]
    assert text_block([["甲", 1.0]]) is None


def test_body_in_blocks_merges_blank_rows_and_mixed_columns():
    # rows 3-8 of a sheet (0-based 2-7), two columns; blocks of two rows
    rows = [["甲", "2024-03-06"],
            ["", ""],              # blank: dropped
            ["乙", dt.date(2024, 3, 7)],  # this block makes column 1 a column of cells
            ["丙", ""],
            ["", "x"],            # unit merged down from 丙 (rows 5-6, 0-based)
            [" ", " "]]           # whitespace only: dropped
    merged = [((5, 0), (6, 0)),   # 丙 over the next row
              ((0, 0), (0, 1))]   # a title merge above the body: not filled
    body = body_columns(row_blocks(iter(rows), 2, size=2), 2, merged, start=2, end=7)
    units, dates = body.columns
    assert body.rows.tolist() == [3, 5, 6, 7]  # Excel row numbers of the kept rows
    assert body.filled == 1
    assert isinstance(units, pd.arrays.ArrowStringArray)
    assert units.tolist() == ["甲", "乙", "丙", "丙"]
    assert dates.dtype == object
    assert dates.tolist() == ["2024-03-06", dt.datetime(2024, 3, 7), None, "x"]


def test_leading_empty_columns_and_no_rows():
    body = body_columns(row_blocks(iter([["a"], ["b"]]), 1), 3, [], start=1, end=2, col0=2)
    assert [c.tolist() for c in body.columns] == [[pd.NA, pd.NA], [pd.NA, pd.NA], ["a", "b"]]
    assert body.rows.tolist() == [2, 3]
    empty = body_columns(iter([]), 2, [], start=1, end=0)
    assert len(empty.rows) == 0 and [len(c) for c in empty.columns] == [0, 0]
