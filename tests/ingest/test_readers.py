"""Each normaliser on real strings from the seed documents."""

from __future__ import annotations

import datetime as dt

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
