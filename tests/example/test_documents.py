"""Word documents and zip archives with fixed bytes."""

from __future__ import annotations

import io
import zipfile

import docx

from eduanalytics.example.documents import ZIP_TIME, fixed_zip_bytes, write_task_table_docx


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_fixed_zip_bytes_keeps_members_and_order_and_fixes_times():
    data = _zip({"b.xml": b"<b/>", "a.xml": b"<a/>"})
    out = fixed_zip_bytes(data)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.namelist() == ["b.xml", "a.xml"]
        assert z.read("a.xml") == b"<a/>"
        assert {i.date_time for i in z.infolist()} == {ZIP_TIME}
    assert fixed_zip_bytes(data) == out


def test_task_table_docx_holds_the_csv_table(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("责任单位,人数\n甲镇,1\n合计,1\n", encoding="utf-8")
    a = write_task_table_docx(csv, tmp_path / "a.docx").read_bytes()
    b = write_task_table_docx(csv, tmp_path / "b.docx").read_bytes()
    assert a == b
    table = docx.Document(str(tmp_path / "a.docx")).tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [["责任单位", "人数"], ["甲镇", "1"], ["合计", "1"]]
