"""Export-like workbooks: title rows, a two-row merged header, fixed bytes."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd

from eduanalytics.example.workbook import register_workbook_bytes

ROWS = pd.DataFrame({"序号": [1, 2], "姓名": ["甲", "乙"], "公民身份号码": ["1", "2"], "报读层次": ["大专", None]})
PARENTS = {"基本信息": ["姓名", "公民身份号码"]}


def test_preamble_rows_then_the_two_row_header():
    data = register_workbook_bytes({"花名册": ROWS}, "标题（示例数据）", PARENTS, ["填报单位：某某"])
    ws = openpyxl.load_workbook(io.BytesIO(data))["花名册"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "标题（示例数据）" and rows[1][0] == "填报单位：某某"
    assert rows[2] == ("序号", "基本信息", None, "报读层次")
    assert rows[3] == (None, "姓名", "公民身份号码", None)
    assert rows[4] == (1, "甲", "1", "大专") and rows[5] == (2, "乙", "2", None)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:D1", "A2:D2", "A3:A4", "B3:C3", "D3:D4"} <= merged


def test_same_input_same_bytes():
    a = register_workbook_bytes({"s": ROWS}, "t", PARENTS)
    b = register_workbook_bytes({"s": ROWS}, "t", PARENTS)
    assert a == b
    assert a != register_workbook_bytes({"s": ROWS}, "t2", PARENTS)
