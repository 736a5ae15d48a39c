"""Readers for the files bureaus publish and export: CSV, XLSX, tables inside DOCX, Parquet.

Every reader returns the file's cells without type guessing (CSV and DOCX cells as strings;
XLSX columns of text as Arrow-backed strings, other XLSX columns as the cells Excel holds,
so real date cells stay dates and numbers numbers: :mod:`eduanalytics.ingest.xlsx_columns`)
with the header texts as column names, plus two columns: ``_file`` (the path) and ``_row``
(the row number a person sees: the CSV line number, the Excel row number, the DOCX table
row).

Where the table sits is a *layout* (the Frictionless Table Dialect's words): ``sheet`` or
``table`` (a name, a 0-based index, or ``{has_columns: [...]}``) and ``header_rows``
(1-based, one row or a parent row over a child row). Without ``header_rows`` the header is
detected: the row holding the most known header words; a row above it that only groups
(a merged parent such as 基本信息 over 姓名 / 公民身份号码) is a parent, and the *child*
names the column. What was chosen is kept in ``df.attrs``: ``sheet``, ``sheets`` (every
sheet or table found), ``header_rows`` (1-based).

An unreadable file (corrupt zip, empty file, wrong extension) is an
:class:`~eduanalytics.errors.InputError` naming the file and what was expected.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from eduanalytics.errors import InputError
from eduanalytics.ingest.layout import (  # noqa: F401  (find_header, frame_from_grid re-exported)
    MAX_HEADER_ROW,
    cell_text,
    fill_merged,
    find_header,
    frame_from_grid,
    locate_header,
    pick_table,
)
from eduanalytics.ingest.xlsx_columns import BLOCK, body_columns, row_blocks

SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm", ".docx", ".parquet")


def detect_encoding(path: str | Path) -> str:
    """Detect a text file's encoding.

    Order: a UTF-8 BOM gives ``utf-8-sig``; bytes that decode as UTF-8 give ``utf-8``;
    bytes that decode as GB18030 (the superset of GBK/GB2312 that Chinese office software
    writes) give ``gb18030``; otherwise charset-normalizer's best guess.
    """
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    for enc in ("utf-8", "gb18030"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot tell the text encoding", file=path, expected="UTF-8 or GBK text")
    return best.encoding


#: Workbooks opened lately, by :func:`_fingerprint` (see :func:`open_workbook`).
_OPEN: OrderedDict[tuple, Any] = OrderedDict()
_KEEP_OPEN = 2


def _fingerprint(path: Path) -> tuple:
    """What identifies a workbook's content: its path, size, modification time and the
    end of the file (the zip's central directory, holding every part's CRC-32), so a
    workbook rewritten within the same clock tick is not mistaken for the old one."""
    st = path.stat()
    with open(path, "rb") as fh:
        fh.seek(max(0, st.st_size - 65_536))
        tail = hashlib.blake2b(fh.read(), digest_size=16).digest()
    return (str(path.resolve()), st.st_size, st.st_mtime_ns, tail)


def open_workbook(path: Path):
    """The workbook (python-calamine); an empty or damaged file is an :class:`InputError`.

    Opening reads the workbook's shared strings (every distinct text of every sheet: for
    a register, about one per learner), so the last :data:`_KEEP_OPEN` workbooks opened
    are kept, by content: the register step lists the sheets, resolves the one to read
    and reads it, each through here. Parsed sheets are not kept (their cells are the bulk
    of the memory).
    """
    from python_calamine import CalamineWorkbook

    path = Path(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, expected="an Excel workbook (.xlsx)")
    key = _fingerprint(path)
    if key in _OPEN:
        _OPEN.move_to_end(key)
        return _OPEN[key]
    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # zip errors, not a workbook
        raise InputError(f"cannot open as an Excel workbook ({exc})", file=path,
                         expected="an .xlsx workbook saved by Excel or WPS") from None
    _OPEN[key] = wb
    while len(_OPEN) > _KEEP_OPEN:
        _OPEN.popitem(last=False)
    return wb


def list_sheets(path: str | Path) -> list[str]:
    """Names of a workbook's sheets, in order."""
    return list(open_workbook(Path(path)).sheet_names)


def _rows_from(ws, top: list[list], first: int):
    """The sheet's rows from 0-based row ``first`` on, in blocks, and the column of their
    first cell; ``top`` is the sheet's first rows as ``to_python`` gives them.

    python-calamine's ``iter_rows`` yields the rows from the sheet's first on, each from the
    first used column; that is checked against ``to_python`` (whose rows start at column
    A), which is read whole instead should a version of calamine iterate otherwise.
    """
    col0 = ws.start[1] if ws.start else 0
    rows = ws.iter_rows()
    head = [list(r) for r in itertools.islice(rows, len(top))]
    if head == [r[col0:] for r in top] and all(not any(r[:col0]) for r in top):
        lead = [(first, head[first:])] if len(head) > first else []
        blocks = itertools.chain(lead, row_blocks(rows, len(head)))
        return blocks, col0
    whole = ws.to_python(skip_empty_area=False)
    return ((i, whole[i:i + BLOCK]) for i in range(first, len(whole), BLOCK)), 0


def read_xlsx_table(path: str | Path, sheet: Any = None, header_keywords: list[str] | None = None,
                    max_header_row: int = MAX_HEADER_ROW, header_rows: list[int] | None = None,
                    header_join: str = "/", missing_ok: bool = False) -> pd.DataFrame | None:
    """Read a worksheet whose header need not be on row 1 (python-calamine).

    Parameters
    ----------
    path : path-like
        The workbook.
    sheet : str, int or dict, optional
        Sheet name, 0-based index, or ``{"has_columns": [...]}`` (default: the first).
    header_keywords : list of str, optional
        Header texts to look for (see :func:`find_header`).
    max_header_row : int
        How far down to look for the header.
    header_rows : list of int, optional
        1-based header rows; one row, or a parent over a child row.
    header_join : str
        Joins a parent and a repeated child name.
    missing_ok : bool
        Return None, not an error, when no sheet is the one ``sheet`` names (an optional
        sheet: picked and read with the sheet parsed once).

    Returns
    -------
    DataFrame
        One column per header cell: a column of text only as Arrow-backed strings (empty
        cells missing), any other as the cells Excel holds (None, int for a whole number,
        float, datetime for a date cell, text); ``_file`` (categorical) and ``_row`` (the
        Excel row number). Built column by column
        (:mod:`eduanalytics.ingest.xlsx_columns`), never cell by cell.

    Notes
    -----
    Merged cells (from the sheet's ``<mergeCells>``, as calamine reports them) are filled
    with their value in the header rows, so a title merged across the top is skipped and
    a parent header merged over its child columns only groups them: the child names the
    column. Below the header a merged range's cells all take its value.
    ``attrs``: ``sheet``, ``sheets`` (all sheet names), ``header_rows``, ``merged_filled``.
    """
    path = Path(path)
    wb = open_workbook(path)
    names = list(wb.sheet_names)
    parsed: dict[int, Any] = {}

    def sheet_of(i: int):
        """Sheet i, parsed once."""
        if i not in parsed:
            parsed[i] = wb.get_sheet_by_index(i)
        return parsed[i]

    def texts_of(i: int) -> list[list[str]]:
        ws = sheet_of(i)
        top = ws.to_python(skip_empty_area=False, nrows=max_header_row)
        return fill_merged(top, ws.merged_cell_ranges or [], max_header_row)

    try:
        idx = pick_table(names, sheet, texts_of, path, "sheet")
    except InputError:
        if missing_ok:
            return None
        raise
    ws = sheet_of(idx)
    merged = ws.merged_cell_ranges or []
    nrows, width = (ws.end[0] + 1, ws.end[1] + 1) if ws.end else (0, 0)
    n_top = min(nrows, max(max_header_row, max(header_rows or [0])))
    top = ws.to_python(skip_empty_area=False, nrows=n_top) if nrows else []
    head = locate_header(top, width, nrows, file=path, sheet=names[idx], merged=merged,
                         header_rows=header_rows, header_keywords=header_keywords,
                         header_join=header_join, max_header_row=max_header_row)
    blocks, col0 = _rows_from(ws, top, head.row + 1)
    body = body_columns(blocks, width, merged, head.row + 1, nrows - 1, col0)
    if len(body.rows):
        df = pd.DataFrame({n: (c if isinstance(c, pd.api.extensions.ExtensionArray)
                               else pd.Series(c, dtype=object, copy=False))
                           for n, c in zip(head.names, body.columns, strict=True)})
    else:
        df = pd.DataFrame(columns=head.names)
    df["_file"] = pd.Categorical.from_codes(np.zeros(len(df), dtype=np.int8), [str(path)])
    df["_row"] = body.rows
    df.attrs.update(sheet=names[idx], sheets=names, header_rows=head.rows,
                    merged_filled=body.filled)
    return df


def _docx_grids(path: Path) -> list[list[list[str]]]:
    import docx

    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, expected="a Word document (.docx)")
    try:
        doc = docx.Document(str(path))
    except Exception as exc:
        raise InputError(f"cannot open as a Word document ({exc})", file=path,
                         expected="a .docx document saved by Word or WPS") from None
    grids = []
    for table in doc.tables:
        cells = []
        for row in table.rows:
            tcs = list(row.cells)
            # python-docx repeats a horizontally merged cell: keep its text once
            cells.append([c.text.strip() if i == 0 or c._tc is not tcs[i - 1]._tc else ""
                          for i, c in enumerate(tcs)])
        grids.append(cells)
    return grids


def read_docx_tables(path: str | Path, header_keywords: list[str] | None = None,
                     header_rows: list[int] | None = None) -> list[pd.DataFrame]:
    """Every table of a Word document, cells as text (header: row 1, or as given/detected)."""
    path = Path(path)
    out = []
    for i, cells in enumerate(_docx_grids(path)):
        if not cells:
            continue
        kw = header_keywords if header_keywords and find_header(
            [[cell_text(v) for v in r] for r in cells[:MAX_HEADER_ROW]], header_keywords) >= 0 else None
        df = frame_from_grid(cells, file=path, sheet=f"table {i}", header_rows=header_rows or
                             (None if kw else [1]), header_keywords=kw)
        out.append(df)
    return out


def read_docx_table(path: str | Path, match: str | None = None, table: Any = None,
                    header_keywords: list[str] | None = None,
                    header_rows: list[int] | None = None) -> pd.DataFrame:
    """One table of a Word document.

    Parameters
    ----------
    path : path-like
        The document.
    match : str, optional
        Take the first table whose header contains this text (the first release's way).
    table : int or dict, optional
        0-based index or ``{"has_columns": [...]}``; wins over ``match``.
    header_keywords, header_rows : optional
        As in :func:`read_xlsx_table`.
    """
    path = Path(path)
    grids = _docx_grids(path)
    names = [f"table {i}" for i in range(len(grids))]
    if not grids:
        raise InputError("the document holds no table", file=path, expected="a table")
    if table is None and match is not None:
        hits = [i for i, g in enumerate(grids) if any(match in t for r in g[:MAX_HEADER_ROW] for t in r)]
        if not hits:
            raise InputError(f"no table with a header containing {match!r}", file=path,
                             expected=f"a table with a column {match}; or set inputs.<kind>.table")
        table = hits[0]
    idx = pick_table(names, table, lambda i: [[cell_text(v) for v in r] for r in grids[i][:MAX_HEADER_ROW]],
                path, "table")
    cells = grids[idx]
    kw = header_keywords if header_keywords and find_header(
        [[cell_text(v) for v in r] for r in cells[:MAX_HEADER_ROW]], header_keywords) >= 0 else None
    df = frame_from_grid(cells, file=path, sheet=names[idx],
                         header_rows=header_rows or (None if kw else [1]), header_keywords=kw)
    df.attrs["sheets"] = names
    return df


def read_csv_table(path: str | Path, encoding: str | None = None,
                   header_rows: list[int] | None = None,
                   header_keywords: list[str] | None = None) -> pd.DataFrame:
    """Read a CSV as strings, with ``_file`` and ``_row`` (header = line 1 unless
    ``header_rows`` says otherwise)."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, expected="a CSV table with a header row")
    enc = encoding or detect_encoding(path)
    try:
        if header_rows and list(header_rows) != [1]:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc, header=None)
            df = frame_from_grid(raw.to_numpy().tolist(), file=path, header_rows=header_rows)
        else:
            df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc)
            df.columns = [str(c).strip() for c in df.columns]
            df = df.assign(_file=str(path), _row=range(2, len(df) + 2))
            df.attrs["header_rows"] = [1]
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read as CSV ({enc}): {exc}", file=path,
                         expected="comma-separated text in UTF-8 or GBK") from None
    df.attrs.update(sheet=None, sheets=[])
    return df


def read_parquet_table(path: str | Path) -> pd.DataFrame:
    """A Parquet file (or a folder of parts) with ``_file`` and ``_row`` (1-based)."""
    path = Path(path)
    try:
        df = pd.read_parquet(path)
    except Exception as exc:
        raise InputError(f"cannot read as Parquet ({exc})", file=path,
                         expected="a Parquet file or a folder of Parquet parts") from None
    df = df.assign(_file=str(path), _row=range(1, len(df) + 1))
    df.attrs.update(sheet=None, sheets=[], header_rows=[])
    return df


def read_table_file(path: str | Path, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV, XLSX, DOCX or Parquet table by suffix.

    Keyword arguments go to the reader that takes them: ``encoding`` (CSV), ``sheet``
    (XLSX), ``table``/``match`` (DOCX), ``header_rows``, ``header_keywords``,
    ``header_join``.
    """
    path = Path(path)
    if not path.exists():
        from eduanalytics.errors import MissingFileError

        raise MissingFileError("file not found", file=path, expected="the file the config names")
    suffix = path.suffix.lower()
    hr = kwargs.get("header_rows")
    kw = kwargs.get("header_keywords")
    if suffix in (".csv", ".txt"):
        return read_csv_table(path, encoding=kwargs.get("encoding"), header_rows=hr)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_table(path, sheet=kwargs.get("sheet"), header_keywords=kw,
                               header_rows=hr, header_join=kwargs.get("header_join") or "/")
    if suffix == ".docx":
        return read_docx_table(path, match=kwargs.get("match"), table=kwargs.get("table"),
                               header_keywords=kw, header_rows=hr)
    if suffix == ".parquet" or path.is_dir():
        return read_parquet_table(path)
    raise InputError(f"unsupported file type {suffix!r}", file=path,
                     expected=f"one of {', '.join(SUPPORTED)}")
