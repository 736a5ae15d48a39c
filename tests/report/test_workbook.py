"""indicators.xlsx: Chinese headers, number formats, no formula from a cell's text."""

from __future__ import annotations

import openpyxl
import pandas as pd

from eduanalytics.report.workbook import build_workbook, sheet_name


def test_formulas_are_neutralised_and_numbers_stay_numbers(tmp_path):
    t = pd.DataFrame({"unit_id": ["=1+1", "@SUM(A1:A9)", "路南"], "target": [-3, 5, 7],
                      "pct_complete": [-12.5, 40.0, 95.8], "reason": ["+86 123", "-x", "\tt"]})
    t.to_parquet(tmp_path / "04_target_gaps.parquet")
    build_workbook([tmp_path / "04_target_gaps.parquet"], tmp_path / "w.xlsx", synthetic=True)
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert wb.sheetnames == ["说明", "04_target_gaps"]
    ws = wb["04_target_gaps"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][1] == "目标"
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'@SUM(A1:A9)", "路南"]
    assert [r[1] for r in rows[1:]] == [-3, 5, 7]  # genuine negative numbers untouched
    assert [r[2] for r in rows[1:]] == [-12.5, 40.0, 95.8]
    assert [r[3] for r in rows[1:]] == ["'+86 123", "'-x", "'\tt"]
    assert not [c for r in ws.iter_rows() for c in r if c.data_type == "f"]
    assert "示例数据" in str(wb["说明"]["A3"].value)


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    assert sheet_name("a/b:c", used) == "a_b_c"
    long = "x" * 40
    assert sheet_name(long, used) == "x" * 31
    assert sheet_name(long, used) == "x" * 29 + "~2"
