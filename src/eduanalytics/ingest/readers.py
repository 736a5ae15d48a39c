"""Readers for the files bureaus publish and export: CSV, XLSX and tables inside DOCX.

Every reader returns the file's cells without type guessing (CSV cells as strings; XLSX
cells as openpyxl gives them, so real date cells stay dates) with the header texts as
column names, plus two columns: ``_file`` (the path) and ``_row`` (the row number a person
sees: the CSV line number counting the header as line 1, the Excel row number, or the DOCX
table row counting its header as 1). Errors name the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm", ".docx")


def detect_encoding(path: str | Path) -> str:
    """Detect a text file's encoding.

    Order: a UTF-8 BOM gives ``utf-8-sig``; bytes that decode as UTF-8 give ``utf-8``;
    bytes that decode as GB18030 (the superset of GBK/GB2312 that Chinese office software
    writes) give ``gb18030``; otherwise charset-normalizer's best guess. GB18030 is tried
    before guessing because on short Chinese texts a statistical detector easily mistakes
    GBK for Korean (cp949).
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
        raise ValueError(f"{path}: cannot tell the text encoding; save it as UTF-8 or GBK")
    return best.encoding


def read_csv_table(path: str | Path, encoding: str | None = None) -> pd.DataFrame:
    """Read a CSV as strings, with ``_file`` and ``_row`` (header = line 1)."""
    path = Path(path)
    enc = encoding or detect_encoding(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=enc)
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: cannot read as CSV ({enc}): {exc}") from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df.assign(_file=str(path), _row=range(2, len(df) + 2))


def _unique(names: list[str], parents: list[str]) -> list[str]:
    """Child names, 'parent/child' where a child name is not unique or is empty."""
    out = []
    counts = pd.Series(names).value_counts()
    for i, (n, p) in enumerate(zip(names, parents, strict=True)):
        if not n:
            n = p or f"column_{i + 1}"
        elif counts.get(n, 0) > 1 and p and p != n:
            n = f"{p}/{n}"
        out.append(n)
    seen: dict[str, int] = {}
    final = []
    for n in out:
        seen[n] = seen.get(n, 0) + 1
        final.append(n if seen[n] == 1 else f"{n}_{seen[n]}")
    return final


def read_xlsx_table(path: str | Path, sheet: str | None = None,
                    header_keywords: list[str] | None = None, max_header_row: int = 30) -> pd.DataFrame:
    """Read a worksheet whose header need not be on row 1.

    Parameters
    ----------
    path : path-like
        The workbook.
    sheet : str, optional
        Sheet name (default: the first sheet).
    header_keywords : list of str, optional
        Header texts to look for. The header row is the row (among the first
        ``max_header_row``) holding the most of them, at least two. Without keywords, the
        first row whose non-empty cells are at least 60 % of the widest row.
    max_header_row : int
        How far down to look for the header.

    Notes
    -----
    Merged cells are filled with their value before the header is read, so a title
    merged across the top is skipped and a parent header cell merged over its child
    columns (学员信息 over 姓名/身份证号) or down two rows (序号) names the columns; a child
    name that is empty or not unique becomes ``parent/child``.
    """
    import openpyxl

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # zip errors, not a workbook
        raise ValueError(f"{path}: cannot open as an Excel workbook: {exc}") from exc
    if sheet is not None and sheet not in wb.sheetnames:
        raise ValueError(f"{path}: no sheet {sheet!r}; sheets are {wb.sheetnames}")
    ws = wb[sheet] if sheet else wb.worksheets[0]
    width = ws.max_column
    top = min(ws.max_row, max_header_row)
    grid = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(1, top + 1)]
    for rng in ws.merged_cells.ranges:
        if rng.min_row > top:
            continue
        v = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, min(rng.max_row, top) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                grid[r - 1][c - 1] = v
    texts = [["" if v is None else str(v).strip() for v in row] for row in grid]
    if header_keywords:
        keys = set(header_keywords)
        scores = [sum(1 for t in row if t in keys) for row in texts]
        best = max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0
        if not scores or scores[best] < 2:
            raise ValueError(f"{path} [sheet {ws.title}]: no header row with the expected columns "
                             f"{sorted(keys)} in the first {top} rows")
    else:
        counts = [sum(1 for t in row if t) for row in texts]
        widest = max(counts) if counts else 0
        best = next((i for i, n in enumerate(counts) if widest and n >= 0.6 * widest), 0)
    header = texts[best]
    parent = texts[best - 1] if best > 0 else [""] * width
    # a parent row counts only if it is not a title merged across the whole width
    if len({p for p in parent if p}) <= 1:
        parent = [""] * width
    names = _unique(header, parent)
    rows = []
    numbers = []
    for r_idx, row in enumerate(ws.iter_rows(min_row=best + 2, max_col=width, values_only=True),
                                start=best + 2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        rows.append(list(row))
        numbers.append(r_idx)
    wb.close()
    df = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names)
    return df.assign(_file=str(path), _row=numbers)


def read_docx_tables(path: str | Path) -> list[pd.DataFrame]:
    """Every table of a Word document (first row = header), cells as text."""
    import docx

    path = Path(path)
    try:
        doc = docx.Document(str(path))
    except Exception as exc:
        raise ValueError(f"{path}: cannot open as a Word document: {exc}") from exc
    out = []
    for table in doc.tables:
        cells = [[c.text.strip() for c in row.cells] for row in table.rows]
        if not cells:
            continue
        header = cells[0]
        # python-docx repeats a horizontally merged cell's text: keep the first, name the rest
        names = _unique([h if i == 0 or h != header[i - 1] else "" for i, h in enumerate(header)],
                        [""] * len(header))
        body = cells[1:]
        df = pd.DataFrame(body, columns=names, dtype=object) if body else pd.DataFrame(columns=names)
        out.append(df.assign(_file=str(path), _row=range(2, len(body) + 2)))
    return out


def read_docx_table(path: str | Path, match: str | None = None) -> pd.DataFrame:
    """The first table whose header contains ``match`` (or the first table)."""
    tables = read_docx_tables(path)
    for t in tables:
        if match is None or any(match in str(c) for c in t.columns):
            return t
    raise ValueError(f"{path}: no table" + (f" with a header containing {match!r}" if match else ""))


def read_table_file(path: str | Path, **kwargs) -> pd.DataFrame:
    """Read a CSV, XLSX or DOCX table by suffix (keyword arguments go to the reader)."""
    path = Path(path)
    if not path.exists():
        from eduanalytics.errors import MissingFileError

        raise MissingFileError("file not found", file=path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv_table(path, **{k: v for k, v in kwargs.items() if k == "encoding"})
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_table(path, **{k: v for k, v in kwargs.items() if k in ("sheet", "header_keywords")})
    if suffix == ".docx":
        return read_docx_table(path, match=kwargs.get("match"))
    raise ValueError(f"{path}: unsupported file type {suffix!r}; expected one of {SUPPORTED}")
