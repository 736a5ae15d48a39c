"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from eduanalytics.ingest.readers import detect_encoding, read_csv_table, read_xlsx_table


def test_readers_encodings_and_header_rows(tmp_path):
    text = "责任单位,常住人口\n路南街道,54719\n"
    for enc, expect in (("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")):
        p = tmp_path / f"{enc}.csv"
        p.write_bytes(text.encode(enc))
        assert detect_encoding(p) == expect
        df = read_csv_table(p)
        assert df.loc[0, "责任单位"] == "路南街道" and df.loc[0, "_row"] == 2
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["名册（测试）"])
    ws.merge_cells("A1:C1")
    ws.append(["学员信息", None, "日期"])
    ws.merge_cells("A2:B2")
    ws.append(["姓名", "身份证号", None])
    ws.merge_cells("C2:C3")
    ws.append(["某某", "x", dt.datetime(2023, 3, 6)])
    p = tmp_path / "r.xlsx"
    wb.save(p)
    df = read_xlsx_table(p, header_keywords=["身份证号", "日期"])
    assert list(df.columns[:3]) == ["姓名", "身份证号", "日期"]
    assert df.loc[0, "_row"] == 4 and df.loc[0, "日期"] == dt.datetime(2023, 3, 6)


def _register_workbook(path):
    """Title row, 填报单位 row, two-row merged header (基本信息 over 姓名 / 公民身份号码)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本表由各单位填报"])
    ws = wb.create_sheet("学员名单")
    ws.append(["甲县学历提升学员名册"])
    ws.merge_cells("A1:E1")
    ws.append(["填报单位：甲县教育局"])
    ws.append(["序号", "基本信息", None, "学习情况", None])
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:E3")
    ws.append([None, "姓名", "公民身份号码", "报读层次", "报名日期"])
    ws.append([1, "某甲", "x1", "高中", dt.datetime(2024, 3, 6)])
    ws.append([None, None, None, None, None])
    ws.append([2, "某乙", "x2", "大专", "2024-09-01"])
    wb.save(path)
    return path


def test_two_row_merged_header_child_names_the_column(tmp_path):
    p = _register_workbook(tmp_path / "reg.xlsx")
    words = ["序号", "姓名", "公民身份号码", "报读层次", "报名日期", "所属单位"]
    df = read_xlsx_table(p, sheet={"has_columns": ["公民身份号码"]}, header_keywords=words)
    assert [c for c in df.columns if not c.startswith("_")] == [
        "序号", "姓名", "公民身份号码", "报读层次", "报名日期"]
    assert df.attrs["header_rows"] == [3, 4] and df.attrs["sheet"] == "学员名单"
    assert df.attrs["sheets"] == ["说明", "学员名单"]
    assert df["_row"].tolist() == [5, 7]  # the blank row 6 is skipped, numbers stay Excel's
    assert df.loc[0, "报名日期"] == dt.datetime(2024, 3, 6) and df.loc[0, "序号"] == 1
    # the same with the header rows given and the sheet by index
    df2 = read_xlsx_table(p, sheet=1, header_rows=[3, 4])
    assert list(df2.columns) == list(df.columns) and df2["_row"].tolist() == [5, 7]


def test_missing_sheet_names_the_sheets_that_exist(tmp_path):
    import pytest

    from eduanalytics.errors import InputError

    p = _register_workbook(tmp_path / "reg.xlsx")
    with pytest.raises(InputError) as exc:
        read_xlsx_table(p, sheet="学历提升")
    assert "'学历提升'" in str(exc.value) and "说明" in str(exc.value) and "学员名单" in str(exc.value)
    with pytest.raises(InputError, match="index 5"):
        read_xlsx_table(p, sheet=5)
    with pytest.raises(InputError, match="培训项目"):
        read_xlsx_table(p, sheet={"has_columns": ["培训项目"]})
    # an optional sheet: None when missing, the sheet when there
    assert read_xlsx_table(p, sheet={"has_columns": ["培训项目"]}, missing_ok=True) is None
    assert read_xlsx_table(p, sheet="职业培训", missing_ok=True) is None
    found = read_xlsx_table(p, sheet={"has_columns": ["公民身份号码"]}, header_rows=[3, 4],
                            missing_ok=True)
    assert found.attrs["sheet"] == "学员名单" and found["_row"].tolist() == [5, 7]


def test_unreadable_files_are_input_errors(tmp_path):
    import pytest

    from eduanalytics.errors import InputError
    from eduanalytics.ingest.readers import read_table_file

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    notdocx = tmp_path / "notice.docx"
    notdocx.write_text("plain text", encoding="utf-8")
    odd = tmp_path / "table.pdf"
    odd.write_bytes(b"%PDF")
    for p, expected in ((empty, "empty"), (corrupt, "Excel"), (notdocx, "Word"), (odd, ".pdf")):
        with pytest.raises(InputError) as exc:
            read_table_file(p)
        assert p.name in str(exc.value) and expected in str(exc.value)


def test_parquet_and_csv_header_rows(tmp_path):
    import pandas as pd

    from eduanalytics.ingest.readers import read_table_file

    p = tmp_path / "t.parquet"
    pd.DataFrame({"a": [1, 2]}).to_parquet(p)
    df = read_table_file(p)
    assert df["a"].tolist() == [1, 2] and df["_row"].tolist() == [1, 2]
    c = tmp_path / "t.csv"
    c.write_text("甲县摸排表,,\n乡镇,七普人数,摸排人数\n东城街道,4000,3600\n", encoding="utf-8")
    df = read_table_file(c, header_rows=[2])
    assert df.loc[0, "七普人数"] == "4000" and df.loc[0, "_row"] == 3


def test_docx_table_by_has_columns(tmp_path):
    import docx
    from _support.county import TASK_HEADER, TASK_ROWS, write_docx_table

    from eduanalytics.ingest.readers import read_docx_table

    p = write_docx_table(tmp_path / "n.docx", TASK_HEADER, TASK_ROWS)
    d = docx.Document(str(p))
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(1, 0).text, t.cell(1, 1).text = "联系人", "电话", "某", "1"
    d.save(p)
    df = read_docx_table(p, table={"has_columns": ["联系人"]})
    assert df.attrs["sheet"] == "table 1" and df.loc[0, "电话"] == "1"
    assert read_docx_table(p, table=0).loc[0, "常住人口"] == "12,345"


def test_empty_sheet_is_an_input_error(tmp_path):
    import pytest

    from eduanalytics.errors import InputError

    p = _register_workbook(tmp_path / "reg.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(p)
    wb.create_sheet("空表")
    wb.save(p)
    with pytest.raises(InputError, match="empty") as exc:
        read_xlsx_table(p, sheet="空表")
    assert "空表" in str(exc.value)


def test_xlsx_cells_as_excel_holds_them(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["身份证号", "日期", "备注", "比例"])
    ws.append([331004199001011, dt.date(2024, 3, 6), None, 0.5])
    p = tmp_path / "v.xlsx"
    wb.save(p)
    df = read_xlsx_table(p)
    row = df.iloc[0]
    # a whole number stays a whole number (not 3.31e14 as text), empty is None, dates datetimes
    assert row["身份证号"] == 331004199001011 and isinstance(row["身份证号"], int)
    assert row["日期"] == dt.datetime(2024, 3, 6) and pd.isna(row["备注"]) and row["比例"] == 0.5


def test_sheet_off_a1_with_a_unit_merged_down(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C2"] = "名册"
    ws.merge_cells("C2:E2")
    rows = (["序号", "所属单位", "报名日期"], [1, "路南街道", dt.date(2024, 3, 6)],
            [2, None, "2024-03-07"], [None, None, None], [3, "新桥镇", None])
    for r, row in enumerate(rows, start=3):
        for col, v in zip("CDE", row, strict=True):
            ws[f"{col}{r}"] = v
    ws.merge_cells("D4:D5")
    p = tmp_path / "off.xlsx"
    wb.save(p)
    df = read_xlsx_table(p, header_keywords=["序号", "所属单位", "报名日期"])
    assert list(df.columns) == ["column_1", "column_2", "序号", "所属单位", "报名日期", "_file", "_row"]
    assert df.attrs["header_rows"] == [3] and df.attrs["merged_filled"] == 1
    assert df["_row"].tolist() == [4, 5, 7]  # the empty row 6 is dropped
    assert df["序号"].tolist() == [1, 2, 3] and all(type(v) is int for v in df["序号"])
    assert df["所属单位"].dtype == pd.StringDtype("pyarrow")
    assert df["所属单位"].tolist() == ["路南街道", "路南街道", "新桥镇"]
    assert df["报名日期"].tolist() == [dt.datetime(2024, 3, 6), "2024-03-07", None]
    assert df["column_1"].isna().all()


def test_rows_are_read_as_calamine_iterates_them_or_whole(tmp_path):
    from python_calamine import CalamineWorkbook

    from eduanalytics.ingest.readers import _rows_from

    grid = [["", "", ""], ["", "t", ""], ["", "a", "b"], ["", "c", "d"]]

    class FirstUsedRow:
        """A calamine whose ``iter_rows`` would start at the first used row."""

        start = (1, 1)

        def to_python(self, skip_empty_area=False, nrows=None):
            return [list(r) for r in grid[:nrows]]

        def iter_rows(self):
            return iter([r[1:] for r in grid[1:]])

    blocks, col0 = _rows_from(FirstUsedRow(), [list(r) for r in grid[:2]], 2)
    assert col0 == 0 and [(i, rows) for i, rows in blocks] == [(2, grid[2:])]
    # the installed calamine iterates from row 1, from the first used column: read in blocks
    import openpyxl

    wb = openpyxl.Workbook()
    for ref, v in (("B2", "t"), ("B3", "a"), ("C3", "b"), ("B4", "c"), ("C4", "d")):
        wb.active[ref] = v
    p = tmp_path / "g.xlsx"
    wb.save(p)
    ws = CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0)
    blocks, col0 = _rows_from(ws, ws.to_python(skip_empty_area=False, nrows=2), 2)
    assert col0 == 1 and [(i, rows) for i, rows in blocks] == [(2, [["a", "b"], ["c", "d"]])]


def test_workbook_kept_open_follows_the_file(tmp_path):
    import os

    import openpyxl

    from eduanalytics.ingest.readers import list_sheets, open_workbook

    p = tmp_path / "c.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "甲"
    wb.save(p)
    assert open_workbook(p) is open_workbook(p) and list_sheets(p) == ["甲"]
    st = p.stat()
    wb.active.title = "乙"
    wb.save(p)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))  # rewritten within the same clock tick
    assert list_sheets(p) == ["乙"]
