"""Export-like register workbooks: merged title rows over a two-row merged header.

Byte-identical for identical input: fixed document properties and zip member times.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pandas as pd

from eduanalytics.example.documents import fixed_zip_bytes

#: Fixed creation/modification time written into generated workbooks.
FIXED_TIME = dt.datetime(2023, 12, 31, 0, 0, 0)
#: The district example's header groups (parent cell -> the columns under it).
PARENTS = {"学员信息": ["姓名", "身份证号", "所属单位"], "学历": ["原学历", "报读层次"],
           "学籍": ["学籍状态", "结业日期", "学籍注册", "未注册原因"],
           "培训信息": ["培训单位", "所属街道", "培训项目", "培训日期", "结业"]}


def register_workbook_bytes(sheets: dict[str, pd.DataFrame], title: str,
                            parents: dict[str, list[str]] | None = None,
                            preamble: list[str] | None = None,
                            fixed_time: dt.datetime = FIXED_TIME) -> bytes:
    """An export-like workbook: merged title row(s), two-row header with merged parents.

    Parameters
    ----------
    sheets : dict
        Sheet name -> rows (columns in order; ``None`` cells stay empty; datetimes become
        real date cells).
    title : str
        Text of the merged row 1 (carries 示例数据·合成).
    parents : dict, optional
        Header groups: parent text -> the columns it spans (default :data:`PARENTS`);
        a column in no group is merged down over both header rows.
    preamble : list of str, optional
        Further merged rows under the title (e.g. ``填报单位：…``), before the header.
    fixed_time : datetime
        Creation and modification time stamped in the properties.

    Returns
    -------
    bytes
        The .xlsx; byte-identical for identical input (fixed properties and zip times).
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    parents = PARENTS if parents is None else parents
    extra = list(preamble or [])
    top = 2 + len(extra)  # first header row
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in sheets.items():
        ws = wb.create_sheet(name)
        cols = list(df.columns)
        width = len(cols)
        ws.cell(1, 1, title).font = Font(bold=True)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        for r, text in enumerate(extra, start=2):
            ws.cell(r, 1, text)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        c = 0
        while c < width:
            parent = next((p for p, kids in parents.items() if cols[c] in kids), None)
            if parent is None:
                ws.cell(top, c + 1, cols[c])
                ws.merge_cells(start_row=top, start_column=c + 1, end_row=top + 1, end_column=c + 1)
                c += 1
                continue
            span = 1
            while c + span < width and cols[c + span] in parents[parent]:
                span += 1
            ws.cell(top, c + 1, parent)
            if span > 1:
                ws.merge_cells(start_row=top, start_column=c + 1, end_row=top, end_column=c + span)
            for k in range(span):
                ws.cell(top + 1, c + 1 + k, cols[c + k])
            c += span
        for r, values in enumerate(df.itertuples(index=False), start=top + 2):
            for j, v in enumerate(values, start=1):
                if v is None or (isinstance(v, float) and np.isnan(v)):
                    continue
                cell = ws.cell(r, j, v.item() if isinstance(v, np.generic) else v)
                if isinstance(v, dt.datetime):
                    cell.number_format = "yyyy-mm-dd"
    wb.properties.creator = "eduanalytics.synthetic (示例数据·合成 SYNTHETIC)"
    wb.properties.title = title
    wb.properties.created = fixed_time
    wb.properties.modified = fixed_time
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # openpyxl's save_workbook would stamp "now"
    return fixed_zip_bytes(buf.getvalue())
