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

SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm", ".docx", ".parquet")
#: How far down a sheet the header is looked for.
MAX_HEADER_ROW = 30


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


def _text(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return "".join(str(v).split())


def _key(text: str) -> str:
    from eduanalytics.normalise.text import clean_one

    return "".join(clean_one(str(text)).split()).lower()


def _unique(names: list[str], parents: list[str], join: str = "/") -> list[str]:
    """Child names; the parent where the child is empty; ``parent/child`` where a child
    name repeats; ``_2``, ``_3`` for what still repeats."""
    out = []
    counts = pd.Series(names).value_counts()
    for i, (n, p) in enumerate(zip(names, parents, strict=True)):
        if not n:
            n = p or f"column_{i + 1}"
        elif counts.get(n, 0) > 1 and p and p != n:
            n = f"{p}{join}{n}"
        out.append(n)
    seen: dict[str, int] = {}
    final = []
    for n in out:
        seen[n] = seen.get(n, 0) + 1
        final.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return final


def _fill_merged(grid: list[list[Any]], merged: list[tuple[tuple[int, int], tuple[int, int]]],
                 top: int) -> list[list[str]]:
    """Header texts of the first ``top`` rows with merged ranges filled with their value."""
    texts = [[_text(v) for v in row] for row in grid[:top]]
    for (r0, c0), (r1, c1) in merged:
        if r0 >= top or r0 >= len(texts):
            continue
        v = texts[r0][c0] if c0 < len(texts[r0]) else ""
        for r in range(r0, min(r1, top - 1) + 1):
            for c in range(c0, min(c1, len(texts[r]) - 1) + 1):
                texts[r][c] = v
    return texts


def find_header(texts: list[list[str]], keywords: list[str] | None = None) -> int:
    """0-based index of the header row among the top rows' texts.

    With keywords: the row holding the most of them (at least two; or one when the row has
    nothing else but headers), the lower of two adjacent rows that tie (a row whose cells
    were merged down from the parent row above). Without: the first row whose distinct
    non-empty cells are at least 60 % of the widest row's (a title merged across the width
    counts once). Returns -1 when no row holds two keywords.
    """
    if not texts:
        return 0
    if keywords:
        keys = {_key(k) for k in keywords}
        scores = [len({_key(t) for t in row if t} & keys) for row in texts]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i))
        if scores[best] < min(2, len(keys)):
            return -1
        while best + 1 < len(scores) and scores[best + 1] == scores[best]:
            best += 1
        return best
    counts = [len({t for t in row if t}) for row in texts]
    widest = max(counts)
    return next((i for i, n in enumerate(counts) if widest and n >= 0.6 * widest), 0)


def frame_from_grid(grid: list[list[Any]], *, file: str | Path, sheet: str | None = None,
                    merged: list | None = None, header_rows: list[int] | None = None,
                    header_keywords: list[str] | None = None, header_join: str = "/",
                    max_header_row: int = MAX_HEADER_ROW) -> pd.DataFrame:
    """Turn a grid of cells (rows of values, row 0 = the file's first row) into a table.

    Parameters
    ----------
    grid : list of list
        Cell values, row by row.
    file, sheet : optional
        Named in errors and kept in ``_file``.
    merged : list, optional
        Merged ranges ``((row0, col0), (row1, col1))``, 0-based inclusive.
    header_rows : list of int, optional
        1-based header rows (one, or parent and child). Omitted: detected.
    header_keywords : list of str, optional
        Known header texts used to detect the header row.
    header_join : str
        Joins parent and child where a child name repeats.
    max_header_row : int
        How far down to look for the header.

    Returns
    -------
    DataFrame
        Header texts as columns, ``_file``, ``_row``; ``attrs["header_rows"]``.
    """
    width = max((len(r) for r in grid), default=0)
    if not width:
        raise InputError("the sheet/table is empty", file=file, sheet=sheet,
                         expected="a header row and data rows")
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    top = min(len(grid), max(max_header_row, max(header_rows or [0])))
    texts = _fill_merged(grid, merged or [], top)
    if header_rows:
        rows = [int(r) - 1 for r in header_rows]
        if len(rows) > 2 or any(r < 0 or r >= len(grid) for r in rows):
            raise InputError(f"header_rows {header_rows} lie outside the table's {len(grid)} rows",
                             file=file, sheet=sheet, expected="one or two 1-based row numbers")
        best = rows[-1]
        parent = texts[rows[0]] if len(rows) == 2 else [""] * width
    else:
        best = find_header(texts, header_keywords)
        if best < 0:
            raise InputError(f"no header row with the expected columns in the first {top} rows",
                             file=file, sheet=sheet, expected=" / ".join(header_keywords or []))
        parent = texts[best - 1] if best > 0 else [""] * width
        # a parent row only groups: several distinct texts, none of them already a header
        # word, e.g. 基本信息 / 学习情况 over their columns (a title merged across counts once)
        keys = {_key(k) for k in header_keywords or []}
        if len({p for p in parent if p}) <= 1 or any(_key(p) in keys for p in parent if p
                                                      and p not in texts[best]):
            parent = [""] * width
    header = texts[best]
    if not header_rows or len(header_rows) == 1:
        # a cell merged down from the parent row repeats its text: not a parent/child pair
        parent = [p if p != h else "" for p, h in zip(parent, header, strict=True)]
    names = _unique(header, parent, header_join)
    body = grid[best + 1:]
    keep = [i for i, row in enumerate(body)
            if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in row)]
    rows_kept = [body[i] for i in keep]
    df = (pd.DataFrame(rows_kept, columns=names, dtype=object) if rows_kept
          else pd.DataFrame(columns=names))
    hr = [int(r) for r in header_rows] if header_rows else (
        [best, best + 1] if any(parent) else [best + 1])
    df = df.assign(_file=str(file), _row=[best + 2 + i for i in keep])
    df.attrs.update({"header_rows": hr, "sheet": sheet})
    return df


def _open_workbook(path: Path):
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
    return list(_open_workbook(Path(path)).sheet_names)


def _has_columns(texts: list[list[str]], wanted: list[str]) -> bool:
    found = {_key(t) for row in texts for t in row if t}
    return all(_key(w) in found for w in wanted)


def _pick(names: list[str], spec: Any, texts_of, file: Path, what: str) -> int:
    """Index of the sheet/table a spec names (name, 0-based index, {has_columns: [...]})."""
    if spec is None:
        return 0
    if isinstance(spec, bool):
        raise InputError(f"{what} {spec!r} is not a name or an index", file=file)
    if isinstance(spec, int):
        if not 0 <= spec < len(names):
            raise InputError(f"no {what} with index {spec} (0-based)", file=file,
                             expected=f"0..{len(names) - 1}", found=names)
        return spec
    if isinstance(spec, dict) and "has_columns" in spec:
        wanted = [str(w) for w in spec["has_columns"]]
        for i in range(len(names)):
            if _has_columns(texts_of(i), wanted):
                return i
        raise InputError(f"no {what} whose header holds {wanted}", file=file,
                         expected=f"a {what} with columns {' / '.join(wanted)}",
                         found=f"{what}s {names}")
    name = str(spec)
    if name in names:
        return names.index(name)
    keyed = [_key(n) for n in names]
    if _key(name) in keyed:
        return keyed.index(_key(name))
    raise InputError(f"no {what} {name!r}; the {what}s are {names}", file=file,
                     expected=f"a {what} named {name!r}, or set its name or index in the config")


def _dates_to_datetimes(df: pd.DataFrame) -> pd.DataFrame:
    """calamine gives date-only cells as ``datetime.date``: make them datetimes."""
    for c in df.columns:
        if df[c].dtype != object or c.startswith("_"):
            continue
        is_date = df[c].map(type).eq(dt.date)
        if is_date.any():
            df.loc[is_date, c] = [dt.datetime(d.year, d.month, d.day) for d in df.loc[is_date, c]]
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
    wb = _open_workbook(path)
    names = list(wb.sheet_names)
    cache: dict[int, tuple[list, list]] = {}

    def grid_of(i: int) -> tuple[list, list]:
        """(cells, merged ranges) of sheet i, read once."""
        if i not in cache:
            ws = wb.get_sheet_by_index(i)
            cache[i] = (ws.to_python(skip_empty_area=False), ws.merged_cell_ranges or [])
        return cache[i]

    def texts_of(i: int) -> list[list[str]]:
        return _fill_merged(*grid_of(i), max_header_row)

    idx = _pick(names, sheet, texts_of, path, "sheet")
    grid, merged = grid_of(idx)
    df = frame_from_grid(grid, file=path, sheet=names[idx], merged=merged, header_rows=header_rows,
                         header_keywords=header_keywords, header_join=header_join,
                         max_header_row=max_header_row)
    attrs = dict(df.attrs)
    df = _dates_to_datetimes(df)
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
            [[_text(v) for v in r] for r in cells[:MAX_HEADER_ROW]], header_keywords) >= 0 else None
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
    idx = _pick(names, table, lambda i: [[_text(v) for v in r] for r in grids[i][:MAX_HEADER_ROW]],
                path, "table")
    cells = grids[idx]
    kw = header_keywords if header_keywords and find_header(
        [[_text(v) for v in r] for r in cells[:MAX_HEADER_ROW]], header_keywords) >= 0 else None
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
        raise InputError("file not found", file=path, expected="the file the config names")
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
