"""Word documents of the bundled example, produced from the transcriptions.

Bureaus circulate task tables as .docx attachments of a notice; the bundled example ships
the seed-000 table that way too (made from the CSV transcription), so the DOCX reader is
exercised on a real Word table.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd

_FIXED_TIME = dt.datetime(2023, 3, 6, 0, 0, 0)
#: Modification time stamped on every member of a generated zip (docx/xlsx) archive.
ZIP_TIME = (2023, 3, 6, 0, 0, 0)


def fixed_zip_bytes(data: bytes, when: tuple[int, int, int, int, int, int] = ZIP_TIME) -> bytes:
    """Rewrite a zip archive (.docx, .xlsx) with fixed member times, in the same order.

    Office writers stamp each member with the current time, so regenerating a file
    changes its bytes although nothing in it changed. This keeps the members and their
    order, deflates them again and stamps them all with ``when``.

    Parameters
    ----------
    data : bytes
        The archive.
    when : tuple
        ``(year, month, day, hour, minute, second)``.

    Returns
    -------
    bytes
        The same archive, byte-identical for identical content.
    """
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def write_task_table_docx(csv_path: str | Path, docx_path: str | Path) -> Path:
    """Write the task table CSV as a Word document laid out like the bureau's notice.

    Parameters
    ----------
    csv_path : path-like
        The transcription (UTF-8 CSV, header row first).
    docx_path : path-like
        Output .docx.

    Returns
    -------
    Path
        ``docx_path``. Core properties carry fixed dates and the archive members fixed
        times, so reruns give a byte-identical file.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8")
    doc = docx.Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("关于高质量做好2023年浙江省教育方面民生实事相关工作的通知").bold = True
    doc.add_paragraph("各镇(街道)人民政府(办事处),区中职校、区社区教育学院、台州恒勃技工学校、"
                      "台州开放大学路桥学院:")
    doc.add_paragraph("……学历提升分春季和秋季两批招生……具体任务分解见下表。")
    cap = doc.add_paragraph()
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cap.add_run("各单位民生实事任务分解").bold = True
    add_table(doc, table)
    doc.add_paragraph("台州市路桥区教育局")
    doc.add_paragraph("2023年3月6日")
    fix_properties(doc, "transcription of 路教办函〔2023〕12号")
    out = Path(docx_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc.save(buf)
    out.write_bytes(fixed_zip_bytes(buf.getvalue()))
    return out


def fix_properties(doc, author: str) -> None:
    """Fixed core properties (author, dates, revision), so the file's bytes repeat."""
    props = doc.core_properties
    props.author = author
    props.created = _FIXED_TIME
    props.modified = _FIXED_TIME
    props.last_modified_by = ""
    props.revision = 1


def add_table(doc, table: pd.DataFrame) -> None:
    """Append ``table`` to a python-docx Document as a gridded Word table (header row first,
    every cell as text)."""
    t = doc.add_table(rows=len(table) + 1, cols=len(table.columns))
    t.style = "Table Grid"
    for j, col in enumerate(table.columns):
        t.cell(0, j).text = str(col)
    for i, row in enumerate(table.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            t.cell(i, j).text = str(value)
