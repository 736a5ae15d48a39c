"""Readers for the files bureaus publish and export: CSV, XLSX, tables inside DOCX, Parquet.

Every reader returns the file's cells without type guessing (CSV and DOCX cells as strings;
XLSX cells as python-calamine gives them, so real date cells stay dates) with the header
texts as column names, plus two columns: ``_file`` (the path) and ``_row`` (the row number
a person sees: the CSV line number, the Excel row number, the DOCX table row).

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

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from eduanalytics.errors import InputError
from eduanalytics.ingest.layout import (  # noqa: F401  (find_header, frame_from_grid re-exported)
    MAX_HEADER_ROW,
    cell_text,
    fill_merged,
    find_header,
    frame_from_grid,
    pick_table,
)

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


def open_workbook(path: Path):
    """The workbook (python-calamine); an empty or damaged file is an :class:`InputError`."""
    from python_calamine import CalamineWorkbook

    if path.stat().st_size == 0:
        raise InputError("the file is empty", file=path, expected="an Excel workbook (.xlsx)")
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # zip errors, not a workbook
        raise InputError(f"cannot open as an Excel workbook ({exc})", file=path,
                         expected="an .xlsx workbook saved by Excel or WPS") from None


def list_sheets(path: str | Path) -> list[str]:
    """Names of a workbook's sheets, in order."""
    return list(open_workbook(Path(path)).sheet_names)


def _excel_values(df: pd.DataFrame) -> pd.DataFrame:
    """Cells as Excel holds them (what openpyxl gave): an empty cell None, a whole number
    int (calamine reads every number as float: 331004199001011234 stored as a number must
    not become 3.31e17), a date-only cell a datetime."""
    for c in df.columns:
        if df[c].dtype != object or str(c).startswith("_"):
            continue
        col = df[c]
        kind = col.map(type)
        empty = kind.eq(str) & col.eq("")
        whole = kind.eq(float)
        if whole.any():
            vals = col[whole]
            whole.loc[whole] = [v.is_integer() for v in vals]
        is_date = kind.eq(dt.date)
        if empty.any() or whole.any() or is_date.any():
            col = col.copy()
            col[empty] = None
            col[whole] = [int(v) for v in col[whole]]
            col[is_date] = [dt.datetime(d.year, d.month, d.day) for d in col[is_date]]
            df[c] = col
    return df


def read_xlsx_table(path: str | Path, sheet: Any = None, header_keywords: list[str] | None = None,
                    max_header_row: int = MAX_HEADER_ROW, header_rows: list[int] | None = None,
                    header_join: str = "/") -> pd.DataFrame:
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

    Notes
    -----
    Merged cells (from the sheet's ``<mergeCells>``) are filled with their value in the
    header rows, so a title merged across the top is skipped and a parent header merged
    over its child columns only groups them: the child names the column.
    ``attrs``: ``sheet``, ``sheets`` (all sheet names), ``header_rows``.
    """
    path = Path(path)
    wb = open_workbook(path)
    names = list(wb.sheet_names)
    cache: dict[int, tuple[list, list]] = {}

    def grid_of(i: int) -> tuple[list, list]:
        """(cells, merged ranges) of sheet i, read once."""
        if i not in cache:
            ws = wb.get_sheet_by_index(i)
            cache[i] = (ws.to_python(skip_empty_area=False), ws.merged_cell_ranges or [])
        return cache[i]

    def texts_of(i: int) -> list[list[str]]:
        return fill_merged(*grid_of(i), max_header_row)

    idx = pick_table(names, sheet, texts_of, path, "sheet")
    grid, merged = grid_of(idx)
    df = frame_from_grid(grid, file=path, sheet=names[idx], merged=merged, header_rows=header_rows,
                         header_keywords=header_keywords, header_join=header_join,
                         max_header_row=max_header_row)
    attrs = dict(df.attrs)
    df = _excel_values(df)
    df.attrs.update(attrs, sheets=names)
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
